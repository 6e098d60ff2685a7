// Sum of exp(x - max) in PyTorch's order, optionally storing the exps, WebAssembly simd128 (4 lanes, two registers per PyTorch vector).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_WASMSIMD
#include "vec_wasmsimd.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET float f32_raddstoreexpminusmax__wasmsimd(std::size_t n, const float* x, float max, float* exps) {
  // The row's range is unknown here: every vector is checked for lanes outside exp_fast's range.
  return Simd<VecWasmSimd>::sum_exp<true>(n, x, max, exps);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_WASMSIMD
