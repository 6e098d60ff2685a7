#pragma once
// AVX-512F registers for simd_impl.hpp: 16 float lanes, one register per block. PyTorch's
// order has 8 lanes, so each register's low half, then its high half, is added to an 8-lane
// (AVX) accumulator: the same additions in the same order as on an AVX2 machine.
// GCC 12's avx512fintrin.h trips its own -Wmaybe-uninitialized (GCC bug 105593, fixed in 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#else
#include <immintrin.h>
#endif

#include <cstddef>

#define LOGITLAB_VEC_TARGET __attribute__((target("avx512f,avx2,fma")))

namespace logitlab::kernels {
namespace {

struct VecAvx512f {
  using N = __m512;
  using M = __mmask16;
  static constexpr std::size_t kWidth = 16;
  static constexpr std::size_t kUnroll = 1;
  static constexpr bool kFma = true;
  using Acc = __m256;

  LOGITLAB_VEC_TARGET static N load(const float* p) { return _mm512_loadu_ps(p); }
  LOGITLAB_VEC_TARGET static void store(float* p, N v) { _mm512_storeu_ps(p, v); }
  LOGITLAB_VEC_TARGET static N splat(float v) { return _mm512_set1_ps(v); }
  LOGITLAB_VEC_TARGET static N add(N a, N b) { return _mm512_add_ps(a, b); }
  LOGITLAB_VEC_TARGET static N sub(N a, N b) { return _mm512_sub_ps(a, b); }
  LOGITLAB_VEC_TARGET static N mul(N a, N b) { return _mm512_mul_ps(a, b); }
  LOGITLAB_VEC_TARGET static N fmadd(N a, N b, N c) { return _mm512_fmadd_ps(a, b, c); }
  LOGITLAB_VEC_TARGET static N max(N a, N b) { return _mm512_max_ps(a, b); }
  LOGITLAB_VEC_TARGET static N min(N a, N b) { return _mm512_min_ps(a, b); }
  LOGITLAB_VEC_TARGET static N constant(float v) { return _mm512_set1_ps(v); }
  LOGITLAB_VEC_TARGET static N shl23(N v) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(v), 23)); }
  LOGITLAB_VEC_TARGET static N pow2(N v) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_castps_si512(v), _mm512_set1_epi32(127)), 23)); }
  LOGITLAB_VEC_TARGET static M isnan(N v) { return _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q); }
  LOGITLAB_VEC_TARGET static M mor(M a, M b) { return static_cast<M>(a | b); }
  LOGITLAB_VEC_TARGET static M mzero() { return 0; }
  LOGITLAB_VEC_TARGET static bool any(M m) { return m != 0; }
  LOGITLAB_VEC_TARGET static bool all_abs_le(N x, float limit) {
    return _mm512_cmp_ps_mask(_mm512_abs_ps(x), _mm512_set1_ps(limit), _CMP_LE_OQ) == 0xFFFF;
  }
  LOGITLAB_VEC_TARGET static Acc acc_zero() { return _mm256_setzero_ps(); }
  LOGITLAB_VEC_TARGET static Acc acc_add(Acc acc, N e, std::size_t) {
    acc = _mm256_add_ps(acc, _mm512_castps512_ps256(e));
    return _mm256_add_ps(acc, _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(e), 1)));
  }
  LOGITLAB_VEC_TARGET static void acc_store(Acc acc, float* lanes) { _mm256_storeu_ps(lanes, acc); }
};

}  // namespace
}  // namespace logitlab::kernels
