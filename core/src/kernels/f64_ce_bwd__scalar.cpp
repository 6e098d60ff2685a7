// Cross-entropy backward (softmax minus the smoothed one-hot, scaled), scalar reference (double).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

void f64_ce_bwd__scalar(std::size_t rows, std::size_t classes, const std::int64_t* targets,
                        const CeParams<double>& params, const double* row_sum, const double* row_scale, double* grad) {
  scalar::ce_bwd(rows, classes, targets, params, row_sum, row_scale, grad);
}

}  // namespace logitlab::kernels
