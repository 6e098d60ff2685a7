#include "logitlab/ops/factories.hpp"

#include <cmath>
#include <numeric>

#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"

namespace logitlab::ops {
namespace {
// 24 (float) or 53 (double) random bits in [0, 1): the same on every platform.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

template <class Fill>
Tensor fresh(const Shape& shape, DType dtype, Fill&& fill) {
  check_size(shape);
  const bool meta = result_is_meta(shape);
  Tensor t = Tensor::empty(dtype, shape, meta);
  if (!meta) dispatch(dtype, [&]<class T>() {
      T* p = t.data<T>();
      for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<T>(fill(i));
    });
  return t;
}
}  // namespace

void check_size(const Shape& shape) {
  for (auto s : shape)
    if (s < 0) raise_runtime(cat("Trying to create tensor with negative dimension ", s, ": ", ShapeStr{shape}));
}

Tensor full(const Shape& shape, double value, DType dtype) {
  return fresh(shape, dtype, [&](std::int64_t) { return value; });
}

Tensor arange(double start, double end, double step, DType dtype) {
  LL_CHECK(step != 0, "step must be nonzero");
  LL_CHECK(std::isfinite(start) && std::isfinite(end), "unsupported range: ", start, " -> ", end);
  LL_CHECK((step > 0 && end >= start) || (step < 0 && end <= start),
           "upper bound and larger bound inconsistent with step sign");
  const double size_d = std::ceil((end - start) / step);
  LL_CHECK(size_d >= 0 && size_d <= 9.2e18, "invalid size, possible overflow?");
  const auto n = static_cast<std::int64_t>(size_d);
  if (is_floating(dtype)) return fresh({n}, dtype, [&](std::int64_t i) { return start + step * static_cast<double>(i); });
  return fresh({n}, dtype, [&](std::int64_t i) {
    return static_cast<double>(static_cast<std::int64_t>(start) + static_cast<std::int64_t>(step) * i);
  });
}

Tensor randn(const Shape& shape, DType dtype, std::mt19937_64& rng) {
  bool have = false;
  double spare = 0;
  return fresh(shape, dtype, [&](std::int64_t) {
    if (have) {
      have = false;
      return spare;
    }
    const double u1 = 1.0 - uniform01(rng), u2 = uniform01(rng);
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare = r * std::sin(2 * M_PI * u2);
    have = true;
    return r * std::cos(2 * M_PI * u2);
  });
}

Tensor rand(const Shape& shape, DType dtype, std::mt19937_64& rng) {
  return fresh(shape, dtype, [&](std::int64_t) {
    if (dtype == DType::Float32) return static_cast<double>(rng() >> 40) * 0x1.0p-24;
    return uniform01(rng);
  });
}

Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, DType dtype, std::mt19937_64& rng) {
  if (low >= high)
    raise_runtime(cat("random_ expects 'from' to be less than 'to', but got from=", low, " >= to=", high));
  const auto range = static_cast<std::uint64_t>(high - low);
  return fresh(shape, dtype, [&](std::int64_t) {
    return static_cast<double>(low + static_cast<std::int64_t>(rng() % range));
  });
}

Tensor randperm(std::int64_t n, DType dtype, std::mt19937_64& rng) {
  check_size({n});
  const bool meta = result_is_meta({n});
  Tensor t = Tensor::empty(dtype, {n}, meta);
  if (meta) return t;
  std::vector<std::int64_t> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  for (std::size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng() % i]);
  dispatch(dtype, [&]<class T>() {
    T* p = t.data<T>();
    for (std::size_t i = 0; i < perm.size(); ++i) p[i] = static_cast<T>(perm[i]);
  });
  return t;
}

}  // namespace logitlab::ops
