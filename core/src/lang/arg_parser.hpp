#pragma once
// torch's PythonArgParser, as far as its messages show: C++-bound functions and Tensor methods
// bind their arguments against one or more signatures, and word errors as torch 1.13 does
// ("reshape() missing 1 required positional arguments: \"shape\"", "argument 'size' (position 1)
// must be tuple of ints, not float", "received an invalid combination of arguments - ...").
#include <optional>
#include <string>
#include <vector>

#include "value.hpp"

namespace logitlab::lang {

// A signature in torch's display syntax, e.g. "Tensor input, int dim, bool keepdim=False, *, Tensor out=None".
// Types: Tensor, int, int?, float, bool, torch.dtype, torch.dtype?, tuple of ints, tuple of SymInts,
// tuple of Tensors, Number, name, Generator?, Device?, str. "=..." makes a parameter optional.
struct ParsedArgs {
  int signature = 0;           // which overload matched
  std::vector<Value> values;   // one per parameter; NoneV when omitted without default
  std::vector<bool> given;
  const Value& operator[](std::size_t i) const { return values[i]; }
  bool has(std::size_t i) const { return given[i]; }
  std::vector<std::string> names;  // parameter names of the matched signature
  std::vector<std::string> types;  // and their types
  // The value of the parameter called `name`, NoneV when this signature has no such parameter.
  Value get(const std::string& name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return values[i];
    return Value();
  }
};

ParsedArgs parse_args(const std::string& fname, const std::vector<std::string>& signatures, const CallArgs& args);

// Element lists as PyTorch reads them (ints in a tuple/list/torch.Size, or varargs).
Shape to_int_list(const Value& v);

}  // namespace logitlab::lang
