// Sum of exp(x - max) in PyTorch's order, optionally storing the exps, AVX2 + FMA (8 lanes).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx2_fma.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET float f32_raddstoreexpminusmax__avx2_fma(std::size_t n, const float* x, float max, float* exps) {
  // The row's range is unknown here: every vector is checked for lanes outside exp_fast's range.
  return Simd<VecAvx2Fma>::sum_exp<true>(n, x, max, exps);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
