// Cross-entropy backward (softmax minus the smoothed one-hot, scaled), in place over the exps, AVX2 + FMA (8 lanes).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx2_fma.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET void f32_ce_bwd__avx2_fma(std::size_t rows, std::size_t classes, const std::int64_t* targets,
                                     const CeParams<float>& params, const float* row_sum, const float* row_scale,
                                     float* grad) {
  Simd<VecAvx2Fma>::ce_bwd(rows, classes, targets, params, row_sum, row_scale, grad);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
