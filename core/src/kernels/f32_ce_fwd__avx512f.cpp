// Fused cross-entropy forward (log-sum-exp minus the target logit, weight, ignore_index, label smoothing), AVX-512F (16 lanes, summed as two PyTorch vectors).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx512f.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET void f32_ce_fwd__avx512f(std::size_t rows, std::size_t classes, const float* logits,
                                     const std::int64_t* targets, const CeParams<float>& params, float* loss,
                                     float* smooth, float* row_sum, float* exps) {
  Simd<VecAvx512f>::ce_fwd(rows, classes, logits, targets, params, loss, smooth, row_sum, exps);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
