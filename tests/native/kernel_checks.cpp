#include "kernel_checks.hpp"

#include <algorithm>
#include <iterator>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>

#include "../../core/src/kernels/sleef_f32.hpp"
#include "logitlab/kernels/microkernels.hpp"
#include "pytorch_exp_log.inc"

namespace logitlab::kernel_checks {
namespace {

using kernels::CeParams;
using kernels::F32Kernels;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr std::int64_t kIgnore = -100;

// Long rows of the issue: a GPT-2 vocabulary, the article's 2971 classes, a round 1000.
constexpr std::size_t kLongRows[] = {1000, 2971, 50257};

template <class... Parts>
std::string say(const Parts&... parts) {
  std::ostringstream s;
  s.precision(9);
  (s << ... << parts);
  return s.str();
}

bool same_special(double got, double ref, bool& decided) {
  decided = true;
  if (std::isnan(ref) || std::isnan(got)) return std::isnan(ref) && std::isnan(got);
  if (std::isinf(ref) || std::isinf(got)) return got == ref;
  decided = false;
  return true;
}

bool within(double got, double ref, double rel, double abs) {
  bool decided;
  const bool special = same_special(got, ref, decided);
  if (decided) return special;
  return std::fabs(got - ref) <= rel * std::fabs(ref) + abs;
}

// ---------------------------------------------------------------- cross-entropy cases

struct CeCase {
  std::string what;
  std::size_t rows = 0, classes = 0;
  std::vector<float> logits;
  std::vector<std::int64_t> targets;
  std::vector<float> weight;  // empty: no weights
  float label_smoothing = 0.0f;
  std::vector<float> row_scale;

