#pragma once
// Checks shared by the fuzz targets: a response must be a well-formed protocol response
// (DESIGN.md) and an error must carry a Python exception type. A violation prints what went
// wrong and aborts, which libFuzzer reports as a crash with the input saved as the reproducer.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace logitlab_fuzz {

[[noreturn]] inline void fail(const std::string& what, std::string_view input) {
  std::fprintf(stderr, "\nlogitlab fuzz finding: %s\ninput (%zu bytes): %.*s\n", what.c_str(), input.size(),
               static_cast<int>(input.size() < 2000 ? input.size() : 2000), input.data());
  std::abort();
}

// The exception types a program may end with: Python's own (as PyTorch raises them) and the
// playground's budget errors. "InternalError" is deliberately absent.
inline void check_error_type(const std::string& type, std::string_view input) {
  static const std::set<std::string> allowed = {
      "SyntaxError", "IndentationError", "TabError", "ValueError", "RuntimeError", "IndexError",
      "TypeError", "KeyError", "AttributeError", "NameError", "NotImplementedError",
      "ZeroDivisionError", "OverflowError", "ImportError", "ModuleNotFoundError", "MemoryError",
      "TimeoutError", "RecursionError", "UnicodeEncodeError", "UnicodeDecodeError", "UnicodeError",
      "UnboundLocalError", "AssertionError", "LookupError", "ArithmeticError", "Exception"};
  if (!allowed.count(type)) fail("an error of unexpected type '" + type + "'", input);
}

inline void check_response_text(const std::string& text, std::string_view input) {
  const nlohmann::json r = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (r.is_discarded() || !r.is_object()) fail("the response is not a JSON object", input);
  if (!r.contains("stdout") || !r["stdout"].is_string()) fail("the response has no \"stdout\" string", input);
  if (!r.contains("error")) fail("the response has no \"error\"", input);
  if (!r.contains("values") || !r["values"].is_object()) fail("the response has no \"values\" object", input);
  const nlohmann::json& e = r["error"];
  if (e.is_null()) return;
  if (!e.is_object() || !e.contains("type") || !e["type"].is_string() || !e.contains("message") ||
      !e["message"].is_string())
    fail("the response's error is not {type, message, line, col}", input);
  if (e["type"] == "InternalError") fail("an internal error: " + e["message"].get<std::string>(), input);
  check_error_type(e["type"].get<std::string>(), input);
}

inline void check_refusal(const std::string& text, std::string_view input) {
  if (text.rfind("Logit Lab internal error", 0) == 0) fail("run_text failed internally: " + text, input);
}

}  // namespace logitlab_fuzz
