// softmax, scalar reference (float).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

void f32_softmax__scalar(const float* in, float* out, std::size_t outer, std::size_t classes, std::size_t inner) {
  scalar::softmax<float, false>(in, out, outer, classes, inner);
}

}  // namespace logitlab::kernels