  float weight_sum() const {
    if (weight.empty()) return static_cast<float>(classes);
    double s = 0.0;
    for (float w : weight) s += w;
    return static_cast<float>(s);
  }
  CeParams<float> params() const {
    return {weight.empty() ? nullptr : weight.data(), weight_sum(), kIgnore, label_smoothing};
  }
};

struct CeOut {
  std::vector<float> loss, smooth, sum, grad;
};

CeOut run_ce(const F32Kernels& k, const CeCase& c) {
  CeOut o;
  o.loss.assign(c.rows, -1.0f);
  o.smooth.assign(c.rows, -1.0f);
  o.sum.assign(c.rows, -1.0f);
  o.grad.assign(c.rows * c.classes, -1.0f);
  const CeParams<float> p = c.params();
  k.ce_fwd(c.rows, c.classes, c.logits.data(), c.targets.data(), p, o.loss.data(),
           c.label_smoothing > 0 ? o.smooth.data() : nullptr, o.sum.data(), o.grad.data());
  k.ce_bwd(c.rows, c.classes, c.targets.data(), p, o.sum.data(), c.row_scale.data(), o.grad.data());
  return o;
}

struct CeRef {
  std::vector<double> loss, smooth, grad, grad_scale;
};

// The same quantities in float64 from the float inputs.
CeRef reference(const CeCase& c) {
  CeRef r;
  const double ls = c.label_smoothing, W = c.weight_sum();
  double max_w = 1.0;
  for (float w : c.weight) max_w = std::max(max_w, static_cast<double>(w));
  for (std::size_t row = 0; row < c.rows; ++row) {
    const float* x = c.logits.data() + row * c.classes;
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < c.classes; ++i) m = std::isnan(x[i]) || std::isnan(m) ? NAN : std::max(m, double(x[i]));
    std::vector<double> e(c.classes);
    double sum = 0.0;
    for (std::size_t i = 0; i < c.classes; ++i) sum += e[i] = std::exp(double(x[i]) - m);
    const double L = std::log(sum);
    const std::int64_t t = c.targets[row];
    const bool ignored = t == kIgnore;
    const auto w = [&](std::size_t i) { return c.weight.empty() ? 1.0 : double(c.weight[i]); };
    double loss = 0.0, smooth = 0.0, a = 0.0, b = 0.0;
    if (!ignored) {
      const auto tc = static_cast<std::size_t>(t);
      loss = -((double(x[tc]) - m) - L) * w(tc);
      for (std::size_t i = 0; i < c.classes; ++i) smooth -= ((double(x[i]) - m) - L) * w(i);
      a = (1 - ls) * w(tc) * c.row_scale[row];
      b = ls / double(c.classes) * c.row_scale[row];
    }
    r.loss.push_back(loss);
    r.smooth.push_back(smooth);
    const double k = (a + b * W) / sum;
    for (std::size_t i = 0; i < c.classes; ++i)
      r.grad.push_back(k * e[i] - b * w(i) - (!ignored && i == static_cast<std::size_t>(t) ? a : 0.0));
    r.grad_scale.push_back(std::fabs(a) + std::fabs(b) * max_w);
  }
  return r;
}

constexpr double kLossRel = 1e-6;
constexpr double kGradRel = 1e-5, kGradScale = 1e-6;

// The absolute floor for a loss or a log-probability: two float ulps at 1 (log of a float sum
// near 1), plus the random walk of a float sum of `classes` terms in 8 lanes, half an ulp per
// addition (4.7e-6 for 50257 classes; PyTorch's own sums carry it too).
double loss_abs(std::size_t classes) { return 2.4e-7 + 6e-8 * std::sqrt(static_cast<double>(classes) / 8.0); }

void compare_losses(Outcome& o, const char* who, const CeCase& c, const std::vector<float>& got,
                    const std::vector<double>& ref, const char* what) {
  for (std::size_t r = 0; r < c.rows; ++r) {
    ++o.compared;
    if (!within(got[r], ref[r], kLossRel, loss_abs(c.classes)))
      o.fail(say(c.what, ": ", who, " ", what, "[", r, "] = ", got[r], ", float64 says ", ref[r]));
  }
}

void compare_grads(Outcome& o, const char* who, const CeCase& c, const std::vector<float>& got, const CeRef& ref) {
  for (std::size_t i = 0; i < got.size(); ++i) {
    ++o.compared;
    const double scale = ref.grad_scale[i / c.classes];
    if (!within(got[i], ref.grad[i], kGradRel, kGradScale * scale))
      o.fail(say(c.what, ": ", who, " grad[", i / c.classes, ", ", i % c.classes, "] = ", got[i],
                 ", float64 says ", ref.grad[i], " (row scale ", scale, ")"));
  }
}

// The variant and the scalar kernel against float64, and against each other (within the sum
// of their tolerances), plus the mean loss.
void check_ce_case(Outcome& o, const F32Kernels& k, const CeCase& c) {
  const CeRef ref = reference(c);
  const CeOut got = run_ce(k, c);
  const CeOut base = run_ce(kernels::f32_variants()[0], c);
  for (const auto& [who, out] : {std::pair<const char*, const CeOut&>{k.name, got}, {"scalar", base}}) {
    compare_losses(o, who, c, out.loss, ref.loss, "loss");
    if (c.label_smoothing > 0) compare_losses(o, who, c, out.smooth, ref.smooth, "smooth");
    compare_grads(o, who, c, out.grad, ref);
  }
  for (std::size_t r = 0; r < c.rows; ++r)
    if (!within(got.loss[r], base.loss[r], 2 * kLossRel, 2 * loss_abs(c.classes)))
      o.fail(say(c.what, ": ", k.name, " loss[", r, "] = ", got.loss[r], ", scalar kernel says ", base.loss[r]));
  double mean = 0.0, mean_ref = 0.0;
  for (std::size_t r = 0; r < c.rows; ++r) {
    mean += got.loss[r];
    mean_ref += ref.loss[r];
  }
  if (std::isfinite(mean_ref) && !within(mean, mean_ref, kLossRel, 1e-12))
    o.fail(say(c.what, ": ", k.name, " summed loss ", mean, ", float64 says ", mean_ref));
}

// Random rows: N(0, scale) logits, random targets with every fifth row ignored (when
// rows > 1), weights in [0.5, 2) and label smoothing 0.1 as `variant` (0..3) says.
CeCase random_case(std::size_t rows, std::size_t classes, int variant, std::uint32_t seed, float scale = 3.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  std::uniform_real_distribution<float> uniform(0.5f, 2.0f);
  CeCase c;
  c.what = say(rows, "x", classes, variant & 1 ? " weighted" : "", variant & 2 ? " smoothed" : "");
  c.rows = rows;
  c.classes = classes;
  for (std::size_t i = 0; i < rows * classes; ++i) c.logits.push_back(normal(rng));
  for (std::size_t r = 0; r < rows; ++r) {
    c.targets.push_back(rows > 1 && r % 5 == 4 ? kIgnore : static_cast<std::int64_t>(rng() % classes));
    c.row_scale.push_back(1.0f / static_cast<float>(rows));
  }
  if (variant & 1)
    for (std::size_t i = 0; i < classes; ++i) c.weight.push_back(uniform(rng));
  if (variant & 2) c.label_smoothing = 0.1f;
  return c;
}

Outcome ce_short_rows(const F32Kernels& k) {
  Outcome o;
  for (std::size_t classes = 1; classes <= 67; ++classes)
    check_ce_case(o, k, random_case(6, classes, static_cast<int>(classes % 4), static_cast<std::uint32_t>(classes)));
  return o;
}

Outcome ce_long_rows(const F32Kernels& k) {
  Outcome o;
  int variant = 0;
  for (std::size_t classes : kLongRows)
    for (int v = 0; v < 4; v += 3)  // plain, and weighted + smoothed
      check_ce_case(o, k, random_case(classes > 10000 ? 3 : 6, classes, v, static_cast<std::uint32_t>(classes + v + variant++)));
  return o;
}

// One row per special situation, on rows of 37 and of 1000 classes (a tail and many blocks).
Outcome ce_special_values(const F32Kernels& k) {
  Outcome o;
  for (std::size_t classes : {std::size_t{37}, std::size_t{1000}})
    for (int v = 0; v < 4; ++v) {
      CeCase c = random_case(9, classes, v, static_cast<std::uint32_t>(classes * 10 + v));
      c.what += " special";
      std::fill(c.targets.begin(), c.targets.end(), 3);
      const auto row = [&](std::size_t r) { return c.logits.begin() + static_cast<std::ptrdiff_t>(r * classes); };
      std::fill(row(0), row(1), -kInf);                          // all -inf: NaN
      row(1)[classes / 2] = kInf;                                // +inf: NaN
      row(2)[classes - 1] = kNaN;                                // NaN: NaN
      for (std::size_t i = 0; i < classes; ++i) {
        row(3)[i] = (i % 3 == 0 ? 1e30f : -1e30f) * (1.0f + float(i) * 1e-3f);  // huge
        row(4)[i] = float(i % 7) * 1e-30f;                                      // tiny
        row(5)[i] = row(5)[i] * 40.0f;                                          // wide: beyond exp_fast's range
        if (i % 4 == 1) row(6)[i] = -kInf;                                      // masked entries
      }
      row(7)[0] = kNaN;  // NaN in an ignored row: its gradient is NaN too, as in PyTorch
      c.targets[7] = kIgnore;
      row(8)[5] = 88.0f;  // large but finite logits
      row(8)[6] = 87.5f;
      check_ce_case(o, k, c);
    }
  return o;
}

Outcome ce_all_ignored(const F32Kernels& k) {
  Outcome o;
  for (std::size_t classes : {std::size_t{1}, std::size_t{10}, std::size_t{2971}}) {
    CeCase c = random_case(5, classes, 3, static_cast<std::uint32_t>(classes));
    c.what += " all ignored";
    std::fill(c.targets.begin(), c.targets.end(), kIgnore);
    const CeOut got = run_ce(k, c);
    for (std::size_t r = 0; r < c.rows; ++r)
      if (got.loss[r] != 0.0f || got.smooth[r] != 0.0f) o.fail(say(c.what, ": loss[", r, "] = ", got.loss[r]));
    for (float g : got.grad)
      if (g != 0.0f) o.fail(say(c.what, ": a gradient of ", g));
    o.compared += got.grad.size();
  }
  return o;
}

// ce_fwd's loss is -log_softmax(x)[t] * w bit for bit, so F.cross_entropy and
// F.nll_loss(F.log_softmax(x)) print the same.
Outcome ce_matches_log_softmax(const F32Kernels& k) {
  Outcome o;
  for (std::size_t classes : {std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{45}, std::size_t{2971}}) {
    const CeCase c = random_case(6, classes, 1, static_cast<std::uint32_t>(classes * 3));
    const CeOut got = run_ce(k, c);
    std::vector<float> logp(c.logits.size());
    k.log_softmax(c.logits.data(), logp.data(), c.rows, c.classes, 1);
    for (std::size_t r = 0; r < c.rows; ++r) {
      if (c.targets[r] == kIgnore) continue;
      const auto t = static_cast<std::size_t>(c.targets[r]);
      const float expected = -logp[r * classes + t] * c.weight[t];
      ++o.compared;
      if (got.loss[r] != expected)
        o.fail(say(c.what, ": loss[", r, "] = ", got.loss[r], ", -log_softmax[t] * w = ", expected));
    }
  }
  return o;
}

// ---------------------------------------------------------------- log_softmax, softmax

void check_softmax_rows(Outcome& o, const F32Kernels& k, const std::string& what, std::size_t rows,
                        std::size_t classes, const std::vector<float>& x) {
  for (bool log : {true, false}) {
    std::vector<float> got(x.size()), base(x.size());
    (log ? k.log_softmax : k.softmax)(x.data(), got.data(), rows, classes, 1);
    (log ? kernels::f32_variants()[0].log_softmax : kernels::f32_variants()[0].softmax)(x.data(), base.data(), rows, classes, 1);
    const double rel = log ? kLossRel : 1e-5, abs = log ? loss_abs(classes) : 1e-7;
    for (std::size_t r = 0; r < rows; ++r) {
      const float* xr = x.data() + r * classes;
      double m = -std::numeric_limits<double>::infinity();
      for (std::size_t i = 0; i < classes; ++i) m = std::isnan(xr[i]) || std::isnan(m) ? NAN : std::max(m, double(xr[i]));
      double sum = 0.0;
      for (std::size_t i = 0; i < classes; ++i) sum += std::exp(double(xr[i]) - m);
      for (std::size_t i = 0; i < classes; ++i) {
        const double ref = log ? (double(xr[i]) - m) - std::log(sum) : std::exp(double(xr[i]) - m) / sum;
        const std::size_t j = r * classes + i;
        o.compared += 2;
        if (!within(got[j], ref, rel, abs) || !within(base[j], ref, rel, abs))
          o.fail(say(what, log ? " log_softmax[" : " softmax[", r, ", ", i, "]: ", k.name, " ", got[j],
                     ", scalar ", base[j], ", float64 ", ref));
      }
    }
  }
}

Outcome softmax_rows(const F32Kernels& k) {
  Outcome o;
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 67; ++n) lengths.push_back(n);
  lengths.insert(lengths.end(), std::begin(kLongRows), std::end(kLongRows));
  for (std::size_t classes : lengths) {
    const CeCase c = random_case(classes > 10000 ? 2 : 4, classes, 0, static_cast<std::uint32_t>(classes + 7));
    check_softmax_rows(o, k, c.what, c.rows, classes, c.logits);
  }
  const CeCase special = [] {
    CeCase c = random_case(4, 37, 0, 99);
    std::fill(c.logits.begin(), c.logits.begin() + 37, -kInf);
    c.logits[37 + 5] = kNaN;
    c.logits[74 + 6] = kInf;
    for (std::size_t i = 111; i < 148; ++i) c.logits[i] *= 40.0f;
    return c;
  }();
  check_softmax_rows(o, k, "special 4x37", 4, 37, special.logits);
  return o;
}

