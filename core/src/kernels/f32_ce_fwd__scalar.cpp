// Fused cross-entropy forward, scalar reference (float).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

void f32_ce_fwd__scalar(std::size_t rows, std::size_t classes, const float* logits, const std::int64_t* targets,
                        const CeParams<float>& params, float* loss, float* smooth, float* row_sum, float* exps) {
  scalar::ce_fwd(rows, classes, logits, targets, params, loss, smooth, row_sum, exps);
}

}  // namespace logitlab::kernels
