// Sum of exp(x - max) in PyTorch's order, optionally storing the exps, SSE2 (4 lanes, two registers per PyTorch vector).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_sse2.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET float f32_raddstoreexpminusmax__sse2(std::size_t n, const float* x, float max, float* exps) {
  // The row's range is unknown here: every vector is checked for lanes outside exp_fast's range.
  return Simd<VecSse2>::sum_exp<true>(n, x, max, exps);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