// ---------------------------------------------------------------- sums, exp, max

// PyTorch's AVX2 order over given terms (the scalar reference's lane_sum).
float pytorch_order_sum(const std::vector<float>& e) {
  const std::size_t n = e.size();
  if (n < 8) {
    float acc = e[0];
    for (std::size_t i = 1; i < n; ++i) acc += e[i];
    return acc;
  }
  float lanes[8];
  for (std::size_t l = 0; l < 8; ++l) lanes[l] = e[l];
  std::size_t d = 8;
  for (; d + 8 <= n; d += 8)
    for (std::size_t l = 0; l < 8; ++l) lanes[l] += e[d + l];
  for (std::size_t l = 0; d + l < n; ++l) lanes[l] += e[d + l];
  return ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
}

Outcome sums_in_pytorch_order(const F32Kernels& k) {
  Outcome o;
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 67; ++n) lengths.push_back(n);
  lengths.insert(lengths.end(), std::begin(kLongRows), std::end(kLongRows));
  for (std::size_t n : lengths) {
    const CeCase c = random_case(1, n, 0, static_cast<std::uint32_t>(n + 1000), 2.0f);
    const float m = k.rmax(n, c.logits.data());
    std::vector<float> e(n);
    const float sum = k.raddstoreexpminusmax(n, c.logits.data(), m, e.data());
    const float expected = pytorch_order_sum(e);
    ++o.compared;
    if (sum != expected) o.fail(say(n, " terms: raddstoreexpminusmax gives ", sum, ", PyTorch's order over its exps ", expected));
    const CeOut out = run_ce(k, c);  // ce_fwd stored its exps in grad before ce_bwd scaled them
    std::vector<float> e2(n);
    float row_sum = 0.0f;
    const CeParams<float> p = c.params();
    float loss = 0.0f;
    k.ce_fwd(1, n, c.logits.data(), c.targets.data(), p, &loss, nullptr, &row_sum, e2.data());
    ++o.compared;
    if (row_sum != pytorch_order_sum(e2)) o.fail(say(n, " classes: ce_fwd's row sum ", row_sum, " is not PyTorch's order over its exps"));
    if (out.sum[0] != row_sum) o.fail(say(n, " classes: ce_fwd's row sum changes with what else it computes"));
  }
  return o;
}

