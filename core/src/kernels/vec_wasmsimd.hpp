#pragma once
// WebAssembly simd128 registers for simd_impl.hpp: 4 float lanes, two registers per block, so
// the 8 lanes of PyTorch's sum order are the two registers side by side. simd128 has no FMA:
// fmadd rounds twice. max/min use pmax/pmin (one x86 instruction each under V8), since rminmax
// tracks NaN separately.
#include <wasm_simd128.h>

#include <cstddef>

#define LOGITLAB_VEC_TARGET

namespace logitlab::kernels {
namespace {

struct VecWasmSimd {
  using N = v128_t;
  using M = v128_t;
  static constexpr std::size_t kWidth = 4;
  static constexpr std::size_t kUnroll = 2;
  static constexpr bool kFma = false;
  struct Acc {
    v128_t lo, hi;
  };

  static N load(const float* p) { return wasm_v128_load(p); }
  static void store(float* p, N v) { wasm_v128_store(p, v); }
  static N splat(float v) { return wasm_f32x4_splat(v); }
  static N add(N a, N b) { return wasm_f32x4_add(a, b); }
  static N sub(N a, N b) { return wasm_f32x4_sub(a, b); }
  static N mul(N a, N b) { return wasm_f32x4_mul(a, b); }
  static N fmadd(N a, N b, N c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
  static N max(N a, N b) { return wasm_f32x4_pmax(a, b); }
  static N min(N a, N b) { return wasm_f32x4_pmin(a, b); }
  // Through an empty asm statement, so LLVM cannot turn it back into a v128.const at each use
  // (see ExpK in simd_impl.hpp).
  static N constant(float v) {
    __asm__("" : "+r"(v));
    return wasm_f32x4_splat(v);
  }
  static N shl23(N v) { return wasm_i32x4_shl(v, 23); }
  static N pow2(N v) { return wasm_i32x4_shl(wasm_i32x4_add(v, wasm_i32x4_splat(127)), 23); }
  static M isnan(N v) { return wasm_f32x4_ne(v, v); }
  static M mor(M a, M b) { return wasm_v128_or(a, b); }
  static M mzero() { return wasm_i32x4_splat(0); }
  static bool any(M m) { return wasm_v128_any_true(m); }
  static bool all_abs_le(N x, float limit) { return wasm_i32x4_all_true(wasm_f32x4_le(wasm_f32x4_abs(x), wasm_f32x4_splat(limit))); }
  static Acc acc_zero() { return {wasm_f32x4_splat(0.0f), wasm_f32x4_splat(0.0f)}; }
  static Acc acc_add(Acc acc, N e, std::size_t j) {
    if (j % 2 == 0) acc.lo = wasm_f32x4_add(acc.lo, e);
    else acc.hi = wasm_f32x4_add(acc.hi, e);
    return acc;
  }
  static void acc_store(Acc acc, float* lanes) {
    wasm_v128_store(lanes, acc.lo);
    wasm_v128_store(lanes + 4, acc.hi);
  }
};

}  // namespace
}  // namespace logitlab::kernels
