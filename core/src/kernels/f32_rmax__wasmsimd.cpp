// Row max (NaN when any element is NaN), WebAssembly simd128 (4 lanes, two registers per PyTorch vector).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_WASMSIMD
#include "vec_wasmsimd.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET float f32_rmax__wasmsimd(std::size_t n, const float* x) { return Simd<VecWasmSimd>::rminmax<true>(n, x).max; }

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_WASMSIMD
