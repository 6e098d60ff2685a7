// ops/elementwise: broadcasting, PyTorch's type promotion (incl. Python scalars), meta results.
#include <catch2/catch.hpp>

#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"

using namespace logitlab;
using ops::BinaryOp;

TEST_CASE("broadcast_shapes reports the first mismatch from the trailing dimension, as PyTorch does") {
  CHECK(ops::broadcast_shapes({4, 1}, {3}) == Shape{4, 3});
  try {
    ops::broadcast_shapes({4, 5}, {5, 4});
    FAIL("expected a RuntimeError");
  } catch (const PyError& e) {
    CHECK(e.type() == "RuntimeError");
    CHECK(e.message() == "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 1");
  }
}

TEST_CASE("result_type: Python scalars promote only across categories") {
  const Tensor l = Tensor::full(DType::Int64, {2}, 3);
  const Tensor i32 = Tensor::full(DType::Int32, {2}, 3);
  const ops::Operand py_int{Tensor::scalar(DType::Int64, 2), true};
  const ops::Operand py_float{Tensor::scalar(DType::Float64, 0.5), true};
  CHECK(ops::result_type({i32, false}, py_int) == DType::Int32);
  CHECK(ops::result_type({l, false}, py_float) == DType::Float32);
  CHECK(ops::result_type({Tensor::full(DType::Float32, {2}, 1), false}, {Tensor::scalar(DType::Float64, 1), false}) ==
        DType::Float32);  // a 0-d tensor does not widen a dimensioned one of its category
}

TEST_CASE("integer true division gives float32; floor division keeps the integer dtype") {
  const Tensor l = Tensor::from_vector<std::int64_t>({3, 4}, {2});
  const ops::Operand two{Tensor::scalar(DType::Int64, 2), true};
  const Tensor q = ops::binary(BinaryOp::Div, {l, false}, two);
  CHECK(q.dtype() == DType::Float32);
  CHECK(q.item_as_double(0) == 1.5);
  const Tensor f = ops::binary(BinaryOp::FloorDiv, {Tensor::from_vector<std::int64_t>({-3, 4}, {2}), false}, two);
  CHECK(f.dtype() == DType::Int64);
  CHECK(f.item_as_int(0) == -2);
}

TEST_CASE("integer floor division by zero raises PyTorch's ZeroDivisionError RuntimeError") {
  const Tensor l = Tensor::from_vector<std::int64_t>({1, 2}, {2});
  CHECK_THROWS_WITH(ops::binary(BinaryOp::FloorDiv, {l, false}, {Tensor::scalar(DType::Int64, 0), true}),
                    "ZeroDivisionError");
}

TEST_CASE("comparisons give bool tensors") {
  const Tensor a = Tensor::from_vector<float>({1, 2, 3}, {3});
  const Tensor r = ops::binary(BinaryOp::Gt, {a, false}, {Tensor::scalar(DType::Int64, 1), true});
  CHECK(r.dtype() == DType::Bool);
  CHECK(r.item_as_int(0) == 0);
  CHECK(r.item_as_int(2) == 1);
}

TEST_CASE("negating a bool tensor is PyTorch's RuntimeError") {
  CHECK_THROWS_AS(ops::unary(ops::UnaryOp::Neg, Tensor::full(DType::Bool, {2}, 1)), PyError);
}

TEST_CASE("an op on a meta tensor gives a meta tensor of the broadcast shape") {
  const Tensor m = Tensor::empty(DType::Float32, {100000, 100000}, true);
  const Tensor r = ops::binary(BinaryOp::Mul, {m, false}, {Tensor::scalar(DType::Float64, 2), true});
  CHECK(r.is_meta());
  CHECK(r.shape() == Shape{100000, 100000});
}
