// ops/factories: argument checks, dtype of results, determinism, and the element budget.
#include <cmath>
#include <vector>
#include <catch2/catch.hpp>

#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"
#include "logitlab/ops/factories.hpp"

using namespace logitlab;

TEST_CASE("a negative size is PyTorch's 'Trying to create tensor with negative dimension'") {
  CHECK_THROWS_WITH(ops::full({2, -3}, 0, DType::Float32), "Trying to create tensor with negative dimension -3: [2, -3]");
}

TEST_CASE("a factory past the element budget returns a meta tensor instead of allocating") {
  const Tensor t = ops::full({100000, 100000}, 0, DType::Float32);
  CHECK(t.is_meta());
  CHECK(t.shape() == Shape{100000, 100000});
  CHECK_FALSE(ops::full({2, 3}, 1, DType::Float32).is_meta());
}

TEST_CASE("randn, rand, randint and randperm are deterministic for a seed") {
  std::mt19937_64 a(7), b(7);
  const Tensor x = ops::randn({5}, DType::Float32, a);
  const Tensor y = ops::randn({5}, DType::Float32, b);
  for (std::int64_t i = 0; i < 5; ++i) CHECK(x.item_as_double(i) == y.item_as_double(i));
  const Tensor u = ops::rand({100}, DType::Float32, a);
  for (std::int64_t i = 0; i < 100; ++i) CHECK((u.item_as_double(i) >= 0 && u.item_as_double(i) < 1));
  const Tensor r = ops::randint(3, 5, {100}, DType::Int64, a);
  for (std::int64_t i = 0; i < 100; ++i) CHECK((r.item_as_int(i) == 3 || r.item_as_int(i) == 4));
  const Tensor p = ops::randperm(10, DType::Int64, a);
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < 10; ++i) sum += p.item_as_int(i);
  CHECK(sum == 45);
}

TEST_CASE("randn is standard normal and randint uniform over its whole range") {
  std::mt19937_64 g(3);
  const std::int64_t n = 200000;
  const Tensor x = ops::randn({n}, DType::Float32, g);
  double sum = 0, sq = 0, beyond2 = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double v = x.item_as_double(i);
    sum += v;
    sq += v * v;
    beyond2 += std::abs(v) > 2 ? 1 : 0;
  }
  CHECK(std::abs(sum / n) < 0.01);
  CHECK(std::abs(sq / n - 1) < 0.02);
  CHECK(std::abs(beyond2 / n - 0.0455) < 0.003);  // P(|Z| > 2) for a standard normal
  const Tensor r = ops::randint(-5, 2971, {n}, DType::Int64, g);
  std::vector<int> counts(2976, 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto v = r.item_as_int(i);
    REQUIRE((v >= -5 && v < 2971));
    ++counts[static_cast<std::size_t>(v + 5)];
  }
  CHECK(counts.front() > 0);
  CHECK(counts.back() > 0);
  const Tensor big = ops::randint(0, std::int64_t{1} << 40, {1000}, DType::Int64, g);
  std::int64_t above32 = 0;
  for (std::int64_t i = 0; i < 1000; ++i) above32 += big.item_as_int(i) >= (std::int64_t{1} << 32) ? 1 : 0;
  CHECK(above32 > 900);
}

TEST_CASE("randint with low >= high is PyTorch's random_ error") {
  std::mt19937_64 g(0);
  CHECK_THROWS_WITH(ops::randint(10, 5, {3}, DType::Int64, g),
                    "random_ expects 'from' to be less than 'to', but got from=10 >= to=5");
}

TEST_CASE("arange counts like PyTorch: ceil((end - start) / step) elements") {
  CHECK(ops::arange(0, 10, 3, DType::Int64).numel() == 4);
  CHECK(ops::arange(0, 1, 0.25, DType::Float32).item_as_double(3) == 0.75);
}
