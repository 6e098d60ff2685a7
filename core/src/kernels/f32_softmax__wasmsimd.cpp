// softmax, WebAssembly simd128 (4 lanes, two registers per PyTorch vector).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_WASMSIMD
#include "vec_wasmsimd.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET void f32_softmax__wasmsimd(const float* in, float* out, std::size_t outer, std::size_t classes,
                                      std::size_t inner) {
  if (inner != 1) return f32_softmax__scalar(in, out, outer, classes, inner);
  if (classes > 0) Simd<VecWasmSimd>::softmax_rows(in, out, outer, classes);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_WASMSIMD
