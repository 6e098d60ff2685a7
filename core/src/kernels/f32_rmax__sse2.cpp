// Row max (NaN when any element is NaN), SSE2 (4 lanes, two registers per PyTorch vector).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_sse2.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET float f32_rmax__sse2(std::size_t n, const float* x) { return Simd<VecSse2>::rminmax<true>(n, x).max; }

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
