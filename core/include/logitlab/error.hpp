#pragma once
// Python exceptions raised by the core: type name + message exactly as PyTorch/CPython word them.
// They travel as C++ exceptions inside the core and become values at the API boundary (api.hpp).
#include <stdexcept>
#include <string>

#include "logitlab/str.hpp"

namespace logitlab {

class PyError : public std::runtime_error {
 public:
  PyError(std::string type, const std::string& message)
      : std::runtime_error(message), type_(std::move(type)) {}
  const std::string& type() const { return type_; }
  std::string message() const { return what(); }

  // Raised by Logit Lab itself (an unsupported construct, a budget): a program's try/except
  // never catches it, so the playground cannot turn its own limits into a wrong answer.
  bool playground = false;

  // Where it was raised in the program (1-based); 0 until the interpreter knows.
  int line = 0;
  int col = 0;
  bool has_position() const { return line > 0; }
  void set_position_if_unset(int l, int c) {
    if (!has_position()) {
      line = l;
      col = c;
    }
  }

 private:
  std::string type_;
};

[[noreturn]] inline void raise(const char* type, const std::string& message) {
  throw PyError(type, message);
}
[[noreturn]] inline void raise_runtime(const std::string& m) { raise("RuntimeError", m); }
[[noreturn]] inline void raise_value(const std::string& m) { raise("ValueError", m); }
[[noreturn]] inline void raise_index(const std::string& m) { raise("IndexError", m); }
[[noreturn]] inline void raise_type(const std::string& m) { raise("TypeError", m); }
[[noreturn]] inline void raise_playground(const char* type, const std::string& m) {
  PyError e(type, m);
  e.playground = true;
  throw e;
}
// A construct or library call outside what Logit Lab supports.
[[noreturn]] inline void raise_not_implemented(const std::string& m) {
  raise_playground("NotImplementedError", m);
}

// TORCH_CHECK-style helpers: the condition comes first, the message is only built on failure.
#define LL_CHECK(cond, ...) \
  do {                      \
    if (!(cond)) ::logitlab::raise_runtime(::logitlab::cat(__VA_ARGS__)); \
  } while (0)

}  // namespace logitlab
