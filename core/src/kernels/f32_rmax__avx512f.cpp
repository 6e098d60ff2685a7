// Row max (NaN when any element is NaN), AVX-512F (16 lanes, summed as two PyTorch vectors).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx512f.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET float f32_rmax__avx512f(std::size_t n, const float* x) { return Simd<VecAvx512f>::rminmax<true>(n, x).max; }

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
