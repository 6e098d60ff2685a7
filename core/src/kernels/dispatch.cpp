#include "logitlab/kernels/dispatch.hpp"

#include <atomic>

namespace logitlab::kernels {
namespace {

#define LOGITLAB_F32_KERNELS(isa_enum, isa, exact)                                                 \
  F32Kernels {                                                                                     \
    Isa::isa_enum, #isa, exact, f32_rmax__##isa, f32_raddstoreexpminusmax__##isa, f32_ce_fwd__##isa, \
        f32_ce_bwd__##isa, f32_log_softmax__##isa, f32_softmax__##isa                              \
  }

constexpr F32Kernels kVariants[] = {
    LOGITLAB_F32_KERNELS(Scalar, scalar, true),
#if LOGITLAB_KERNELS_X86
    LOGITLAB_F32_KERNELS(Sse2, sse2, false),
    LOGITLAB_F32_KERNELS(Avx2Fma, avx2_fma, true),
    LOGITLAB_F32_KERNELS(Avx512f, avx512f, true),
#endif
#if LOGITLAB_KERNELS_WASMSIMD
    LOGITLAB_F32_KERNELS(WasmSimd, wasmsimd, false),
#endif
};
#undef LOGITLAB_F32_KERNELS

const F32Kernels* find(Isa isa) {
  for (const F32Kernels& k : kVariants)
    if (k.isa == isa) return &k;
  return nullptr;
}

bool cpu_has(Isa isa) {
  switch (isa) {
    case Isa::Scalar: return true;
#if LOGITLAB_KERNELS_X86
    case Isa::Sse2: __builtin_cpu_init(); return __builtin_cpu_supports("sse2");
    case Isa::Avx2Fma:
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::Avx512f:
      // The variant also uses AVX2/FMA forms for its 8-lane accumulator; every AVX-512F CPU has them.
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
             __builtin_cpu_supports("fma");
#endif
#if LOGITLAB_KERNELS_WASMSIMD
    case Isa::WasmSimd: return true;  // the module validated, so the engine has simd128
#endif
    default: return false;
  }
}

const F32Kernels* best() {
  const F32Kernels* chosen = &kVariants[0];
  for (const F32Kernels& k : kVariants)
    if (cpu_has(k.isa)) chosen = &k;  // kVariants is ordered from narrowest to widest
  return chosen;
}

std::atomic<const F32Kernels*>& active() {
  static std::atomic<const F32Kernels*> kernels{best()};
  return kernels;
}

}  // namespace

std::span<const F32Kernels> f32_variants() { return kVariants; }

bool supported(Isa isa) { return find(isa) != nullptr && cpu_has(isa); }

const F32Kernels& f32_kernels() { return *active().load(std::memory_order_relaxed); }

const F32Kernels& f32_kernels_for(std::size_t elements) {
  const F32Kernels& k = f32_kernels();
  return k.exact || elements >= kExactBelow ? k : kVariants[0];
}

bool use_f32_kernels(Isa isa) {
  if (!supported(isa)) return false;
  active().store(find(isa), std::memory_order_relaxed);
  return true;
}

Isa best_f32_isa() { return best()->isa; }

}  // namespace logitlab::kernels
