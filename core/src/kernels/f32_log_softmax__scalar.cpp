// log_softmax, scalar reference (float).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

void f32_log_softmax__scalar(const float* in, float* out, std::size_t outer, std::size_t classes, std::size_t inner) {
  scalar::softmax<float, true>(in, out, outer, classes, inner);
}

}  // namespace logitlab::kernels
