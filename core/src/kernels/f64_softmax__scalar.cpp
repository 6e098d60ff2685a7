// softmax, scalar reference (double).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

void f64_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes, std::size_t inner) {
  scalar::softmax<double, false>(in, out, outer, classes, inner);
}

}  // namespace logitlab::kernels
