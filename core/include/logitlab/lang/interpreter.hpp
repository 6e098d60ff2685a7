#pragma once
// Runs a program of the Python subset against the torch namespace, collecting what it prints,
// the uncaught exception, the variables left at the end and a trace of every op call.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "logitlab/error.hpp"
#include "logitlab/tensor.hpp"

namespace logitlab::lang {

// The budgets of one run (DESIGN.md "Limits"). Each has a default, can be lowered or raised by
// the request, and when exceeded ends the program with an error naming it that the program's
// own try/except cannot catch (PyError::playground).
struct Limits {
  std::int64_t max_elements = 64 * 1024 * 1024;  // total elements of live tensors
  std::int64_t max_ops = 100000;                 // statements + calls
  std::int64_t max_code_bytes = 16 * 1024 * 1024;  // length of the program's text, in UTF-8 bytes
  std::int64_t max_output_bytes = 1024 * 1024;     // what the program prints, in UTF-8 bytes
  // Tensor elements the operations read and write, summed over the run: bounds the time a
  // program of few but heavy operations takes (max_ops counts operations, not their size).
  std::int64_t max_work = std::int64_t{1} << 29;
};

struct ExecResult {
  std::string stdout_text;
  std::optional<PyError> error;  // the uncaught exception, with line/col
  nlohmann::json trace = nlohmann::json::array();
  std::vector<std::string> warnings;  // UserWarnings, in order (Python prints them to stderr)
};

class Interpreter {
 public:
  explicit Interpreter(Limits limits, std::uint64_t seed = 0);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  void bind(const std::string& name, Tensor value);
  ExecResult exec(const std::string& code);

  // Protocol JSON of a variable at the end (DESIGN.md "values"), or null when unbound.
  nlohmann::json value_json(const std::string& name) const;
  // {"name": {"dtype", "shape"}} for every variable the program and inputs bound (modules excluded).
  nlohmann::json variables_json() const;

  // The gradient of output.sum() with respect to the variable `of`, following the ops'
  // recorded backward functions (what autograd would give); nullopt when `output` was not
  // computed from `of` by differentiable ops.
  std::optional<Tensor> gradient(const std::string& output, const std::string& of) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace logitlab::lang
