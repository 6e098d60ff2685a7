// Row max (NaN when any element is NaN), AVX2 + FMA (8 lanes).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx2_fma.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET float f32_rmax__avx2_fma(std::size_t n, const float* x) { return Simd<VecAvx2Fma>::rminmax<true>(n, x).max; }

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
