#pragma once
// SSE2 registers for simd_impl.hpp: 4 float lanes, two registers per block, so the 8 lanes of
// PyTorch's sum order are the two registers side by side. No FMA: fmadd rounds twice.
#include <emmintrin.h>

#include <cstddef>

#define LOGITLAB_VEC_TARGET __attribute__((target("sse2")))

namespace logitlab::kernels {
namespace {

struct VecSse2 {
  using N = __m128;
  using M = __m128;
  static constexpr std::size_t kWidth = 4;
  static constexpr std::size_t kUnroll = 2;
  static constexpr bool kFma = false;
  struct Acc {
    __m128 lo, hi;
  };

  LOGITLAB_VEC_TARGET static N load(const float* p) { return _mm_loadu_ps(p); }
  LOGITLAB_VEC_TARGET static void store(float* p, N v) { _mm_storeu_ps(p, v); }
  LOGITLAB_VEC_TARGET static N splat(float v) { return _mm_set1_ps(v); }
  LOGITLAB_VEC_TARGET static N add(N a, N b) { return _mm_add_ps(a, b); }
  LOGITLAB_VEC_TARGET static N sub(N a, N b) { return _mm_sub_ps(a, b); }
  LOGITLAB_VEC_TARGET static N mul(N a, N b) { return _mm_mul_ps(a, b); }
  LOGITLAB_VEC_TARGET static N fmadd(N a, N b, N c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
  LOGITLAB_VEC_TARGET static N max(N a, N b) { return _mm_max_ps(a, b); }
  LOGITLAB_VEC_TARGET static N min(N a, N b) { return _mm_min_ps(a, b); }
  LOGITLAB_VEC_TARGET static N constant(float v) { return _mm_set1_ps(v); }
  LOGITLAB_VEC_TARGET static N shl23(N v) { return _mm_castsi128_ps(_mm_slli_epi32(_mm_castps_si128(v), 23)); }
  LOGITLAB_VEC_TARGET static N pow2(N v) { return _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(_mm_castps_si128(v), _mm_set1_epi32(127)), 23)); }
  LOGITLAB_VEC_TARGET static M isnan(N v) { return _mm_cmpunord_ps(v, v); }
  LOGITLAB_VEC_TARGET static M mor(M a, M b) { return _mm_or_ps(a, b); }
  LOGITLAB_VEC_TARGET static M mzero() { return _mm_setzero_ps(); }
  LOGITLAB_VEC_TARGET static bool any(M m) { return _mm_movemask_ps(m) != 0; }
  LOGITLAB_VEC_TARGET static bool all_abs_le(N x, float limit) {
    const N abs = _mm_andnot_ps(_mm_set1_ps(-0.0f), x);
    return _mm_movemask_ps(_mm_cmple_ps(abs, _mm_set1_ps(limit))) == 0xF;
  }
  LOGITLAB_VEC_TARGET static Acc acc_zero() { return {_mm_setzero_ps(), _mm_setzero_ps()}; }
  LOGITLAB_VEC_TARGET static Acc acc_add(Acc acc, N e, std::size_t j) {
    if (j % 2 == 0) acc.lo = _mm_add_ps(acc.lo, e);
    else acc.hi = _mm_add_ps(acc.hi, e);
    return acc;
  }
  LOGITLAB_VEC_TARGET static void acc_store(Acc acc, float* lanes) {
    _mm_storeu_ps(lanes, acc.lo);
    _mm_storeu_ps(lanes + 4, acc.hi);
  }
};

}  // namespace
}  // namespace logitlab::kernels
