// Fused cross-entropy forward (log-sum-exp minus the target logit, weight, ignore_index, label smoothing), AVX2 + FMA (8 lanes).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx2_fma.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET void f32_ce_fwd__avx2_fma(std::size_t rows, std::size_t classes, const float* logits,
                                     const std::int64_t* targets, const CeParams<float>& params, float* loss,
                                     float* smooth, float* row_sum, float* exps) {
  Simd<VecAvx2Fma>::ce_fwd(rows, classes, logits, targets, params, loss, smooth, row_sum, exps);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
