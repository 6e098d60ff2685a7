#pragma once
// Argument binding with the messages of the two kinds of callables PyTorch has:
// Python-implemented functions (CPython's wording) and C++-bound ones (torch's PythonArgParser).
#include <optional>
#include <string>
#include <vector>

#include "value.hpp"

namespace logitlab::lang {

struct Param {
  std::string name;
  std::optional<Value> default_value;  // nullopt: required
};

// Binds like CPython binds a `def` with positional-or-keyword parameters; messages as
// "cross_entropy() missing 1 required positional argument: 'target'".
std::vector<Value> bind_python(const std::string& fname, const std::vector<Param>& params, const CallArgs& args);

// PythonArgParser-style conversions: "cross_entropy_loss(): argument 'input' (position 1) must be
// Tensor, not list".
Tensor arg_tensor(const std::string& fname, const std::string& pname, int position, const Value& v);
Tensor arg_optional_tensor(const std::string& fname, const std::string& pname, int position, const Value& v);
std::int64_t arg_int(const std::string& fname, const std::string& pname, int position, const Value& v);
double arg_float(const std::string& fname, const std::string& pname, int position, const Value& v);

bool truthy(const Value& v);

}  // namespace logitlab::lang
