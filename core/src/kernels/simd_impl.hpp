#pragma once
// The SIMD kernels, written once over a vector traits class P (vec_sse2.hpp, vec_avx2_fma.hpp,
// vec_avx512f.hpp, vec_wasmsimd.hpp), the way XNNPACK generates its per-ISA microkernels from
// one template. Each <op>__<isa>.cpp includes one vec_*.hpp, then this file, and instantiates
// one kernel. Everything here lives in an anonymous namespace and carries the ISA's target
// attribute (LOGITLAB_VEC_TARGET), so each file gets its own copy compiled for its own
// instruction set and nothing wider leaks into the baseline code.
//
// P provides: N (a register of kWidth floats), M (a lane mask), kUnroll (registers per block;
// kWidth * kUnroll is a multiple of 8), kFma (the ISA has fused multiply-add), load/store/splat,
// add/sub/mul, fmadd(a, b, c) = a*b + c (fused, rounded once, when kFma; else rounded twice),
// max/min (any NaN rule), pow2(v) (2^q from v = q + 1.5 * 2^23, |q| <= 126), shl23(v) (each
// lane's bits shifted left by 23), constant(c) (a register of c that the compiler must not
// rematerialise at each use), isnan/mor/mzero/any
// on masks, all_abs_le(x, limit), and the 8-lane accumulator of PyTorch's order: Acc, acc_zero,
// acc_add(acc, e, j) (acc plus the j-th register of a block), acc_store(acc, lanes[8]).
//
// exp. With FMA, the variants compute Sleef's expf_u10 step for step (sleef_f32.hpp), so their
// exps are PyTorch's bit for bit, like the scalar kernel's: same exps, same order of addition,
// same log, hence the same losses to the last bit. Without FMA (SSE2, wasm simd128), emulating
// each fused step in double costs about five times as much in wasm, so those variants use a
// cheaper exp of their own (within 2.3 ulp); dispatch.hpp sends small problems, where that
// cost would not matter, to the scalar kernel instead.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "scalar_impl.hpp"
#include "sleef_f32.hpp"

#ifndef LOGITLAB_VEC_TARGET
#error "include one vec_*.hpp before simd_impl.hpp"
#endif

namespace logitlab::kernels {
namespace {

#define LOGITLAB_VEC_INLINE LOGITLAB_VEC_TARGET inline

template <class P>
struct Simd {
  using N = typename P::N;
  using M = typename P::M;
  static constexpr std::size_t W = P::kWidth;
  static constexpr std::size_t K = P::kUnroll;
  static constexpr std::size_t B = W * K;  // floats per block
  static_assert(B % 8 == 0, "a block holds whole PyTorch vectors");

  // Both exps write exp(x) = 2^q e^s with q = rint(x / ln 2) and s = x - q ln 2, ln 2 in two
  // parts (Cody-Waite; q * kL2U is exact). The rounding adds 1.5 * 2^23, whose low bits then
  // hold q (ties to even, like Sleef's rint) and give 2^q.
  static constexpr float kRound = 0x1.8p23f;
  // |x| <= kFastLimit: q is within [-126, 126] and exp(x) a normal float, so 2^q needs one
  // multiply. Outside (and for NaN), exp_checked hands the lane to the scalar exp.
  static constexpr float kFastLimit = 87.0f;

  // Without FMA: e^s = 1 + s p(s), p of degree 4 fitted for relative error on |s| <= ln(2)/2;
  // within 2.3 ulp of exp with every multiply-add rounded twice. Its rounding constant carries
  // the exponent bias too (kRound + 127: v's low bits hold q + 127, so 2^q is v << 23, one
  // instruction less); its ties may go the other way from rint's, which only moves s within
  // [-ln(2)/2, ln(2)/2].
  static constexpr float kP[5] = {0x1.FFFFF6p-1f, 0x1.FFFDC6p-2f, 0x1.555A6Ap-3f, 0x1.573A5Ap-5f, 0x1.0FA82Ep-7f};
  static constexpr float kRoundBiased = kRound + 127.0f;

