#pragma once
// The scalar (reference) kernels, written once for float and double; the f32_*__scalar.cpp and
// f64_*__scalar.cpp files instantiate them.
//
// They compute in the tensor's own precision and sum in the order PyTorch 1.13's CPU kernels
// do on an AVX2 machine (8 float / 4 double lanes, then a fixed reduction), with PyTorch's own
// float exp and log (sleef_f32.hpp), because learners compare printed values: a loss of
// 4.5299e-06 must not print as 4.5394e-06 just because a double accumulator was more exact than
// PyTorch's float one, and print(loss.item()) shows all 24 bits. (float64 uses std::exp and
// std::log; PyTorch's double versions are not reproduced.)
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "logitlab/kernels/microkernels.hpp"
#include "sleef_f32.hpp"

namespace logitlab::kernels::scalar {

inline float exp(float x) { return sleef::expf_u10(x); }
inline double exp(double x) { return std::exp(x); }
inline float log(float x) { return sleef::logf_u10(x); }
inline double log(double x) { return std::log(x); }

template <class T>
inline T nan_max(T a, T b) {
  if (std::isnan(a)) return a;
  if (std::isnan(b)) return b;
  return a > b ? a : b;
}

template <class T> inline constexpr std::size_t kLanes = 8;
template <> inline constexpr std::size_t kLanes<double> = 4;

// vec::map_reduce_all(+) over i < n of map(i): lane-wise partial sums, the tail folded into the
// first lanes, then the lanes combined as PyTorch's vec_reduce_all does. Rows shorter than a
// vector are summed left to right.
template <class T, class Map>
T lane_sum(std::size_t n, Map map) {
  constexpr std::size_t L = kLanes<T>;
  if (n < L) {
    T acc = map(0);
    for (std::size_t i = 1; i < n; ++i) acc += map(i);
    return acc;
  }
  T lanes[L];
  for (std::size_t l = 0; l < L; ++l) lanes[l] = map(l);
  std::size_t d = L;
  for (; d + L <= n; d += L)
    for (std::size_t l = 0; l < L; ++l) lanes[l] += map(d + l);
  for (std::size_t l = 0; d + l < n; ++l) lanes[l] += map(d + l);
  if constexpr (L == 8) {
    // 128-bit, 64-bit, then 32-bit shuffles.
    T w[4];
    for (std::size_t l = 0; l < 4; ++l) w[l] = lanes[l] + lanes[l + 4];
    const T u0 = w[0] + w[2], u1 = w[1] + w[3];
    return u0 + u1;
  } else {
    T acc = lanes[0];
    for (std::size_t l = 1; l < L; ++l) acc += lanes[l];
    return acc;
  }
}

template <class T>
T row_max(const T* x, std::size_t n, std::size_t stride = 1) {
  T m = -std::numeric_limits<T>::infinity();
  for (std::size_t c = 0; c < n; ++c) m = nan_max(m, x[c * stride]);
  return m;
}

// Sum of exp(x - max) in PyTorch's order, storing the exps when `exps` is not null.
template <class T>
T sum_exp_minus_max(std::size_t n, const T* x, T max, T* exps) {
  if (exps)
    return lane_sum<T>(n, [=](std::size_t i) { return exps[i] = scalar::exp(x[i] - max); });
  return lane_sum<T>(n, [=](std::size_t i) { return scalar::exp(x[i] - max); });
}

template <class T>
void ce_fwd(std::size_t rows, std::size_t classes, const T* logits, const std::int64_t* targets,
            const CeParams<T>& p, T* loss, T* smooth, T* row_sum, T* exps) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* x = logits + r * classes;
    const T m = row_max(x, classes);
    const T sum = sum_exp_minus_max(classes, x, m, exps ? exps + r * classes : nullptr);
    const T log_sum = scalar::log(sum);
    if (row_sum) row_sum[r] = sum;
    const std::int64_t t = targets[r];
    const bool ignored = t == p.ignore_index;
    const auto tc = static_cast<std::size_t>(t);
    const T w = ignored || !p.weight ? T(1) : p.weight[tc];
    loss[r] = ignored ? T(0) : -((x[tc] - m) - log_sum) * w;
    if (smooth) {
      // -sum_c logp[c] w[c] = log_sum * W - sum_c (x[c] - m) w[c]: both terms >= 0, so no
      // cancellation; the sum in double, as the reference.
      double s = 0.0;
      for (std::size_t c = 0; c < classes; ++c)
        s += static_cast<double>(x[c] - m) * (p.weight ? static_cast<double>(p.weight[c]) : 1.0);
      smooth[r] = ignored ? T(0)
                          : static_cast<T>(static_cast<double>(log_sum) * static_cast<double>(p.weight_sum) - s);
    }
  }
}

