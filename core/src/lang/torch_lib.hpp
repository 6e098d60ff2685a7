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

}  // namespace logitlab::lang