  // The exps' constants as registers, made once per row (P::constant): in wasm, a constant
  // written inline is rematerialised by LLVM at every use inside the loop as a v128.const, which
  // V8 builds in three or four x86 instructions each time; a value it cannot see through is
  // kept in a register (or a stack slot) instead.
  struct ExpK {
    N rln2, round, neg_round, nl2u, nl2l, c[6], one;
    LOGITLAB_VEC_INLINE ExpK() {
      rln2 = P::constant(sleef::kRLn2);
      nl2u = P::constant(-sleef::kL2U);
      nl2l = P::constant(-sleef::kL2L);
      if constexpr (P::kFma) {
        round = P::constant(kRound);
        neg_round = P::constant(-kRound);
        for (int i = 0; i < 6; ++i) c[i] = P::constant(sleef::kExpC[i]);
        one = P::constant(1.0f);
      } else {
        round = P::constant(kRoundBiased);
        neg_round = P::constant(-kRoundBiased);
        for (int i = 0; i < 5; ++i) c[i] = P::constant(kP[i]);
        c[5] = one = P::splat(0.0f);  // unused
      }
    }
  };

  // Sleef's expf_u10 with FMA (see sleef::expf_u10): PyTorch's exp bit for bit.
  LOGITLAB_VEC_INLINE static N exp_sleef(N x, const ExpK& k) {
    const N v = P::add(P::mul(x, k.rln2), k.round);
    const N q = P::add(v, k.neg_round);
    N s = P::fmadd(q, k.nl2u, x);
    s = P::fmadd(q, k.nl2l, s);
    N u = k.c[0];
    for (int i = 1; i < 6; ++i) u = P::fmadd(u, s, k.c[i]);
    u = P::add(k.one, P::fmadd(P::mul(s, s), u, s));
    return P::mul(u, P::pow2(v));
  }

  LOGITLAB_VEC_INLINE static N exp_poly(N x, const ExpK& k) {
    const N v = P::add(P::mul(x, k.rln2), k.round);
    const N q = P::add(v, k.neg_round);
    N s = P::fmadd(q, k.nl2u, x);
    s = P::fmadd(q, k.nl2l, s);
    N p = P::fmadd(k.c[4], s, k.c[3]);
    p = P::fmadd(p, s, k.c[2]);
    p = P::fmadd(p, s, k.c[1]);
    p = P::fmadd(p, s, k.c[0]);
    const N two_q = P::shl23(v);
    return P::fmadd(P::mul(s, two_q), p, two_q);
  }

  LOGITLAB_VEC_INLINE static N exp_fast(N x, const ExpK& k) {
    if constexpr (P::kFma) return exp_sleef(x, k);
    else return exp_poly(x, k);
  }

  // exp for any input, PyTorch's special values included (0 below -104, inf above 100, NaN).
  LOGITLAB_VEC_INLINE static N exp_checked(N x, const ExpK& k) {
    const N e = exp_fast(x, k);
    if (P::all_abs_le(x, kFastLimit)) return e;
    float xs[W], es[W];
    P::store(xs, x);
    P::store(es, e);
    for (std::size_t l = 0; l < W; ++l)
      if (!(std::fabs(xs[l]) <= kFastLimit)) es[l] = sleef::expf_u10(xs[l]);
    return P::load(es);
  }

  template <bool Checked>
  LOGITLAB_VEC_INLINE static N exp(N x, const ExpK& k) {
    if constexpr (Checked) return exp_checked(x, k);
    else return exp_fast(x, k);
  }

  // Copies x[0..n) (n < 2 B) into a zero-offset buffer padded with `pad`, so a row's tail can
  // go through the same vector code without reading past the row.
  struct Tail {
    float v[2 * B];
    LOGITLAB_VEC_INLINE Tail(const float* x, std::size_t n, float pad) {
      for (float& f : v) f = pad;
      std::memcpy(v, x, n * sizeof(float));
    }
  };

  struct MinMax {
    float max, min;
  };