using kernels::sleef::bits;
using kernels::sleef::from_bits;

double ulps(float got, float want) {
  const double ulp = std::nextafter(std::fabs(want), kInf) - std::fabs(want);
  return std::fabs(double(got) - double(want)) / ulp;
}

// exp through raddstoreexpminusmax(max = 0), which stores exp(x - 0) = exp(x), against
// torch.exp. Inexact variants hand |x| > 87 (and NaN) to the exact scalar exp.
Outcome exp_matches_pytorch(const F32Kernels& k) {
  Outcome o;
  const std::size_t n = std::size(kPytorchExp);
  std::vector<float> x(n), e(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = from_bits(kPytorchExp[i][0]);
  k.raddstoreexpminusmax(n, x.data(), 0.0f, e.data());
  for (std::size_t i = 0; i < n; ++i) {
    const float want = from_bits(kPytorchExp[i][1]);
    ++o.compared;
    if (std::isnan(want)) {
      if (!std::isnan(e[i])) o.fail(say("exp(", x[i], ") = ", e[i], ", PyTorch says nan"));
    } else if (k.exact || !(std::fabs(x[i]) <= 87.0f)) {
      if (bits(e[i]) != kPytorchExp[i][1])
        o.fail(say("exp(", x[i], ") = ", e[i], ", PyTorch says ", want, " (", ulps(e[i], want), " ulp)"));
    } else if (ulps(e[i], want) > 2.5) {
      o.fail(say("exp(", x[i], ") = ", e[i], ", ", ulps(e[i], want), " ulp from PyTorch's ", want));
    }
  }
  return o;
}

// The scalar exp and log (Sleef's, which every variant uses for single values: the log of each
// row's sum, exps outside the fast range) against torch.exp and torch.log, bit for bit.
Outcome scalar_exp_log_match_pytorch(const F32Kernels&) {
  Outcome o;
  const auto check = [&](const char* name, float (*f)(float), const auto& table) {
    for (const auto& pair : table) {
      const float x = from_bits(pair[0]), want = from_bits(pair[1]), got = f(x);
      ++o.compared;
      if (std::isnan(want) ? !std::isnan(got) : bits(got) != pair[1])
        o.fail(say(name, "(", x, ") = ", got, ", PyTorch says ", want));
    }
  };
  check("exp", kernels::sleef::expf_u10, kPytorchExp);
  check("log", kernels::sleef::logf_u10, kPytorchLog);
  return o;
}

// Exact variants compute what the scalar kernel computes, to the last bit: losses, sums, exps,
// gradients, log_softmax and softmax. (Inexact ones: within twice the float64 tolerances.)
Outcome exact_variants_match_scalar(const F32Kernels& k) {
  Outcome o;
  const F32Kernels& scalar = kernels::f32_variants()[0];
  const auto same = [&](const std::string& what, const std::vector<float>& got, const std::vector<float>& want, double rel) {
    for (std::size_t i = 0; i < got.size(); ++i) {
      ++o.compared;
      const bool ok = k.exact ? bits(got[i]) == bits(want[i]) ||
                                    (std::isnan(got[i]) && std::isnan(want[i]))
                              : within(got[i], want[i], rel, 1e-7);
      if (!ok) o.fail(say(what, "[", i, "]: ", k.name, " ", got[i], ", scalar ", want[i]));
    }
  };
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 67; n += 3) lengths.push_back(n);
  lengths.insert(lengths.end(), std::begin(kLongRows), std::end(kLongRows));
  for (std::size_t classes : lengths) {
    const CeCase c = random_case(classes > 10000 ? 2 : 5, classes, 1, static_cast<std::uint32_t>(classes + 77));
    const CeOut got = run_ce(k, c), want = run_ce(scalar, c);
    same(c.what + " loss", got.loss, want.loss, 4e-6);
    same(c.what + " sum", got.sum, want.sum, 4e-6);
    same(c.what + " grad", got.grad, want.grad, 4e-5);
    for (bool log : {true, false}) {
      std::vector<float> y(c.logits.size()), y0(c.logits.size());
      (log ? k.log_softmax : k.softmax)(c.logits.data(), y.data(), c.rows, classes, 1);
      (log ? scalar.log_softmax : scalar.softmax)(c.logits.data(), y0.data(), c.rows, classes, 1);
      same(c.what + (log ? " log_softmax" : " softmax"), y, y0, log ? 4e-6 : 4e-5);
    }
  }
  return o;
}

