// Cross-entropy backward (softmax minus the smoothed one-hot, scaled), in place over the exps, SSE2 (4 lanes, two registers per PyTorch vector).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_sse2.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET void f32_ce_bwd__sse2(std::size_t rows, std::size_t classes, const std::int64_t* targets,
                                     const CeParams<float>& params, const float* row_sum, const float* row_scale,
                                     float* grad) {
  Simd<VecSse2>::ce_bwd(rows, classes, targets, params, row_sum, row_scale, grad);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
