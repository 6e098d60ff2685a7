// Sum of exp(x - max) (optionally storing the exps), scalar reference: std::exp, PyTorch's order.
#include "scalar_impl.hpp"

namespace logitlab::kernels {

float f32_raddstoreexpminusmax__scalar(std::size_t n, const float* x, float max, float* exps) {
  return scalar::sum_exp_minus_max(n, x, max, exps);
}

}  // namespace logitlab::kernels
