// Cross-entropy backward (softmax minus the smoothed one-hot, scaled), in place over the exps, WebAssembly simd128 (4 lanes, two registers per PyTorch vector).
#include "logitlab/kernels/microkernels.hpp"

#if LOGITLAB_KERNELS_WASMSIMD
#include "vec_wasmsimd.hpp"
#include "simd_impl.hpp"

namespace logitlab::kernels {

LOGITLAB_VEC_TARGET void f32_ce_bwd__wasmsimd(std::size_t rows, std::size_t classes, const std::int64_t* targets,
                                     const CeParams<float>& params, const float* row_sum, const float* row_scale,
                                     float* grad) {
  Simd<VecWasmSimd>::ce_bwd(rows, classes, targets, params, row_sum, row_scale, grad);
}

}  // namespace logitlab::kernels
#endif  // LOGITLAB_KERNELS_WASMSIMD
