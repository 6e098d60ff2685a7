#pragma once
// AVX2 + FMA registers for simd_impl.hpp: 8 float lanes, PyTorch's own vector on this ISA; two
// registers per block, added to the one accumulator in turn.
#include <immintrin.h>

#include <cstddef>

#define LOGITLAB_VEC_TARGET __attribute__((target("avx2,fma")))

namespace logitlab::kernels {
namespace {

struct VecAvx2Fma {
  using N = __m256;
  using M = __m256;
  static constexpr std::size_t kWidth = 8;
  static constexpr std::size_t kUnroll = 2;
  static constexpr bool kFma = true;
  using Acc = __m256;

  LOGITLAB_VEC_TARGET static N load(const float* p) { return _mm256_loadu_ps(p); }
  LOGITLAB_VEC_TARGET static void store(float* p, N v) { _mm256_storeu_ps(p, v); }
  LOGITLAB_VEC_TARGET static N splat(float v) { return _mm256_set1_ps(v); }
  LOGITLAB_VEC_TARGET static N add(N a, N b) { return _mm256_add_ps(a, b); }
  LOGITLAB_VEC_TARGET static N sub(N a, N b) { return _mm256_sub_ps(a, b); }
  LOGITLAB_VEC_TARGET static N mul(N a, N b) { return _mm256_mul_ps(a, b); }
  LOGITLAB_VEC_TARGET static N fmadd(N a, N b, N c) { return _mm256_fmadd_ps(a, b, c); }
  LOGITLAB_VEC_TARGET static N max(N a, N b) { return _mm256_max_ps(a, b); }
  LOGITLAB_VEC_TARGET static N min(N a, N b) { return _mm256_min_ps(a, b); }
  LOGITLAB_VEC_TARGET static N constant(float v) { return _mm256_set1_ps(v); }
  LOGITLAB_VEC_TARGET static N shl23(N v) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(v), 23)); }
  LOGITLAB_VEC_TARGET static N pow2(N v) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_castps_si256(v), _mm256_set1_epi32(127)), 23)); }
  LOGITLAB_VEC_TARGET static M isnan(N v) { return _mm256_cmp_ps(v, v, _CMP_UNORD_Q); }
  LOGITLAB_VEC_TARGET static M mor(M a, M b) { return _mm256_or_ps(a, b); }
  LOGITLAB_VEC_TARGET static M mzero() { return _mm256_setzero_ps(); }
  LOGITLAB_VEC_TARGET static bool any(M m) { return _mm256_movemask_ps(m) != 0; }
  LOGITLAB_VEC_TARGET static bool all_abs_le(N x, float limit) {
    const N abs = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    return _mm256_movemask_ps(_mm256_cmp_ps(abs, _mm256_set1_ps(limit), _CMP_LE_OQ)) == 0xFF;
  }
  LOGITLAB_VEC_TARGET static Acc acc_zero() { return _mm256_setzero_ps(); }
  LOGITLAB_VEC_TARGET static Acc acc_add(Acc acc, N e, std::size_t) { return _mm256_add_ps(acc, e); }
  LOGITLAB_VEC_TARGET static void acc_store(Acc acc, float* lanes) { _mm256_storeu_ps(lanes, acc); }
};

}  // namespace
}  // namespace logitlab::kernels
