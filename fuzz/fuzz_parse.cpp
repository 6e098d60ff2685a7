// Fuzz target: the lexer and the parser (lang::parse) with arbitrary bytes as the program.
// A program either parses or raises a PyError (SyntaxError, IndentationError, TabError,
// ValueError, NotImplementedError); anything else escaping, or a sanitizer report, is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logitlab/error.hpp"
#include "logitlab/lang/parser.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    const logitlab::lang::Module m = logitlab::lang::parse(source);
    (void)m;
  } catch (const logitlab::PyError& e) {
    logitlab_fuzz::check_error_type(e.type(), source);
    if (e.line < 0 || e.col < 0) logitlab_fuzz::fail("a syntax error with a negative position", source);
  }
  return 0;
}
