// softmax, AVX2 + FMA (8 lanes).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx2_fma.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET void f32_softmax__avx2_fma(const float* in, float* out, std::size_t outer, std::size_t classes,
                                      std::size_t inner) {
  if (inner != 1) return f32_softmax__scalar(in, out, outer, classes, inner);
  if (classes > 0) Simd<VecAvx2Fma>::softmax_rows(in, out, outer, classes);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
