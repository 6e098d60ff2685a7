// Scalar (reference) softmax kernels: max-subtracted, accumulating in double.
#include <cmath>
#include <limits>

#include "logitlab/kernels/softmax.hpp"

namespace logitlab::kernels {
namespace {

// NaN-propagating max, like at::vec::maximum.
inline double nan_max(double a, double b) {
  if (std::isnan(a)) return a;
  if (std::isnan(b)) return b;
  return a > b ? a : b;
}

template <class T, bool Log>
void softmax_impl(const T* in, T* out, std::size_t outer, std::size_t classes, std::size_t inner) {
  for (std::size_t o = 0; o < outer; ++o) {
    const T* x = in + o * classes * inner;
    T* y = out + o * classes * inner;
    for (std::size_t i = 0; i < inner; ++i) {
      double m = -std::numeric_limits<double>::infinity();
      for (std::size_t c = 0; c < classes; ++c) m = nan_max(m, static_cast<double>(x[c * inner + i]));
      double sum = 0.0;
      for (std::size_t c = 0; c < classes; ++c) sum += std::exp(static_cast<double>(x[c * inner + i]) - m);
      if constexpr (Log) {
        const double shift = m + std::log(sum);
        for (std::size_t c = 0; c < classes; ++c)
          y[c * inner + i] = static_cast<T>(static_cast<double>(x[c * inner + i]) - shift);
      } else {
        for (std::size_t c = 0; c < classes; ++c)
          y[c * inner + i] = static_cast<T>(std::exp(static_cast<double>(x[c * inner + i]) - m) / sum);
      }
    }
  }
}

}  // namespace

void f32_log_softmax__scalar(const float* in, float* out, std::size_t outer, std::size_t classes,
                             std::size_t inner) {
  softmax_impl<float, true>(in, out, outer, classes, inner);
}
void f64_log_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes,
                             std::size_t inner) {
  softmax_impl<double, true>(in, out, outer, classes, inner);
}
void f32_softmax__scalar(const float* in, float* out, std::size_t outer, std::size_t classes,
                         std::size_t inner) {
  softmax_impl<float, false>(in, out, outer, classes, inner);
}
void f64_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes,
                         std::size_t inner) {
  softmax_impl<double, false>(in, out, outer, classes, inner);
}

}  // namespace logitlab::kernels