// The coefficients of one row of the backward: grad[c] = k * exps[c] - b * w[c], minus a at
// the target. a is the NLL part, b the label-smoothing part, k = (a + b * W) / sum.
template <class T>
struct CeBwdRow {
  T a = 0, b = 0, k = 0;
  bool ignored = true;
  std::size_t target = 0;
};

template <class T>
CeBwdRow<T> ce_bwd_row(std::size_t classes, std::int64_t target, const CeParams<T>& p, T row_sum, T row_scale) {
  CeBwdRow<T> c;
  c.ignored = target == p.ignore_index;
  if (!c.ignored) {
    c.target = static_cast<std::size_t>(target);
    const T w = p.weight ? p.weight[c.target] : T(1);
    c.a = (T(1) - p.label_smoothing) * w * row_scale;
    c.b = p.label_smoothing / static_cast<T>(classes) * row_scale;
  }
  c.k = (c.a + c.b * p.weight_sum) / row_sum;  // NaN for a NaN row, even when ignored, as in PyTorch
  return c;
}

template <class T>
void ce_bwd(std::size_t rows, std::size_t classes, const std::int64_t* targets, const CeParams<T>& p,
            const T* row_sum, const T* row_scale, T* grad) {
  for (std::size_t r = 0; r < rows; ++r) {
    const CeBwdRow<T> c = ce_bwd_row(classes, targets[r], p, row_sum[r], row_scale[r]);
    T* g = grad + r * classes;
    for (std::size_t i = 0; i < classes; ++i) g[i] = c.k * g[i] - c.b * (p.weight ? p.weight[i] : T(1));
    if (!c.ignored) g[c.target] -= c.a;
  }
}

template <class T, bool Log>
void softmax_lastdim(const T* in, T* out, std::size_t rows, std::size_t classes) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* x = in + r * classes;
    T* y = out + r * classes;
    const T m = row_max(x, classes);
    if constexpr (Log) {
      const T log_sum = scalar::log(sum_exp_minus_max<T>(classes, x, m, nullptr));
      for (std::size_t c = 0; c < classes; ++c) y[c] = (x[c] - m) - log_sum;
    } else {
      const T inv = T(1) / sum_exp_minus_max(classes, x, m, y);
      for (std::size_t c = 0; c < classes; ++c) y[c] *= inv;
    }
  }
}

// Softmax over a non-last dim: PyTorch walks the classes one by one for each inner position.
template <class T, bool Log>
void softmax_strided(const T* in, T* out, std::size_t outer, std::size_t classes, std::size_t inner) {
  for (std::size_t o = 0; o < outer; ++o) {
    const T* x = in + o * classes * inner;
    T* y = out + o * classes * inner;
    for (std::size_t i = 0; i < inner; ++i) {
      const T m = row_max(x + i, classes, inner);
      T sum = 0;
      for (std::size_t c = 0; c < classes; ++c) sum += scalar::exp(x[c * inner + i] - m);
      if constexpr (Log) {
        const T log_sum = scalar::log(sum);
        for (std::size_t c = 0; c < classes; ++c) y[c * inner + i] = (x[c * inner + i] - m) - log_sum;
      } else {
        for (std::size_t c = 0; c < classes; ++c) y[c * inner + i] = scalar::exp(x[c * inner + i] - m) / sum;
      }
    }
  }
}

template <class T, bool Log>
void softmax(const T* in, T* out, std::size_t outer, std::size_t classes, std::size_t inner) {
  if (classes == 0) return;
  if (inner == 1) softmax_lastdim<T, Log>(in, out, outer, classes);
  else softmax_strided<T, Log>(in, out, outer, classes, inner);
}

}  // namespace logitlab::kernels::scalar
