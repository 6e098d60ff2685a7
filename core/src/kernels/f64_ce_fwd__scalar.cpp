// Fused cross-entropy forward, scalar reference (double).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

void f64_ce_fwd__scalar(std::size_t rows, std::size_t classes, const double* logits, const std::int64_t* targets,
                        const CeParams<double>& params, double* loss, double* smooth, double* row_sum, double* exps) {
  scalar::ce_fwd(rows, classes, logits, targets, params, loss, smooth, row_sum, exps);
}

}  // namespace logitlab::kernels
