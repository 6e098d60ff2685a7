#pragma once
// Run-time choice of the float32 kernel variant. Natively the best variant the CPU supports
// (AVX-512F, else AVX2+FMA, else SSE2, else scalar), decided once from CPUID; the core is
// compiled for the baseline ISA and only the variant files use wider instructions. In the
// WebAssembly builds the choice is made at build time: the simd128 module has the wasmsimd
// variant, the other only the scalar one (the page picks the module by feature detection).
//
// Fidelity. The scalar, AVX2+FMA and AVX-512F variants are exact: their exps and logs are
// PyTorch's (Sleef's, with fused multiply-adds) bit for bit and they add in PyTorch's order, so
// a loss has PyTorch's exact bits, which print(loss.item()) shows. SSE2 and wasm simd128 have
// no FMA and use a cheaper exp that can differ in the last bit; when one of them is active,
// problems under kExactBelow elements (learner-sized examples, which the scalar kernel does in
// a few milliseconds in wasm) still go to the scalar kernel, and only larger ones take the fast
// path, whose values agree with PyTorch's to about 1e-7 but not always in the last bit.
#include <cstddef>
#include <span>

#include "logitlab/kernels/microkernels.hpp"

namespace logitlab::kernels {

enum class Isa { Scalar, Sse2, Avx2Fma, Avx512f, WasmSimd };

struct F32Kernels {
  Isa isa;
  const char* name;  // "scalar", "sse2", "avx2_fma", "avx512f", "wasmsimd": the file suffix
  bool exact;        // exps and logs bit for bit PyTorch's (see above)
  F32RmaxFn rmax;
  F32RaddstoreexpminusmaxFn raddstoreexpminusmax;
  CeFwdFn<float> ce_fwd;
  CeBwdFn<float> ce_bwd;
  SoftmaxFn<float> log_softmax;
  SoftmaxFn<float> softmax;
};

// Every variant compiled into this build, scalar first, whether or not this CPU runs it.
std::span<const F32Kernels> f32_variants();

// Whether this CPU (or wasm engine) runs the variant.
bool supported(Isa isa);

// The active variant.
const F32Kernels& f32_kernels();

inline constexpr std::size_t kExactBelow = std::size_t{1} << 17;

// The variant the core uses for `elements` floats: the active one, or the scalar one when the
// active variant is inexact and the problem is smaller than kExactBelow.
const F32Kernels& f32_kernels_for(std::size_t elements);

// Makes the core use `isa` (tests and benchmarks compare variants through the whole core).
// Returns false, changing nothing, when the variant is not compiled in or not supported.
bool use_f32_kernels(Isa isa);

// The variant that f32_kernels() starts with: the best supported one.
Isa best_f32_isa();

}  // namespace logitlab::kernels