Outcome rmax_values(const F32Kernels& k) {
  Outcome o;
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 67; ++n) lengths.push_back(n);
  lengths.push_back(1000);
  for (std::size_t n : lengths) {
    CeCase c = random_case(1, n, 0, static_cast<std::uint32_t>(n + 5000));
    for (std::size_t at : {std::size_t{0}, n / 2, n - 1}) {
      std::vector<float> x = c.logits;
      x[at] = 50.0f;
      o.compared += 2;
      if (k.rmax(n, x.data()) != 50.0f) o.fail(say(n, " elements, max 50 at ", at, ": got ", k.rmax(n, x.data())));
      x[(at + 1) % n] = kNaN;
      if (!std::isnan(k.rmax(n, x.data()))) o.fail(say(n, " elements with a NaN at ", (at + 1) % n, ": got ", k.rmax(n, x.data())));
    }
    std::vector<float> all(n, -kInf);
    if (k.rmax(n, all.data()) != -kInf) o.fail(say(n, " elements, all -inf: got ", k.rmax(n, all.data())));
  }
  return o;
}

}  // namespace

const std::vector<Check>& checks() {
  static const std::vector<Check> all = {
      {"ce_fwd and ce_bwd agree with the scalar kernel and float64 on rows of 1 to 67 classes", ce_short_rows},
      {"ce_fwd and ce_bwd agree with the scalar kernel and float64 on rows of 1000, 2971 and 50257 classes",
       ce_long_rows},
      {"ce_fwd and ce_bwd agree with float64 on -inf rows, +inf, NaN, huge, tiny, widely spread and masked logits",
       ce_special_values},
      {"ce_fwd and ce_bwd give zero losses and zero gradients when every target is ignored", ce_all_ignored},
      {"ce_fwd's loss is -log_softmax at the target times its weight, bit for bit", ce_matches_log_softmax},
      {"log_softmax and softmax agree with the scalar kernel and float64 on 1 to 67, 1000, 2971 and 50257 classes",
       softmax_rows},
      {"sums of exps follow PyTorch's lane order bit for bit", sums_in_pytorch_order},
      {"exp gives PyTorch's values: bit for bit in exact variants and for special values, within 2.5 ulp otherwise",
       exp_matches_pytorch},
      {"the scalar exp and log that every variant uses for single values are PyTorch's bit for bit",
       scalar_exp_log_match_pytorch},
      {"exact variants give the scalar kernel's losses, sums, gradients and (log_)softmax bit for bit",
       exact_variants_match_scalar},
      {"rmax finds the max of rows of 1 to 67 and 1000 elements, NaN when one is NaN", rmax_values},
  };
  return all;
}

}  // namespace logitlab::kernel_checks
