// log_softmax, scalar reference (double).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

void f64_log_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes, std::size_t inner) {
  scalar::softmax<double, true>(in, out, outer, classes, inner);
}

}  // namespace logitlab::kernels
