#pragma once
// The torch namespace as the interpreter sees it: modules, functions, dtypes.
#include <string>

#include "value.hpp"

namespace logitlab::lang {

// Attribute `attr` of module `module` ("torch", "torch.nn", "torch.nn.functional").
// AttributeError with Python's wording when PyTorch has no such attribute either;
// NotImplementedError when PyTorch has it but Logit Lab does not support it yet.
Value torch_module_attr(const std::string& module, const std::string& attr);

// Whether real PyTorch has `owner.attr` (owner: "torch", "torch.nn", "torch.nn.functional", "Tensor").
bool torch_has_attr(const std::string& owner, const std::string& attr);

// Calls torch.<name> (method = false) or Tensor.<name> with self as the first positional argument
// (method = true), for tensor_lib's methods that share torch's implementation.
Value torch_function(const std::string& name, CallArgs& args, bool method);

// torch.return_types.<name>(field=..., ...).
Value make_return_types(const std::string& name, std::vector<std::string> fields, std::vector<Value> items);

}  // namespace logitlab::lang