  // Max and min of x[0..n), n >= 1. With TrackNan, both are NaN when any element is NaN (rmax's
  // contract); without, a NaN may be skipped, which the kernels below can afford: a NaN element
  // makes its row's sum of exps NaN, hence every output of the row, whatever the max.
  template <bool TrackNan>
  LOGITLAB_VEC_INLINE static MinMax rminmax(std::size_t n, const float* x) {
    N mx[K], mn[K];
    M nan[K];
    for (std::size_t j = 0; j < K; ++j) {
      mx[j] = P::splat(x[0]);
      mn[j] = mx[j];
      nan[j] = P::mzero();
    }
    std::size_t i = 0;
    auto block = [&](const float* p) LOGITLAB_VEC_TARGET {
      for (std::size_t j = 0; j < K; ++j) {
        const N v = P::load(p + j * W);
        mx[j] = P::max(mx[j], v);
        mn[j] = P::min(mn[j], v);
        if constexpr (TrackNan) nan[j] = P::mor(nan[j], P::isnan(v));
      }
    };
    for (; i + B <= n; i += B) block(x + i);
    if (i < n) {
      const Tail t(x + i, n - i, x[0]);
      block(t.v);
    }
    for (std::size_t j = 1; j < K; ++j) {
      mx[0] = P::max(mx[0], mx[j]);
      mn[0] = P::min(mn[0], mn[j]);
      nan[0] = P::mor(nan[0], nan[j]);
    }
    if (TrackNan && P::any(nan[0])) return {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::quiet_NaN()};
    float a[W], b[W];
    P::store(a, mx[0]);
    P::store(b, mn[0]);
    MinMax r{a[0], b[0]};
    for (std::size_t l = 1; l < W; ++l) {
      r.max = a[l] > r.max ? a[l] : r.max;
      r.min = b[l] < r.min ? b[l] : r.min;
    }
    return r;
  }

  // A row whose exps never leave exp_fast's range: x - max in [-kFastLimit, 0] everywhere.
  // False for NaN, +-inf, and rows spanning more than kFastLimit.
  static bool tame(MinMax mm) { return mm.max - mm.min <= kFastLimit; }

  static float pytorch_lane_total(const float* lanes) {
    const float w0 = lanes[0] + lanes[4], w1 = lanes[1] + lanes[5];
    const float w2 = lanes[2] + lanes[6], w3 = lanes[3] + lanes[7];
    return (w0 + w2) + (w1 + w3);
  }

  // The 8-lane sums of exp(x - mv) over n elements, n a multiple of B; a function of its own
  // so that the accumulator stays in registers. `ahead` (or null): the next row, which the
  // loop asks the cache for while the exps keep the core busy, so that the next row's max pass
  // finds it there instead of waiting on memory (a no-op in wasm, which has no prefetch).
  template <bool Checked, bool Store>
  LOGITLAB_VEC_INLINE static typename P::Acc sum_blocks(std::size_t n, const float* x, N mv, float* exps, const ExpK& k,
                                                        const float* ahead) {
    typename P::Acc acc = P::acc_zero();
    for (std::size_t i = 0; i < n; i += B) {
      if (ahead)
        for (std::size_t j = 0; j < B; j += 16) __builtin_prefetch(ahead + i + j);
      N ex[K];
      for (std::size_t j = 0; j < K; ++j) ex[j] = exp<Checked>(P::sub(P::load(x + i + j * W), mv), k);
      if constexpr (Store)
        for (std::size_t j = 0; j < K; ++j) P::store(exps + i + j * W, ex[j]);
      for (std::size_t j = 0; j < K; ++j) acc = P::acc_add(acc, ex[j], j);
    }
    return acc;
  }

