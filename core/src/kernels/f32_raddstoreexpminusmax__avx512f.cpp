// Sum of exp(x - max) in PyTorch's order, optionally storing the exps, AVX-512F (16 lanes, summed as two PyTorch vectors).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_X86
#include "vec_avx512f.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET float f32_raddstoreexpminusmax__avx512f(std::size_t n, const float* x, float max, float* exps) {
  // The row's range is unknown here: every vector is checked for lanes outside exp_fast's range.
  return Simd<VecAvx512f>::sum_exp<true>(n, x, max, exps);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_X86
