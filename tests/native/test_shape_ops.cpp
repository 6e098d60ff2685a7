// ops/shape_ops: reshape/view inference and messages, flatten, repeat, cat, stack, matmul.
#include <catch2/catch.hpp>

#include "logitlab/error.hpp"
#include "logitlab/ops/factories.hpp"
#include "logitlab/ops/shape_ops.hpp"

using namespace logitlab;

TEST_CASE("reshape infers one -1 and words every failure as PyTorch does") {
  const Tensor l = ops::full({864}, 0, DType::Int64);
  CHECK(ops::reshape(l, {-1, 8}).shape() == Shape{108, 8});
  CHECK_THROWS_WITH(ops::reshape(l, {2, 384}), "shape '[2, 384]' is invalid for input of size 864");
  CHECK_THROWS_WITH(ops::reshape(l, {-1, 5}), "shape '[-1, 5]' is invalid for input of size 864");
  CHECK_THROWS_WITH(ops::reshape(l, {-1, -1}), "only one dimension can be inferred");
  CHECK_THROWS_WITH(ops::reshape(l, {-2, 432}), "invalid shape dimension -2");
}

TEST_CASE("reshape of a contiguous tensor is a view sharing storage") {
  const Tensor x = ops::full({2, 3}, 1, DType::Float32);
  CHECK(ops::reshape(x, {3, 2}).shares_storage_with(x));
}

TEST_CASE("view of a transposed tensor is PyTorch's stride error") {
  const Tensor m = ops::full({4, 5}, 0, DType::Float32);
  CHECK_THROWS_WITH(ops::view(m.transpose(0, 1), {-1}),
                    "view size is not compatible with input tensor's size and stride (at least one dimension spans "
                    "across two contiguous subspaces). Use .reshape(...) instead.");
}

TEST_CASE("flatten rejects start_dim after end_dim") {
  CHECK_THROWS_WITH(ops::flatten(ops::full({2, 3, 4}, 0, DType::Float32), 2, 1),
                    "flatten() has invalid args: start_dim cannot come after end_dim");
}

TEST_CASE("cat names the first mismatching tensor and dimension") {
  CHECK_THROWS_WITH(ops::concatenate({ops::full({2, 3}, 0, DType::Float32), ops::full({2, 4}, 0, DType::Float32)}, 0),
                    "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor "
                    "number 1 in the list.");
  const Tensor c = ops::concatenate({ops::full({2, 3}, 1, DType::Float32), ops::full({2, 3}, 2, DType::Int64)}, 1);
  CHECK(c.shape() == Shape{2, 6});
  CHECK(c.item_as_double(5) == 2.0);
}

TEST_CASE("stack requires equal shapes") {
  CHECK_THROWS_WITH(ops::stack({ops::full({2, 3}, 0, DType::Float32), ops::full({2, 4}, 0, DType::Float32)}, 0),
                    "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1");
}

TEST_CASE("matmul reports incompatible matrices with both shapes") {
  CHECK_THROWS_WITH(ops::matmul(ops::full({384, 2971}, 0, DType::Float32), ops::full({10, 5}, 0, DType::Float32)),
                    "mat1 and mat2 shapes cannot be multiplied (384x2971 and 10x5)");
  const Tensor r = ops::matmul(ops::full({2, 3}, 1, DType::Float32), ops::full({3, 4}, 2, DType::Float32));
  CHECK(r.shape() == Shape{2, 4});
  CHECK(r.item_as_double(0) == 6.0);
}

TEST_CASE("repeat tiles the data") {
  const Tensor r = ops::repeat(Tensor::from_vector<std::int64_t>({1, 2}, {2}), {2, 2});
  CHECK(r.shape() == Shape{2, 4});
  CHECK(r.item_as_int(3) == 2);
  CHECK(r.item_as_int(6) == 1);
}
