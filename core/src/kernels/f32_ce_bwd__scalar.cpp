// Cross-entropy backward (softmax minus the smoothed one-hot, scaled), scalar reference (float).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

void f32_ce_bwd__scalar(std::size_t rows, std::size_t classes, const std::int64_t* targets,
                        const CeParams<float>& params, const float* row_sum, const float* row_scale, float* grad) {
  scalar::ce_bwd(rows, classes, targets, params, row_sum, row_scale, grad);
}

}  // namespace logitlab::kernels
