#pragma once
// Python's own semantics for the values of the subset: arithmetic on ints and floats,
// strings and sequences, comparisons, truth, len, iteration, indexing, format().
// Operations involving a Tensor are handed to tensor_lib.
#include <string>

#include "value.hpp"

namespace logitlab::lang {

Value binary_op(const std::string& op, const Value& a, const Value& b, Runtime& rt);
Value unary_op(const std::string& op, const Value& v);
// One comparison (==, !=, <, <=, >, >=, is, is not, in, not in); may return a Tensor.
Value compare_op(const std::string& op, const Value& a, const Value& b);
bool py_equal(const Value& a, const Value& b);

std::int64_t py_len(const Value& v);
ValueList iterate(const Value& v);
Value subscript(const Value& obj, const Value& index);

// format(value, spec) as Python's format() and f-strings do it.
std::string format_value(const Value& v, const std::string& spec);

}  // namespace logitlab::lang
