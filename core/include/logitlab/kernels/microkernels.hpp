#pragma once
// The softmax / cross-entropy microkernels, one function per operation and instruction set,
// named like XNNPACK's: <dtype>_<operation>__<isa>. Every variant of an operation has the same
// signature; the __scalar variant always exists and is the reference the SIMD variants are
// tested against (tests/native/test_kernels.cpp). dispatch.hpp picks a variant at run time.
//
// Variants: scalar (std::exp), sse2 (4 lanes), avx2_fma (8), avx512f (16) natively on x86;
// wasmsimd (4 lanes, wasm_simd128.h) in the WebAssembly build made with -msimd128.
//
// Summation order. Every variant sums exp(x - max) in the order PyTorch 1.13's CPU kernels do
// on an AVX2 machine: eight lane sums, a row's tail folded into the first lanes, then
// ((l0+l4) + (l2+l6)) + ((l1+l5) + (l3+l7)); rows shorter than 8 are summed left to right. The
// 4-lane variants keep the eight lanes in two registers, the 16-lane one adds each half of a
// register in turn.
//
// exp and log. The scalar, AVX2+FMA and AVX-512F variants compute PyTorch's own exp and log
// (Sleef's, with fused multiply-adds; sleef_f32.hpp), so with the same order of addition their
// losses, log-probabilities and probabilities are PyTorch's to the last bit. SSE2 and wasm
// simd128 lack FMA and use a cheaper exp (within 2.3 ulp); see dispatch.hpp for when the core
// uses them.
//
// Special values: NaN anywhere in a row makes the row's outputs NaN, as in PyTorch; an all
// -inf row, or a row holding +inf, is NaN too (exp(-inf - -inf) and exp(inf - inf) are NaN).
#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#define LOGITLAB_KERNELS_X86 1
#endif
#if defined(__wasm_simd128__)
#define LOGITLAB_KERNELS_WASMSIMD 1
#endif

namespace logitlab::kernels {

// What the cross-entropy kernels need besides the logits and the targets.
template <class T>
struct CeParams {
  const T* weight = nullptr;          // per-class weights [classes], or null for all ones
  T weight_sum = 0;                   // sum of the weights (= classes without weights)
  std::int64_t ignore_index = -100;   // rows with this target contribute nothing
  T label_smoothing = 0;              // ce_bwd: the smoothing the loss was computed with
};

// ---- Signatures (the same for every instruction set) ----------------------------------------

// Max of x[0..n), n >= 1; NaN when any element is NaN.
using F32RmaxFn = float (*)(std::size_t n, const float* x);

// Sum of exp(x[i] - max) over i < n (n >= 1), in PyTorch's order (above). When `exps` is not
// null, also stores exp(x[i] - max) there.
using F32RaddstoreexpminusmaxFn = float (*)(std::size_t n, const float* x, float max, float* exps);

// Fused cross-entropy forward over `rows` contiguous rows of `classes` logits (classes >= 1) with
// class-index targets. Per row r with target t (not ignore_index, 0 <= t < classes: the caller
// checked the bounds), with m = max, L = log(sum of exp(x - m)) and
// logp = (x - m) - L exactly as log_softmax computes it:
//   loss[r]    = -logp[t] * weight[t]                    (0 for an ignored row)
//   smooth[r]  = -sum_c logp[c] * weight[c]             (label smoothing's term; 0 when ignored;
//                                                          only computed when smooth is not null)
//   row_sum[r] = sum of exp(x - m)                        (when not null; ce_bwd needs it)
//   exps[r, c] = exp(x[c] - m)                            (when not null; ce_bwd's input)
template <class T>
using CeFwdFn = void (*)(std::size_t rows, std::size_t classes, const T* logits, const std::int64_t* targets,
                         const CeParams<T>& params, T* loss, T* smooth, T* row_sum, T* exps);

// Cross-entropy backward from ce_fwd's `exps` and `row_sum`, in place: on return grad[r, c] is
// d(loss)/d(logit[r, c]) where the loss is sum_r row_scale[r] * ((1 - ls) * loss[r] + ls / classes
// * smooth[r]) (ls = label_smoothing); ignored rows get 0 (NaN where their logits were NaN, as
// in PyTorch). row_scale carries grad_output and the mean's divisor.
template <class T>
using CeBwdFn = void (*)(std::size_t rows, std::size_t classes, const std::int64_t* targets,
                         const CeParams<T>& params, const T* row_sum, const T* row_scale, T* grad);

// log_softmax / softmax over `classes` of a contiguous [outer, classes, inner] block. The SIMD
// variants vectorise the common inner == 1 case and hand inner > 1 to the scalar kernel, which
// walks the classes one at a time per inner position, as PyTorch does there.
template <class T>
using SoftmaxFn = void (*)(const T* in, T* out, std::size_t outer, std::size_t classes, std::size_t inner);

// ---- Variants ------------------------------------------------------------------------------

#define LOGITLAB_DECLARE_F32_KERNELS(isa)                                                            \
  float f32_rmax__##isa(std::size_t n, const float* x);                                             \
  float f32_raddstoreexpminusmax__##isa(std::size_t n, const float* x, float max, float* exps);     \
  void f32_ce_fwd__##isa(std::size_t rows, std::size_t classes, const float* logits,                 \
                         const std::int64_t* targets, const CeParams<float>& params, float* loss,    \
                         float* smooth, float* row_sum, float* exps);                                \
  void f32_ce_bwd__##isa(std::size_t rows, std::size_t classes, const std::int64_t* targets,         \
                         const CeParams<float>& params, const float* row_sum, const float* row_scale, \
                         float* grad);                                                               \
  void f32_log_softmax__##isa(const float* in, float* out, std::size_t outer, std::size_t classes,   \
                              std::size_t inner);                                                    \
  void f32_softmax__##isa(const float* in, float* out, std::size_t outer, std::size_t classes,       \
                          std::size_t inner);

LOGITLAB_DECLARE_F32_KERNELS(scalar)
#if LOGITLAB_KERNELS_X86
LOGITLAB_DECLARE_F32_KERNELS(sse2)
LOGITLAB_DECLARE_F32_KERNELS(avx2_fma)
LOGITLAB_DECLARE_F32_KERNELS(avx512f)
#endif
#if LOGITLAB_KERNELS_WASMSIMD
LOGITLAB_DECLARE_F32_KERNELS(wasmsimd)
#endif
#undef LOGITLAB_DECLARE_F32_KERNELS

// float64 has the scalar kernels only (PyTorch's 4 double lanes in its sums).
void f64_ce_fwd__scalar(std::size_t rows, std::size_t classes, const double* logits, const std::int64_t* targets,
                        const CeParams<double>& params, double* loss, double* smooth, double* row_sum,
                        double* exps);
void f64_ce_bwd__scalar(std::size_t rows, std::size_t classes, const std::int64_t* targets,
                        const CeParams<double>& params, const double* row_sum, const double* row_scale,
                        double* grad);
void f64_log_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes,
                             std::size_t inner);
void f64_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes,
                         std::size_t inner);

}  // namespace logitlab::kernels
