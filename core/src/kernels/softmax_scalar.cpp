// Scalar (reference) softmax kernels.
//
// They compute in the tensor's own precision and sum in the order PyTorch 1.13's CPU kernels
// do on an AVX2 machine (8 float / 4 double lanes, then a fixed reduction), because learners
// compare printed values: a loss of 4.5299e-06 must not print as 4.5394e-06 just because a
// double accumulator was more exact than PyTorch's float one.
#include <cmath>
#include <limits>

#include "logitlab/kernels/softmax.hpp"

namespace logitlab::kernels {
namespace {

template <class T>
inline T nan_max(T a, T b) {
  if (std::isnan(a)) return a;
  if (std::isnan(b)) return b;
  return a > b ? a : b;
}

template <class T> constexpr std::size_t kLanes = 8;
template <> constexpr std::size_t kLanes<double> = 4;

// vec::map_reduce_all(+) over a contiguous row: lane-wise partial sums, the tail folded into
// the first lanes, then the lanes combined as PyTorch's vec_reduce_all does.
template <class T, class Map>
T lane_sum(const T* x, std::size_t n, Map map) {
  constexpr std::size_t L = kLanes<T>;
  if (n < L) {
    T acc = map(x[0]);
    for (std::size_t i = 1; i < n; ++i) acc += map(x[i]);
    return acc;
  }
  T lanes[L];
  for (std::size_t l = 0; l < L; ++l) lanes[l] = map(x[l]);
  std::size_t d = L;
  for (; d + L <= n; d += L)
    for (std::size_t l = 0; l < L; ++l) lanes[l] += map(x[d + l]);
  for (std::size_t l = 0; d + l < n; ++l) lanes[l] += map(x[d + l]);
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
T row_max(const T* x, std::size_t n, std::size_t stride) {
  T m = -std::numeric_limits<T>::infinity();
  for (std::size_t c = 0; c < n; ++c) m = nan_max(m, x[c * stride]);
  return m;
}

template <class T, bool Log>
void softmax_lastdim(const T* in, T* out, std::size_t rows, std::size_t classes) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* x = in + r * classes;
    T* y = out + r * classes;
    const T m = row_max(x, classes, 1);
    if constexpr (Log) {
      const T sum = lane_sum(x, classes, [m](T v) { return std::exp(v - m); });
      const T log_sum = std::log(sum);
      for (std::size_t c = 0; c < classes; ++c) y[c] = (x[c] - m) - log_sum;
    } else {
      for (std::size_t c = 0; c < classes; ++c) y[c] = std::exp(x[c] - m);
      const T inv = T(1) / lane_sum(y, classes, [](T v) { return v; });
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
      for (std::size_t c = 0; c < classes; ++c) sum += std::exp(x[c * inner + i] - m);
      if constexpr (Log) {
        const T log_sum = std::log(sum);
        for (std::size_t c = 0; c < classes; ++c) y[c * inner + i] = (x[c * inner + i] - m) - log_sum;
      } else {
        for (std::size_t c = 0; c < classes; ++c) y[c * inner + i] = std::exp(x[c * inner + i] - m) / sum;
      }
    }
  }
}

template <class T, bool Log>
void softmax_any(const T* in, T* out, std::size_t outer, std::size_t classes, std::size_t inner) {
  if (classes == 0) return;
  if (inner == 1) softmax_lastdim<T, Log>(in, out, outer, classes);
  else softmax_strided<T, Log>(in, out, outer, classes, inner);
}

}  // namespace

void f32_log_softmax__scalar(const float* in, float* out, std::size_t outer, std::size_t classes,
                             std::size_t inner) {
  softmax_any<float, true>(in, out, outer, classes, inner);
}
void f64_log_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes,
                             std::size_t inner) {
  softmax_any<double, true>(in, out, outer, classes, inner);
}
void f32_softmax__scalar(const float* in, float* out, std::size_t outer, std::size_t classes,
                         std::size_t inner) {
  softmax_any<float, false>(in, out, outer, classes, inner);
}
void f64_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes,
                         std::size_t inner) {
  softmax_any<double, false>(in, out, outer, classes, inner);
}

}  // namespace logitlab::kernels