  // Sum of exp(x - max) over n >= 1 elements in PyTorch's order; stores the exps if asked.
  template <bool Checked>
  LOGITLAB_VEC_INLINE static float sum_exp(std::size_t n, const float* x, float max, float* exps,
                                         const float* ahead = nullptr) {
    const N mv = P::splat(max);
    const ExpK k;
    auto tail_exps = [&](const float* p, std::size_t count, float* out) LOGITLAB_VEC_TARGET {
      const Tail t(p, count, max);  // padding lanes compute exp(0)
      for (std::size_t v = 0; v * W < count; ++v) P::store(out + v * W, exp<Checked>(P::sub(P::load(t.v + v * W), mv), k));
      if (exps) std::memcpy(exps + (p - x), out, count * sizeof(float));
    };
    float e[2 * B] = {};  // (initialised only to quiet -Wmaybe-uninitialized)
    if (n < 8) {  // PyTorch sums a row shorter than a vector left to right
      tail_exps(x, n, e);
      float acc = e[0];
      for (std::size_t i = 1; i < n; ++i) acc += e[i];
      return acc;
    }
    const std::size_t i = (n - n % 8) / B * B;  // the whole blocks
    float lanes[8];
    P::acc_store(exps ? sum_blocks<Checked, true>(i, x, mv, exps, k, ahead) : sum_blocks<Checked, false>(i, x, mv, exps, k, ahead),
                 lanes);
    // What is left: whole vectors (when a block holds several) and then the partial one, whose
    // elements go to the first lanes, in order.
    if (i < n) {
      tail_exps(x + i, n - i, e);
      for (std::size_t l = 0; l < n - i; ++l) lanes[l % 8] += e[l];
    }
    return pytorch_lane_total(lanes);
  }

  LOGITLAB_VEC_INLINE static float sum_exp_minus_max(std::size_t n, const float* x, float max, float* exps,
                                                       bool tame_row, const float* ahead = nullptr) {
    return tame_row ? sum_exp<false>(n, x, max, exps, ahead) : sum_exp<true>(n, x, max, exps, ahead);
  }

  // sum_c (x[c] - max) * w[c] (w null: all ones), for label smoothing: float lanes over chunks
  // of at most 64 blocks, then double, so 50257 classes lose no more than a few ulps.
  LOGITLAB_VEC_INLINE static double sum_shifted(std::size_t n, const float* x, float max, const float* w) {
    const N mv = P::splat(max);
    double total = 0.0;
    std::size_t i = 0;
    while (i + B <= n) {
      const std::size_t chunk_end = i + 64 * B < n ? i + 64 * B : n;
      N acc[K];
      for (std::size_t j = 0; j < K; ++j) acc[j] = P::splat(0.0f);
      for (; i + B <= chunk_end; i += B)
        for (std::size_t j = 0; j < K; ++j) {
          const N d = P::sub(P::load(x + i + j * W), mv);
          acc[j] = w ? P::fmadd(d, P::load(w + i + j * W), acc[j]) : P::add(acc[j], d);
        }
      for (std::size_t j = 1; j < K; ++j) acc[0] = P::add(acc[0], acc[j]);
      float lanes[W];
      P::store(lanes, acc[0]);
      for (float v : lanes) total += static_cast<double>(v);
    }
    for (; i < n; ++i) total += static_cast<double>(x[i] - max) * (w ? static_cast<double>(w[i]) : 1.0);
    return total;
  }

  // out[i] = f(in[i]) for i < n, f a vector function; the tail through a padded buffer.
  template <class F>
  LOGITLAB_VEC_INLINE static void map(std::size_t n, const float* in, float* out, F f) {
    std::size_t i = 0;
    for (; i + B <= n; i += B)
      for (std::size_t j = 0; j < K; ++j) P::store(out + i + j * W, f(P::load(in + i + j * W), i + j * W));
    if (i < n) {
      const Tail t(in + i, n - i, 0.0f);
      float y[2 * B];
      for (std::size_t k = 0; k * W < n - i; ++k) P::store(y + k * W, f(P::load(t.v + k * W), i + k * W));
      std::memcpy(out + i, y, (n - i) * sizeof(float));
    }
  }

