#pragma once
// Elementwise ops with broadcasting and PyTorch's type promotion. Shapes and dtypes are checked
// before any data is touched; a meta operand (or a result past the element budget) gives a meta result.
#include <string>

#include "logitlab/tensor.hpp"

namespace logitlab::ops {

// The live-element budget: results larger than this are meta tensors (shape only).
std::int64_t element_budget();
void set_element_budget(std::int64_t n);
// Whether a fresh result of `shape` must be meta: an input is meta, or it exceeds the budget.
bool result_is_meta(const Shape& shape, bool any_input_meta = false);

// A binary operand: a tensor, or a Python number wrapped as a 0-d tensor (PyTorch's
// "wrapped number", which promotes only across categories).
struct Operand {
  Tensor t;
  bool wrapped = false;
};

// "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1".
Shape broadcast_shapes(const Shape& a, const Shape& b);
// torch.result_type over the operands.
DType result_type(const Operand& a, const Operand& b);

enum class BinaryOp { Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Eq, Ne, Lt, Le, Gt, Ge, And, Or, Xor, Maximum, Minimum };
// op is the Python operator spelling used in messages ("+", "==", ...).
Tensor binary(BinaryOp op, const Operand& a, const Operand& b);

enum class UnaryOp { Neg, Abs, Invert };
Tensor unary(UnaryOp op, const Tensor& t);

// Fresh contiguous copy of `t` broadcast to `shape` and converted to `dtype`.
Tensor materialize(const Tensor& t, const Shape& shape, DType dtype);

}  // namespace logitlab::ops
