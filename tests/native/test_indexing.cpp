// ops/indexing: index_select, advanced indexing with long and bool tensors, one_hot.
#include <catch2/catch.hpp>

#include "logitlab/error.hpp"
#include "logitlab/ops/factories.hpp"
#include "logitlab/ops/indexing.hpp"

using namespace logitlab;

TEST_CASE("index_select checks its index before reading") {
  const Tensor m = ops::arange(0, 20, 1, DType::Float32).reshape({4, 5});
  CHECK_THROWS_WITH(ops::index_select(m, 0, Tensor::from_vector<std::int64_t>({0, 9}, {2})), "index out of range in self");
  CHECK_THROWS_WITH(ops::index_select(m, 0, Tensor::from_vector<float>({0}, {1})),
                    "index_select(): Expected dtype int32 or int64 for index");
  const Tensor r = ops::index_select(m, 1, Tensor::from_vector<std::int64_t>({4, 0}, {2}));
  CHECK(r.shape() == Shape{4, 2});
  CHECK(r.item_as_double(2) == 9.0);
}

TEST_CASE("advanced indexing with a long tensor gathers rows and reports out-of-bounds indices") {
  const Tensor m = ops::arange(0, 20, 1, DType::Float32).reshape({4, 5});
  const Tensor r = ops::advanced_index(m, {Tensor::from_vector<std::int64_t>({3, -4}, {2})});
  CHECK(r.shape() == Shape{2, 5});
  CHECK(r.item_as_double(0) == 15.0);
  CHECK(r.item_as_double(5) == 0.0);
  CHECK_THROWS_WITH(ops::advanced_index(m, {Tensor::from_vector<std::int64_t>({0, 4}, {2})}),
                    "index 4 is out of bounds for dimension 0 with size 4");
}

TEST_CASE("a bool mask selects elements and must match the indexed shape") {
  const Tensor v = Tensor::from_vector<float>({1, -2, 3}, {3});
  const Tensor r = ops::advanced_index(v, {Tensor::from_vector<bool>({true, false, true}, {3})});
  CHECK(r.shape() == Shape{2});
  CHECK(r.item_as_double(1) == 3.0);
  const Tensor m = ops::full({4, 5}, 0, DType::Float32);
  CHECK_THROWS_WITH(ops::advanced_index(m, {ops::full({3}, 1, DType::Bool)}),
                    "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4, 5] at index 0");
}

TEST_CASE("one_hot accepts only int64 indices in range") {
  CHECK_THROWS_WITH(ops::one_hot(Tensor::from_vector<float>({0}, {1}), 3), "one_hot is only applicable to index tensor.");
  CHECK_THROWS_WITH(ops::one_hot(Tensor::from_vector<std::int64_t>({3}, {1}), 3),
                    "Class values must be smaller than num_classes.");
  const Tensor r = ops::one_hot(Tensor::from_vector<std::int64_t>({0, 2}, {2}), -1);
  CHECK(r.shape() == Shape{2, 3});
  CHECK(r.item_as_int(5) == 1);
}
