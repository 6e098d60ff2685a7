// softmax, AVX-512F (16 lanes, summed as two PyTorch vectors).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx512f.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET void f32_softmax__avx512f(const float* in, float* out, std::size_t outer, std::size_t classes,
                                      std::size_t inner) {
  if (inner != 1) return f32_softmax__scalar(in, out, outer, classes, inner);
  if (classes > 0) Simd<VecAvx512f>::softmax_rows(in, out, outer, classes);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