  LOGITLAB_VEC_INLINE static void ce_fwd(std::size_t rows, std::size_t classes, const float* logits,
                                         const std::int64_t* targets, const CeParams<float>& p, float* loss,
                                         float* smooth, float* row_sum, float* exps) {
    for (std::size_t r = 0; r < rows; ++r) {
      const float* x = logits + r * classes;
      const MinMax mm = rminmax<false>(classes, x);
      const float m = mm.max;
      const float sum = sum_exp_minus_max(classes, x, m, exps ? exps + r * classes : nullptr, tame(mm),
                                          r + 1 < rows ? x + classes : nullptr);
      const float log_sum = sleef::logf_u10(sum);
      if (row_sum) row_sum[r] = sum;
      const std::int64_t t = targets[r];
      const bool ignored = t == p.ignore_index;
      const auto tc = static_cast<std::size_t>(t);
      const float w = ignored || !p.weight ? 1.0f : p.weight[tc];
      loss[r] = ignored ? 0.0f : -((x[tc] - m) - log_sum) * w;
      if (smooth)
        smooth[r] = ignored ? 0.0f
                            : static_cast<float>(static_cast<double>(log_sum) * static_cast<double>(p.weight_sum) -
                                                 sum_shifted(classes, x, m, p.weight));
    }
  }

  LOGITLAB_VEC_INLINE static void ce_bwd(std::size_t rows, std::size_t classes, const std::int64_t* targets,
                                         const CeParams<float>& p, const float* row_sum, const float* row_scale,
                                         float* grad) {
    for (std::size_t r = 0; r < rows; ++r) {
      const auto c = scalar::ce_bwd_row(classes, targets[r], p, row_sum[r], row_scale[r]);
      float* g = grad + r * classes;
      // k e - b w with the scalar kernel's roundings (no fused step), so exact variants agree
      // with it bit for bit.
      const N k = P::splat(c.k);
      const N b = P::splat(c.b);
      if (c.b == 0.0f) {
        map(classes, g, g, [&](N e, std::size_t) LOGITLAB_VEC_TARGET { return P::mul(k, e); });
      } else if (p.weight) {
        const float* w = p.weight;
        map(classes, g, g, [&](N e, std::size_t i) LOGITLAB_VEC_TARGET {
          return P::sub(P::mul(k, e), P::mul(b, load_padded(w, i, classes)));
        });
      } else {
        map(classes, g, g, [&](N e, std::size_t) LOGITLAB_VEC_TARGET { return P::sub(P::mul(k, e), b); });
      }
      if (!c.ignored) g[c.target] -= c.a;
    }
  }

  // W floats of w from i, zero past n (the tail of map()).
  LOGITLAB_VEC_INLINE static N load_padded(const float* w, std::size_t i, std::size_t n) {
    if (i + W <= n) return P::load(w + i);
    float v[W] = {};
    for (std::size_t l = 0; i + l < n; ++l) v[l] = w[i + l];
    return P::load(v);
  }

  LOGITLAB_VEC_INLINE static void log_softmax_rows(const float* in, float* out, std::size_t rows,
                                                   std::size_t classes) {
    for (std::size_t r = 0; r < rows; ++r) {
      const float* x = in + r * classes;
      const MinMax mm = rminmax<false>(classes, x);
      const float log_sum = sleef::logf_u10(sum_exp_minus_max(classes, x, mm.max, nullptr, tame(mm)));
      const N mv = P::splat(mm.max), lv = P::splat(log_sum);
      // (x - max) - log_sum, in this order, like PyTorch (see its SoftMaxKernel.cpp).
      map(classes, x, out + r * classes, [&](N v, std::size_t) LOGITLAB_VEC_TARGET { return P::sub(P::sub(v, mv), lv); });
    }
  }

  LOGITLAB_VEC_INLINE static void softmax_rows(const float* in, float* out, std::size_t rows, std::size_t classes) {
    for (std::size_t r = 0; r < rows; ++r) {
      const float* x = in + r * classes;
      float* y = out + r * classes;
      const MinMax mm = rminmax<false>(classes, x);
      const N inv = P::splat(1.0f / sum_exp_minus_max(classes, x, mm.max, y, tame(mm)));
      map(classes, y, y, [&](N v, std::size_t) LOGITLAB_VEC_TARGET { return P::mul(v, inv); });
    }
  }
};

#undef LOGITLAB_VEC_INLINE

}  // namespace
}  // namespace logitlab::kernels
