#pragma once
// PyTorch's float exp and log, bit for bit. PyTorch 1.13's CPU kernels (softmax, log_softmax,
// exp, log) call Sleef's 1-ulp functions, Sleef_expf8_u10 and Sleef_logf8_u10 on an AVX2
// machine, which compute with fused multiply-adds. These are the same algorithms, step for
// step, with a correctly rounded fma for each fused step, so every rounding is Sleef's:
// checked against torch.exp and torch.log on 900,000 inputs each (tests/native/
// pytorch_exp_log.inc keeps a sample). std::exp would differ from PyTorch on about 9% of
// inputs, by one ulp, and `print(loss.item())` shows every bit. The algorithms and constants
// are Sleef's (src/libm/sleefsimdsp.c, xexpf and xlogf_u1; Boost Software License 1.0).
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace logitlab::kernels::sleef {

// Sleef's constants: 1/ln 2, ln 2 in two parts (the first with 16 significant bits, so q * kL2U
// is exact), and the coefficients of exp's polynomial.
inline constexpr float kRLn2 = 1.442695040888963407359924681001892137426645954152985934135449406931f;
inline constexpr float kL2U = 0.693145751953125f;
inline constexpr float kL2L = 1.428606765330187045e-06f;
inline constexpr float kExpC[6] = {0.000198527617612853646278381f, 0.00139304355252534151077271f,
                                   0.00833336077630519866943359f, 0.0416664853692054748535156f,
                                   0.166666671633720397949219f, 0.5f};

// The bits of a float and back (std::bit_cast is missing from Emscripten 3.1.6's libc++).
inline std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline float from_bits(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

inline float pow2i(int q) { return from_bits(static_cast<std::uint32_t>(q + 0x7f) << 23); }

// fma(a, b, c) for floats, correctly rounded, without a library call (the core is built for
// CPUs without FMA, and wasm has none): a*b is exact in double and a*b + c is rounded once
// there; rounding that to float is right unless it landed exactly halfway between two floats
// (its low 29 bits 1000...0) or below the normal range, where std::fma decides.
inline float fma(float a, float b, float c) {
  const double s = static_cast<double>(a) * static_cast<double>(b) + static_cast<double>(c);
  std::uint64_t u;
  std::memcpy(&u, &s, sizeof u);
  if ((u & 0x1FFFFFFFu) == 0x10000000u || std::fabs(s) < static_cast<double>(FLT_MIN)) [[unlikely]]
    return std::fma(a, b, c);
  return static_cast<float>(s);
}

// rint(x) for |x| < 2^22, ties to even like Sleef's vrint: adding 1.5 * 2^23 rounds to an integer.
inline float round_to_int(float x) { return (x + 0x1.8p23f) - 0x1.8p23f; }

// Sleef_expf_u10: exp(d) = 2^q e^s, q = rint(d / ln 2), e^s by a degree-7 polynomial.
inline float expf_u10(float d) {
  if (std::isnan(d)) return d;
  if (d < -104.0f) return 0.0f;
  if (100.0f < d) return std::numeric_limits<float>::infinity();
  const float qf = round_to_int(d * kRLn2);
  const int q = static_cast<int>(qf);
  float s = fma(qf, -kL2U, d);
  s = fma(qf, -kL2L, s);
  float u = kExpC[0];
  for (int i = 1; i < 6; ++i) u = fma(u, s, kExpC[i]);
  u = 1.0f + fma(s * s, u, s);
  return u * pow2i(q >> 1) * pow2i(q - (q >> 1));  // two steps: 2^q alone may not be a float
}

// Sleef's double-float arithmetic (a value as an unevaluated sum x + y), the forms it uses
// when FMA is available.
struct Float2 {
  float x, y;
};
inline Float2 df_mul(Float2 a, float b) {
  const float x = a.x * b;
  return {x, fma(a.y, b, fma(a.x, b, -x))};
}
inline Float2 df_add2(float a, float b) {
  const float x = a + b;
  const float v = x - a;
  return {x, (a - (x - v)) + (b - v)};
}
inline Float2 df_add(Float2 a, Float2 b) {
  const float x = a.x + b.x;
  return {x, (((a.x - x) + b.x) + a.y) + b.y};
}
inline Float2 df_add(Float2 a, float b) {
  const float x = a.x + b;
  return {x, ((a.x - x) + b) + a.y};
}
inline Float2 df_div(Float2 n, Float2 d) {
  const float t = 1.0f / d.x;
  const float x = n.x * t;
  const float u = fma(t, n.x, -x);
  const float y = fma(-d.y, t, fma(-d.x, t, 1.0f));
  return {x, fma(x, y, fma(n.y, t, u))};
}

// Sleef_logf_u10: log(d) = e ln 2 + 2 atanh((m - 1) / (m + 1)), d = m 2^e, in double-float.
inline float logf_u10(float d0) {
  float d = d0;
  const bool tiny = d < FLT_MIN;
  if (tiny) d *= 18446744073709551616.0f;  // 2^64
  int e = static_cast<int>((bits(d * (1.0f / 0.75f)) >> 23) & 0xff) - 0x7f;
  const float m = from_bits(bits(d) + (static_cast<std::uint32_t>(-e) << 23));
  if (tiny) e -= 64;
  Float2 s = df_mul(Float2{0.69314718246459960938f, -1.904654323148236017e-09f}, static_cast<float>(e));
  const Float2 x = df_div(df_add2(-1.0f, m), df_add2(1.0f, m));
  const float x2 = x.x * x.x;
  float t = 0.3027294874f;
  t = fma(t, x2, 0.3996108174f);
  t = fma(t, x2, 0.6666694880f);
  s = df_add(s, Float2{x.x * 2.0f, x.y * 2.0f});
  s = df_add(s, (x2 * x.x) * t);
  float r = s.x + s.y;
  if (std::isinf(d0) && d0 > 0) r = std::numeric_limits<float>::infinity();
  if (d0 < 0 || std::isnan(d0)) r = std::numeric_limits<float>::quiet_NaN();
  if (d0 == 0) r = -std::numeric_limits<float>::infinity();
  return r;
}

}  // namespace logitlab::kernels::sleef
