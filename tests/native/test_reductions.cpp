// ops/reductions: sum/mean dtypes, argmax/max with dims, empty-input messages.
#include <catch2/catch.hpp>

#include "logitlab/error.hpp"
#include "logitlab/ops/factories.hpp"
#include "logitlab/ops/reductions.hpp"

using namespace logitlab;

TEST_CASE("sum of an integer tensor is int64; mean of one is PyTorch's dtype error") {
  const Tensor b = Tensor::from_vector<bool>({true, true, false}, {3});
  CHECK(ops::sum(b, {}, false, std::nullopt).dtype() == DType::Int64);
  CHECK(ops::sum(b, {}, false, std::nullopt).item_as_int(0) == 2);
  CHECK_THROWS_WITH(ops::mean(ops::full({2}, 1, DType::Int64), {}, false, std::nullopt),
                    "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                    "dtype. Got: Long");
}

TEST_CASE("sum over a dim with keepdim keeps a size-1 dim") {
  const Tensor m = ops::arange(0, 6, 1, DType::Float32).reshape({2, 3});
  const Tensor s = ops::sum(m, {1}, true, std::nullopt);
  CHECK(s.shape() == Shape{2, 1});
  CHECK(s.item_as_double(1) == 12.0);
  CHECK_THROWS_WITH(ops::sum(m, {2}, false, std::nullopt),
                    "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
}

TEST_CASE("max along a dim gives values and the first index of the maximum") {
  const Tensor m = Tensor::from_vector<float>({1, 5, 2, 7, 0, 7}, {2, 3});
  const auto r = ops::max_dim(m, 1, false);
  CHECK(r.values.item_as_double(0) == 5.0);
  CHECK(r.indices.item_as_int(0) == 1);
  CHECK(r.indices.item_as_int(1) == 0);
  CHECK(ops::argmax(m, std::nullopt, false).item_as_int(0) == 3);
}

TEST_CASE("argmax and max of empty inputs raise PyTorch's messages") {
  CHECK_THROWS_WITH(ops::argmax(ops::full({0}, 0, DType::Float32), std::nullopt, false),
                    "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
  CHECK_THROWS_WITH(ops::max_dim(ops::full({0, 3}, 0, DType::Float32), 0, false),
                    "max(): Expected reduction dim 0 to have non-zero size.");
}
