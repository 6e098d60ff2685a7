#pragma once
// Tensor semantics as the interpreter needs them: attributes and methods, operators,
// indexing, iteration. Python-only semantics (numbers, strings, sequences) live in python_ops.
#include <string>

#include "value.hpp"

namespace logitlab::lang {

// t.<name>: a property value (shape, dtype, ndim, T, ...) or a bound method (a FunctionV).
// AttributeError "'Tensor' object has no attribute 'x'" for names PyTorch lacks too.
Value tensor_attribute(const Tensor& t, const std::string& name);

// a <op> b where at least one side is a Tensor; op is one of + - * / // % ** @ & | ^.
Value tensor_binary(const std::string& op, const Value& a, const Value& b, Runtime& rt);
// -t, +t, ~t, abs(t).
Value tensor_unary(const std::string& op, const Tensor& t);
// a <op> b where at least one side is a Tensor; op is one of == != < <= > >=.
Value tensor_compare(const std::string& op, const Value& a, const Value& b);
// t[index], index being an int, a slice, None, Ellipsis, a tensor, a list or a tuple of those.
Value tensor_subscript(const Tensor& t, const Value& index);
// for row in t / list(t) / a, b = t: the sub-tensors along dim 0.
ValueList tensor_iterate(const Tensor& t);

// The Python scalar in a one-element tensor (float for floating dtypes, int, or bool).
Value tensor_item(const Tensor& t);

}  // namespace logitlab::lang
