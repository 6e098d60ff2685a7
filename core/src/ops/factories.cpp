#include "logitlab/ops/factories.hpp"

#include <cmath>
#include <numeric>

#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"

namespace logitlab::ops {
namespace {
// Each factory call takes one draw from the run's generator (torch.manual_seed / the request's
// seed) to seed a xoshiro256** stream for its elements: the same values on every platform for a
// seed, and about ten times cheaper per element than std::mt19937_64 (a learner's
// randint(0, 2971, (864, 2971)) has 2.5 million of them, and the browser runs it on each edit).
class Stream {
 public:
  explicit Stream(std::mt19937_64& seeder) {
    std::uint64_t x = seeder();
    for (auto& w : s_) {  // splitmix64, as xoshiro's authors recommend for seeding
      x += 0x9e3779b97f4a7c15ull;
      std::uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      w = z ^ (z >> 31);
    }
  }
  std::uint64_t operator()() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// 53 random bits in [0, 1).
double uniform01(Stream& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

template <class Fill>
Tensor fresh(const Shape& shape, DType dtype, Fill&& fill) {
  check_size(shape);
  const bool meta = result_is_meta(shape);
  Tensor t = Tensor::empty(dtype, shape, meta);
  if (!meta) dispatch(dtype, [&]<class T>() {
      T* p = t.data<T>();
      const std::int64_t n = t.numel();
      for (std::int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(fill(i));
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

// Marsaglia's polar method: two normal values per accepted pair, one log and one sqrt for both
// (no sin or cos), which keeps a learner's randn(384, 2971) quick in the browser.
Tensor randn(const Shape& shape, DType dtype, std::mt19937_64& seeder) {
  Stream rng(seeder);
  bool have = false;
  double spare = 0;
  return fresh(shape, dtype, [&](std::int64_t) {
    if (have) {
      have = false;
      return spare;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform01(rng) - 1.0;
      v = 2.0 * uniform01(rng) - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double m = std::sqrt(-2.0 * std::log(s) / s);
    spare = v * m;
    have = true;
    return u * m;
  });
}

Tensor rand(const Shape& shape, DType dtype, std::mt19937_64& seeder) {
  Stream rng(seeder);
  return fresh(shape, dtype, [&](std::int64_t) {
    if (dtype == DType::Float32) return static_cast<double>(rng() >> 40) * 0x1.0p-24;
    return uniform01(rng);
  });
}

Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, DType dtype, std::mt19937_64& seeder) {
  if (low >= high)
    raise_runtime(cat("random_ expects 'from' to be less than 'to', but got from=", low, " >= to=", high));
  Stream rng(seeder);
  const auto range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  if (range > 0xffffffffull)
    return fresh(shape, dtype, [&](std::int64_t) {
      return static_cast<double>(static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + rng() % range));
    });
  // Ranges below 2^32 (all class counts): each 64-bit draw gives two values by Lemire's
  // multiply-shift, without a division (bias below range / 2^32).
  std::uint64_t bits = 0;
  bool half = false;
  return fresh(shape, dtype, [&](std::int64_t) {
    if (!half) bits = rng();
    const std::uint64_t x = half ? (bits >> 32) : (bits & 0xffffffffull);
    half = !half;
    return static_cast<double>(low + static_cast<std::int64_t>((x * range) >> 32));
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
