// log_softmax / softmax / nll_loss / cross_entropy, following the structure of PyTorch 1.13's
// aten/src/ATen/native/{SoftMax,LossNLL,LossNLL2d,Loss}.cpp: all checks first, in PyTorch's order
// and with its messages, then the arithmetic.
//
// The arithmetic runs on the microkernels of core/src/kernels/ (kernels::f32_kernels_for picks
// the variant, see kernels/dispatch.hpp): log_softmax and softmax, and cross-entropy with
// class-index targets on [C] or [N, C] logits through the fused kernels (one pass for the max,
// one for the sum of exps; the backward stores the exps in the gradient and scales them in
// place). The kernels add in PyTorch's order with PyTorch's exp and log, so losses are
// PyTorch's to the last bit.
// Reductions over the batch emulate PyTorch's in the input's precision; the rarer paths
// (probability targets, spatial inputs, gradients of log_softmax/softmax) compute in double
// from the kernels' outputs and store in the input's dtype.
#include "logitlab/ops/losses.hpp"

#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "logitlab/error.hpp"
#include "logitlab/kernels/dispatch.hpp"

namespace logitlab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------- softmax

struct Blocks {
  std::size_t outer = 1, classes = 1, inner = 1;
};

// The tensor seen as [outer, classes, inner] around `dim` (already wrapped).
Blocks blocks_around(const Shape& shape, std::int64_t dim) {
  Blocks b;
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(shape.size()); ++i) {
    const auto s = static_cast<std::size_t>(shape[static_cast<std::size_t>(i)]);
    if (i < dim) b.outer *= s;
    else if (i == dim) b.classes = s;
    else b.inner *= s;
  }
  return b;
}

// PyTorch dispatches the softmax kernels on floating types only; the kernel's name is in the
// message, and the name depends on whether the softmax dim is the last one.
void check_softmax_dtype(const Tensor& x, std::int64_t dim, bool log) {
  if (is_floating(x.dtype())) return;
  const bool lastdim = x.dim() == 0 || dim == x.dim() - 1;
  const char* kernel = lastdim ? (log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl")
                               : "softmax_kernel_impl";
  raise_runtime(cat('"', kernel, "\" not implemented for '", scalar_type_name(x.dtype()), "'"));
}

Tensor softmax_common(const Tensor& x, std::int64_t dim, bool log) {
  dim = wrap_dim(dim, x.dim());
  check_softmax_dtype(x, dim, log);
  Tensor out = Tensor::empty(x.dtype(), x.shape(), x.is_meta());
  if (x.is_meta() || x.numel() == 0) return out;
  const Tensor xc = x.contiguous();
  const Blocks b = blocks_around(x.shape(), dim);
  if (x.dtype() == DType::Float32) {
    const auto& k = kernels::f32_kernels_for(static_cast<std::size_t>(x.numel()));
    (log ? k.log_softmax : k.softmax)(xc.data<float>(), out.data<float>(), b.outer, b.classes, b.inner);
  } else {
    (log ? kernels::f64_log_softmax__scalar : kernels::f64_softmax__scalar)(
        xc.data<double>(), out.data<double>(), b.outer, b.classes, b.inner);
  }
  return out;
}

std::vector<double> to_doubles(const Tensor& t) {
  std::vector<double> v(static_cast<std::size_t>(t.numel()));
  std::size_t i = 0;
  dispatch(t.dtype(), [&]<class T>() {
    const T* base = t.storage_base<T>();
    for_each_offset(t, [&](std::int64_t off) { v[i++] = static_cast<double>(base[off]); });
  });
  return v;
}

Tensor from_doubles(DType dtype, const Shape& shape, const std::vector<double>& v) {
  Tensor out = Tensor::empty(dtype, shape);
  dispatch(dtype, [&]<class T>() {
    T* p = out.data<T>();
    for (std::size_t i = 0; i < v.size(); ++i) p[i] = static_cast<T>(v[i]);
  });
  return out;
}

// ---------------------------------------------------------------- nll_loss

// The problem seen as input [N, C, S] (S = product of spatial dims) and target [N, S].
struct NllPlan {
  std::int64_t N = 1, C = 1, S = 1;
  Shape unreduced_shape;  // output shape for reduction='none'
  bool spatial = false;   // went through nll_loss2d (names the kernel in dtype errors)
  bool scalar_path = false;  // 1-D input: always a 0-d output, even for reduction='none'
};

void check_weight_1d(const Tensor& weight, std::int64_t n_classes, const char* prefix) {
  if (weight.defined() && !(weight.dim() == 1 && weight.numel() == n_classes))
    raise_runtime(cat(prefix, "weight tensor should be defined either for all ", n_classes,
                      " classes or no classes but got weight tensor of shape: ",
                      ShapeStr{weight.shape()}));
}

// at::nll_loss_nd's shape checks, then nll_loss / nll_loss2d's own.
NllPlan plan_nll(const Tensor& input, const Tensor& target, const LossOptions& o) {
  if (input.dim() < 1) raise_value(cat("Expected 1 or more dimensions (got ", input.dim(), ")"));
  // A 0-d target's size(0) reads as 0 in PyTorch's check.
  const std::int64_t target_batch = target.dim() > 0 ? target.shape()[0] : 0;
  if (input.dim() != 1 && input.shape()[0] != target_batch)
    raise_value(cat("Expected input batch_size (", input.shape()[0], ") to match target batch_size (",
                    target_batch, ")."));
  NllPlan p;
  if (input.dim() <= 2) {
    if (target.dim() > 1) raise_runtime("0D or 1D target tensor expected, multi-target not supported");
    const bool no_batch_dim = input.dim() == 1 && target.dim() == 0;
    if (!no_batch_dim && input.shape()[0] != target_batch)
      raise_runtime(cat("size mismatch (got input: ", ShapeStr{input.shape()},
                        ", target: ", ShapeStr{target.shape()}, ")"));
    check_weight_1d(o.weight, input.size(-1), "");
    p.C = input.size(-1);
    if (input.dim() == 2) {
      p.N = input.shape()[0];
      p.unreduced_shape = {p.N};
    } else {
      p.scalar_path = true;
    }
    return p;
  }
  p.spatial = true;
  p.N = input.shape()[0];
  p.C = input.shape()[1];
  p.unreduced_shape = {p.N};
  for (std::int64_t d = 2; d < input.dim(); ++d) {
    p.S *= input.shape()[static_cast<std::size_t>(d)];
    p.unreduced_shape.push_back(input.shape()[static_cast<std::size_t>(d)]);
  }
  if (input.dim() == 4) {
    if (target.dim() != 3)
      raise_runtime(cat("only batches of spatial targets supported (3D tensors) but got targets of "
                        "dimension: ", target.dim()));
  } else {
    const Shape target_tail(target.shape().begin() + std::min<std::int64_t>(1, target.dim()), target.shape().end());
    const Shape input_tail(input.shape().begin() + 2, input.shape().end());
    if (target_tail != input_tail)
      raise_runtime(cat("Expected target size ", ShapeStr{p.unreduced_shape}, ", got ",
                        ShapeStr{target.shape()}));
  }
  if (o.weight.defined() && o.weight.numel() != p.C)
    raise_runtime("weight tensor should be defined either for all or no classes");
  if (input.dim() == 4) {
    const auto& i = input.shape();
    const auto& t = target.shape();
    if (!(i[0] == t[0] && i[2] == t[1] && i[3] == t[2]))
      raise_runtime(cat("size mismatch (got input: ", ShapeStr{i}, " , target: ", ShapeStr{t}));
  }
  return p;
}

void check_scalar_type(DType expected, DType found) {
  if (expected != found)
    raise_runtime(cat("expected scalar type ", scalar_type_name(expected), " but found ",
                      scalar_type_name(found)));
}

// The dtype checks PyTorch's CPU kernels make when they touch data pointers, in their order.
void check_nll_kernel_dtypes(const Tensor& input, const Tensor& target, const LossOptions& o,
                             const NllPlan& p) {
  if (!is_floating(input.dtype()))
    raise_runtime(cat('"', p.spatial ? "nll_loss2d_forward_out_frame" : "nll_loss_out_frame",
                      "\" not implemented for '", scalar_type_name(input.dtype()), "'"));
  if (o.weight.defined()) check_scalar_type(input.dtype(), o.weight.dtype());
  const bool unreduced_frame = o.reduction == Reduction::None && !p.scalar_path;
  if (unreduced_frame || target.numel() > 0) check_scalar_type(DType::Int64, target.dtype());
}

// Bounds checks in batch order: the first offending target is the one reported.
void check_targets(const std::vector<std::int64_t>& targets, std::int64_t count, std::int64_t C,
                   std::int64_t ignore_index) {
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t t = targets[static_cast<std::size_t>(i)];
    if (t != ignore_index && (t < 0 || t >= C)) raise_index(cat("Target ", t, " is out of bounds."));
  }
}

std::vector<std::int64_t> target_values(const Tensor& target) {
  std::vector<std::int64_t> v;
  v.reserve(static_cast<std::size_t>(target.numel()));
  const auto* base = target.storage_base<std::int64_t>();
  for_each_offset(target, [&](std::int64_t off) { v.push_back(base[off]); });
  return v;
}

// Number of (sample, position) pairs the kernel visits: a 1-D input counts as a batch of one.
std::int64_t nll_count(const NllPlan& p) { return p.N * p.S; }

struct NllValues {
  std::vector<double> unreduced;  // per (n, s), 0 for ignored
  double total = 0.0;             // sum of unreduced
  double total_weight = 0.0;      // sum of weights of non-ignored targets
};

// nll_loss's reduction in the input's precision with PyTorch's 8-level cascade sum, so that
// float32 losses round the way PyTorch's do. items[i] = -input[n, t, s] * w[t] (0 when
// ignored), PyTorch's per-item output: adding it is exactly PyTorch's `sum -= input * w`.
template <class T>
NllValues reduce_nll_items(const std::vector<T>& items, const std::vector<std::int64_t>& targets,
                           const std::vector<double>& weight, const NllPlan& p, std::int64_t ignore_index) {
  NllValues r;
  const std::int64_t count = nll_count(p);
  r.unreduced.assign(static_cast<std::size_t>(count), 0.0);
  constexpr int kLevels = 8;
  std::int64_t ceil_log2 = 0;
  while ((std::int64_t{1} << ceil_log2) < count) ++ceil_log2;
  const std::int64_t level_power = std::max<std::int64_t>(4, ceil_log2 / kLevels);
  const std::int64_t level_mask = (std::int64_t{1} << level_power) - 1;
  T loss_sums[kLevels] = {};
  T weight_sums[kLevels] = {};
  std::int64_t ignored = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t t = targets[static_cast<std::size_t>(i)];
    if (t == ignore_index) {
      ++ignored;
      continue;
    }
    const T item = items[static_cast<std::size_t>(i)];
    r.unreduced[static_cast<std::size_t>(i)] = static_cast<double>(item);
    loss_sums[0] += item;
    if (!weight.empty()) weight_sums[0] += static_cast<T>(weight[static_cast<std::size_t>(t)]);
    for (int j = 0; j + 1 < kLevels; ++j) {
      if ((i & (level_mask << (j * level_power))) != 0) break;
      loss_sums[j + 1] += loss_sums[j];
      weight_sums[j + 1] += weight_sums[j];
      loss_sums[j] = 0;
      weight_sums[j] = 0;
    }
  }
  T total = 0, total_weight = 0;
  for (int j = 0; j < kLevels; ++j) {
    total += loss_sums[j];
    total_weight += weight_sums[j];
  }
  if (weight.empty()) total_weight = static_cast<T>(count - ignored);
  r.total = static_cast<double>(total);
  r.total_weight = static_cast<double>(total_weight);
  return r;
}

Shape output_shape(const NllPlan& p, Reduction reduction) {
  if (reduction == Reduction::None && !p.scalar_path) return p.unreduced_shape;
  return {};
}

// Everything nll_loss needs after its checks: plan, target values (bounds-checked), weights.
struct NllPrepared {
  NllPlan plan;
  bool meta = false;  // some argument has no data: shapes only
  std::vector<std::int64_t> targets;
  std::vector<double> weight;
};

NllPrepared prepare_nll(const Tensor& input, const Tensor& target, const LossOptions& o) {
  NllPrepared r;
  r.plan = plan_nll(input, target, o);
  check_nll_kernel_dtypes(input, target, o, r.plan);
  r.meta = input.is_meta() || target.is_meta() || (o.weight.defined() && o.weight.is_meta());
  if (r.meta) return r;
  if (target.numel() == 0 && !(o.reduction == Reduction::None && !r.plan.scalar_path)) return r;
  r.targets = target_values(target);
  check_targets(r.targets, nll_count(r.plan), r.plan.C, o.ignore_index);
  if (o.weight.defined()) r.weight = to_doubles(o.weight);
  return r;
}

double reduce(DType dtype, const NllValues& v, Reduction reduction) {
  if (reduction != Reduction::Mean) return v.total;
  if (dtype == DType::Float32) return static_cast<float>(v.total) / static_cast<float>(v.total_weight);
  return v.total / v.total_weight;
}

// nll_loss's output from the per-item losses (reduce_nll_items).
template <class T>
Tensor nll_output(const std::vector<T>& items, const NllPrepared& prep, const LossOptions& o) {
  const NllValues v = reduce_nll_items(items, prep.targets, prep.weight, prep.plan, o.ignore_index);
  const DType dtype = dtype_of<T>();
  if (o.reduction == Reduction::None && !prep.plan.scalar_path)
    return from_doubles(dtype, output_shape(prep.plan, o.reduction), v.unreduced);
  return Tensor::scalar(dtype, reduce(dtype, v, o.reduction));
}

// -input[n, t, s] * w[t] per (n, s), 0 when ignored, read through the input's strides.
template <class T>
std::vector<T> nll_items(const Tensor& input, const NllPrepared& prep, std::int64_t ignore_index) {
  const NllPlan& p = prep.plan;
  std::vector<T> items(static_cast<std::size_t>(nll_count(p)), T(0));
  const T* base = input.storage_base<T>();
  for (std::int64_t i = 0; i < nll_count(p); ++i) {
    const std::int64_t t = prep.targets[static_cast<std::size_t>(i)];
    if (t == ignore_index) continue;
    const std::int64_t n = i / p.S, s = i % p.S;
    const T x = base[input.storage_index((n * p.C + t) * p.S + s)];
    const T w = prep.weight.empty() ? T(1) : static_cast<T>(prep.weight[static_cast<std::size_t>(t)]);
    items[static_cast<std::size_t>(i)] = -x * w;
  }
  return items;
}

Tensor nll_forward(const Tensor& input, const NllPrepared& prep, const LossOptions& o) {
  const Shape shape = output_shape(prep.plan, o.reduction);
  if (prep.meta) return Tensor::empty(input.dtype(), shape, true);
  if (nll_count(prep.plan) == 0 || input.numel() == 0) {
    const double empty_value = o.reduction == Reduction::Mean ? kNaN : 0.0;
    return Tensor::full(input.dtype(), shape, shape.empty() ? empty_value : 0.0);
  }
  if (input.dtype() == DType::Float32) return nll_output(nll_items<float>(input, prep, o.ignore_index), prep, o);
  return nll_output(nll_items<double>(input, prep, o.ignore_index), prep, o);
}

// d(loss)/d(input) for nll_loss, as a flat [N, C, S] vector.
std::vector<double> nll_grad(const std::vector<double>& grad_output, const NllPrepared& prep,
                             const LossOptions& o, std::int64_t input_numel) {
  std::vector<double> g(static_cast<std::size_t>(input_numel), 0.0);
  if (prep.targets.empty()) return g;
  const NllPlan& p = prep.plan;
  double total_weight = 0.0;
  for (std::int64_t i = 0; i < nll_count(p); ++i) {
    const std::int64_t t = prep.targets[static_cast<std::size_t>(i)];
    if (t != o.ignore_index) total_weight += prep.weight.empty() ? 1.0 : prep.weight[static_cast<std::size_t>(t)];
  }
  const bool unreduced = o.reduction == Reduction::None && !p.scalar_path;
  for (std::int64_t n = 0; n < p.N; ++n) {
    for (std::int64_t s = 0; s < p.S; ++s) {
      const std::int64_t t = prep.targets[static_cast<std::size_t>(n * p.S + s)];
      if (t == o.ignore_index) continue;
      const double w = prep.weight.empty() ? 1.0 : prep.weight[static_cast<std::size_t>(t)];
      double go = unreduced ? grad_output[static_cast<std::size_t>(n * p.S + s)] : grad_output[0];
      if (o.reduction == Reduction::Mean) go /= total_weight;
      g[static_cast<std::size_t>((n * p.C + t) * p.S + s)] = -w * go;
    }
  }
  return g;
}

// ---------------------------------------------------------------- cross_entropy

enum class CePath { ProbTarget, LabelSmoothing, Plain };

struct CePlan {
  CePath path;
  std::int64_t class_dim;
};

void check_label_smoothing(double ls) {
  if (ls > 1.0) raise_runtime(cat("label_smoothing must be between 0.0 and 1.0. Got: ", ls));
}

// at::cross_entropy_loss's routing and its checks before log_softmax.
CePlan plan_cross_entropy(const Tensor& input, const Tensor& target, const LossOptions& o) {
  const std::int64_t class_dim = input.dim() == 1 ? 0 : 1;
  if (input.shape() == target.shape()) {
    if (!is_floating(target.dtype()))
      raise_runtime(cat("Expected floating point type for target with class probabilities, got ",
                        scalar_type_name(target.dtype())));
    if (o.ignore_index >= 0) raise_runtime("ignore_index is not supported for floating point target");
    // self.size(1) on a 0-d tensor: PyTorch's non-wrapping dim check words it this way.
    if (input.dim() == 0) raise_index("Dimension specified as 1 but tensor has no dimensions");
    check_weight_1d(o.weight, input.size(class_dim), "cross_entropy: ");
    if (o.label_smoothing > 0.0) check_label_smoothing(o.label_smoothing);
    return {CePath::ProbTarget, class_dim};
  }
  if (o.label_smoothing > 0.0) {
    check_label_smoothing(o.label_smoothing);
    return {CePath::LabelSmoothing, class_dim};
  }
  return {CePath::Plain, class_dim};
}

// Per-class weights broadcast over [N, C, S], or all ones.
double weight_at(const std::vector<double>& w, std::int64_t c) {
  return w.empty() ? 1.0 : w[static_cast<std::size_t>(c)];
}

struct ProbTerms {
  NllPlan geom;                 // N, C, S of the input
  std::vector<double> target;   // smoothed target, [N, C, S]
  std::vector<double> weight;
  std::int64_t rows = 0;        // numel / C: the mean's divisor
};

ProbTerms prob_terms(const Tensor& input, const Tensor& target, const LossOptions& o, std::int64_t class_dim) {
  ProbTerms t;
  const Blocks b = blocks_around(input.shape(), class_dim);
  t.geom.N = static_cast<std::int64_t>(b.outer);
  t.geom.C = static_cast<std::int64_t>(b.classes);
  t.geom.S = static_cast<std::int64_t>(b.inner);
  t.rows = t.geom.C == 0 ? 0 : input.numel() / t.geom.C;
  t.target = to_doubles(target);
  if (o.label_smoothing > 0.0) {
    const double ls = o.label_smoothing;
    for (double& v : t.target) v = v * (1 - ls) + ls / static_cast<double>(t.geom.C);
  }
  if (o.weight.defined()) t.weight = to_doubles(o.weight);
  return t;
}

Shape without_dim(const Shape& shape, std::int64_t d) {
  Shape s = shape;
  if (!s.empty()) s.erase(s.begin() + d);
  return s;
}

DType prob_result_dtype(const Tensor& input, const Tensor& target, const LossOptions& o) {
  DType d = promote_types(input.dtype(), target.dtype());
  if (o.weight.defined()) d = promote_types(d, o.weight.dtype());
  return d;
}

Tensor prob_forward(const Tensor& input, const Tensor& target, const LossOptions& o, std::int64_t class_dim) {
  const Tensor logp = log_softmax(input, class_dim);
  const DType dtype = prob_result_dtype(input, target, o);
  const Shape shape = o.reduction == Reduction::None ? without_dim(input.shape(), class_dim) : Shape{};
  if (input.is_meta() || target.is_meta()) return Tensor::empty(dtype, shape, true);
  const ProbTerms t = prob_terms(input, target, o, class_dim);
  const std::vector<double> lp = to_doubles(logp);
  const auto& g = t.geom;
  std::vector<double> per(static_cast<std::size_t>(g.N * g.S), 0.0);
  double total = 0.0;
  for (std::int64_t n = 0; n < g.N; ++n)
    for (std::int64_t c = 0; c < g.C; ++c)
      for (std::int64_t s = 0; s < g.S; ++s) {
        const auto i = static_cast<std::size_t>((n * g.C + c) * g.S + s);
        const double v = -lp[i] * t.target[i] * weight_at(t.weight, c);
        per[static_cast<std::size_t>(n * g.S + s)] += v;
        total += v;
      }
  switch (o.reduction) {
    case Reduction::None: return from_doubles(dtype, shape, per);
    case Reduction::Sum: return Tensor::scalar(dtype, total);
    case Reduction::Mean:
      return Tensor::scalar(dtype, input.numel() == 0 ? kNaN : total / static_cast<double>(t.rows));
  }
  return {};
}

std::vector<double> prob_grad_logp(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                                   const LossOptions& o, std::int64_t class_dim) {
  const ProbTerms t = prob_terms(input, target, o, class_dim);
  const std::vector<double> go = to_doubles(grad_output);
  const auto& g = t.geom;
  std::vector<double> grad(static_cast<std::size_t>(input.numel()), 0.0);
  for (std::int64_t n = 0; n < g.N; ++n)
    for (std::int64_t c = 0; c < g.C; ++c)
      for (std::int64_t s = 0; s < g.S; ++s) {
        double scale = o.reduction == Reduction::None ? go[static_cast<std::size_t>(n * g.S + s)] : go[0];
        if (o.reduction == Reduction::Mean) scale /= static_cast<double>(t.rows);
        const auto i = static_cast<std::size_t>((n * g.C + c) * g.S + s);
        grad[i] = -t.target[i] * weight_at(t.weight, c) * scale;
      }
  return grad;
}

// The label-smoothing term: smooth[n, s] = -sum_c logp[n, c, s] * w[c], 0 where the target is ignored.
struct SmoothTerms {
  std::vector<double> smooth;
  double denom = 0.0;  // mean divisor: weight of non-ignored targets, or their count
};

SmoothTerms smooth_terms(const std::vector<double>& lp, const NllPrepared& prep, const LossOptions& o) {
  const NllPlan& p = prep.plan;
  SmoothTerms r;
  r.smooth.assign(static_cast<std::size_t>(nll_count(p)), 0.0);
  for (std::int64_t n = 0; n < p.N; ++n)
    for (std::int64_t s = 0; s < p.S; ++s) {
      const std::int64_t t = prep.targets[static_cast<std::size_t>(n * p.S + s)];
      if (t == o.ignore_index) continue;
      double acc = 0.0;
      for (std::int64_t c = 0; c < p.C; ++c)
        acc -= lp[static_cast<std::size_t>((n * p.C + c) * p.S + s)] * weight_at(prep.weight, c);
      r.smooth[static_cast<std::size_t>(n * p.S + s)] = acc;
      r.denom += weight_at(prep.weight, t);
    }
  return r;
}

Tensor smoothing_forward(const Tensor& input, const Tensor& target, const LossOptions& o, std::int64_t class_dim) {
  const Tensor logp = log_softmax(input, class_dim);
  const NllPrepared prep = prepare_nll(logp, target, o);
  const Tensor nll = nll_forward(logp, prep, o);
  if (nll.is_meta() || prep.targets.empty()) {
    if (nll.is_meta()) return nll;
    // Empty batch: the smoothing term is empty too; PyTorch's sum()/count is 0/0 for mean.
    const double ls = o.label_smoothing;
    return Tensor::full(nll.dtype(), nll.shape(),
                        nll.numel() ? (1 - ls) * nll.item_as_double(0) +
                                          (o.reduction == Reduction::Mean ? kNaN : 0.0)
                                    : 0.0);
  }
  const SmoothTerms sm = smooth_terms(to_doubles(logp), prep, o);
  const double ls = o.label_smoothing;
  const double per_class = ls / static_cast<double>(prep.plan.C);
  const std::vector<double> nv = to_doubles(nll);
  if (o.reduction == Reduction::None && !prep.plan.scalar_path) {
    std::vector<double> out(nv.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = (1 - ls) * nv[i] + sm.smooth[i] * per_class;
    return from_doubles(nll.dtype(), nll.shape(), out);
  }
  double total = 0.0;
  for (double v : sm.smooth) total += v;
  if (o.reduction == Reduction::Mean) total /= sm.denom;
  return Tensor::scalar(nll.dtype(), (1 - ls) * nv[0] + total * per_class);
}

std::vector<double> smoothing_grad_logp(const Tensor& grad_output, const Tensor& logp, const Tensor& target,
                                        const LossOptions& o) {
  const NllPrepared prep = prepare_nll(logp, target, o);
  const std::vector<double> go = to_doubles(grad_output);
  const double ls = o.label_smoothing;
  std::vector<double> g = nll_grad(go, prep, o, logp.numel());
  for (double& v : g) v *= (1 - ls);
  if (prep.targets.empty()) return g;
  const NllPlan& p = prep.plan;
  const SmoothTerms sm = smooth_terms(to_doubles(logp), prep, o);
  const double per_class = ls / static_cast<double>(p.C);
  const bool unreduced = o.reduction == Reduction::None && !p.scalar_path;
  for (std::int64_t n = 0; n < p.N; ++n)
    for (std::int64_t s = 0; s < p.S; ++s) {
      const std::int64_t t = prep.targets[static_cast<std::size_t>(n * p.S + s)];
      if (t == o.ignore_index) continue;
      double scale = (unreduced ? go[static_cast<std::size_t>(n * p.S + s)] : go[0]) * per_class;
      if (o.reduction == Reduction::Mean) scale /= sm.denom;
      for (std::int64_t c = 0; c < p.C; ++c)
        g[static_cast<std::size_t>((n * p.C + c) * p.S + s)] -= weight_at(prep.weight, c) * scale;
    }
  return g;
}

// ---------------------------------------------------------------- cross_entropy on rows

// Class-index cross-entropy (plain or label-smoothed) on [C] or [N, C] logits with data: the
// case of the fused kernels. Everything else takes the general path above.
bool fused_rows_apply(const Tensor& input, const Tensor& target, const LossOptions& o) {
  return (input.dim() == 1 || input.dim() == 2) && is_floating(input.dtype()) && !input.is_meta() &&
         !target.is_meta() && !(o.weight.defined() && o.weight.is_meta()) && input.numel() > 0 &&
         target.numel() > 0;
}

// The checks PyTorch makes on this path, in its order: log_softmax's, then nll_loss's on the
// log-probabilities (which have the input's shape and dtype).
NllPrepared prepare_ce_rows(const Tensor& input, const Tensor& target, const LossOptions& o, std::int64_t class_dim) {
  check_softmax_dtype(input, wrap_dim(class_dim, input.dim()), true);
  return prepare_nll(input, target, o);
}

template <class T>
struct CeRows {
  std::size_t rows = 0, classes = 0;
  std::vector<T> weight;  // the weight tensor's values (the same dtype as the input)
  kernels::CeParams<T> params;
  std::vector<T> loss, smooth, sum;  // ce_fwd's per-row outputs
};

// The per-row set-up of the fused kernels: sizes, weights, parameters, output buffers.
template <class T>
CeRows<T> ce_rows_setup(const NllPrepared& prep, const LossOptions& o, bool with_sums) {
  CeRows<T> c;
  c.rows = static_cast<std::size_t>(nll_count(prep.plan));
  c.classes = static_cast<std::size_t>(prep.plan.C);
  c.weight.assign(prep.weight.begin(), prep.weight.end());
  double weight_sum = static_cast<double>(c.classes);
  if (!c.weight.empty()) {
    weight_sum = 0.0;
    for (double w : prep.weight) weight_sum += w;
  }
  // PyTorch takes the label-smoothing path only for label_smoothing > 0 (a negative one is ignored).
  const double ls = o.label_smoothing > 0.0 ? o.label_smoothing : 0.0;
  c.params = {c.weight.empty() ? nullptr : c.weight.data(), static_cast<T>(weight_sum), o.ignore_index,
              static_cast<T>(ls)};
  c.loss.resize(c.rows);
  if (ls > 0.0) c.smooth.resize(c.rows);
  if (with_sums) c.sum.resize(c.rows);
  return c;
}

template <class T>
kernels::CeFwdFn<T> ce_fwd_kernel(std::size_t elements) {
  if constexpr (std::is_same_v<T, float>) return kernels::f32_kernels_for(elements).ce_fwd;
  else return kernels::f64_ce_fwd__scalar;
}

template <class T>
kernels::CeBwdFn<T> ce_bwd_kernel(std::size_t elements) {
  if constexpr (std::is_same_v<T, float>) return kernels::f32_kernels_for(elements).ce_bwd;
  else return kernels::f64_ce_bwd__scalar;
}

// Rows [begin, end) of the fused forward; with `exps` (the whole tensor's buffer), also stores
// exp(x - max) there and the row sums.
template <class T>
void ce_rows_forward_range(CeRows<T>& c, kernels::CeFwdFn<T> ce_fwd, const T* x, const NllPrepared& prep,
                           std::size_t begin, std::size_t end, T* exps) {
  const std::size_t at = begin * c.classes;
  ce_fwd(end - begin, c.classes, x + at, prep.targets.data() + begin, c.params, c.loss.data() + begin,
         c.smooth.empty() ? nullptr : c.smooth.data() + begin, exps ? c.sum.data() + begin : nullptr,
         exps ? exps + at : nullptr);
}

template <class T>
CeRows<T> ce_rows_forward(const Tensor& input, const NllPrepared& prep, const LossOptions& o) {
  CeRows<T> c = ce_rows_setup<T>(prep, o, false);
  const Tensor x = input.contiguous();
  ce_rows_forward_range(c, ce_fwd_kernel<T>(c.rows * c.classes), x.data<T>(), prep, 0, c.rows, static_cast<T*>(nullptr));
  return c;
}

// The loss from the per-row values: nll_loss's reduction, then label smoothing's combination
// as at::cross_entropy_loss_label_smoothing does it.
template <class T>
Tensor ce_rows_loss(const CeRows<T>& c, const NllPrepared& prep, const LossOptions& o) {
  const Tensor nll = nll_output(c.loss, prep, o);
  if (o.label_smoothing <= 0.0) return nll;
  const double ls = o.label_smoothing;
  const double per_class = ls / static_cast<double>(c.classes);
  double denom = 0.0;  // the mean's divisor: the weight of the targets not ignored
  for (std::size_t r = 0; r < c.rows; ++r)
    if (prep.targets[r] != o.ignore_index)
      denom += c.weight.empty() ? 1.0 : prep.weight[static_cast<std::size_t>(prep.targets[r])];
  const std::vector<double> nv = to_doubles(nll);
  if (o.reduction == Reduction::None && !prep.plan.scalar_path) {
    std::vector<double> out(nv.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = (1 - ls) * nv[i] + static_cast<double>(c.smooth[i]) * per_class;
    return from_doubles(nll.dtype(), nll.shape(), out);
  }
  double total = 0.0;
  for (T v : c.smooth) total += static_cast<double>(v);
  if (o.reduction == Reduction::Mean) total /= denom;
  return Tensor::scalar(nll.dtype(), (1 - ls) * nv[0] + total * per_class);
}

// d(loss)/d(input) by the fused kernels: ce_fwd stores the exps in `grad`, ce_bwd turns them
// into the gradient in place. The scales depend on the targets alone, so both run on a few rows
// at a time, while those rows' exps are still in the cache, rather than in two passes over a
// gradient larger than the cache (the same values either way; bench/RESULTS.md has the
// timings). Returns the forward's per-row values.
template <class T>
CeRows<T> ce_rows_gradient(const std::vector<double>& grad_output, const Tensor& input, const NllPrepared& prep,
                           const LossOptions& o, Tensor& grad) {
  CeRows<T> c = ce_rows_setup<T>(prep, o, true);
  const bool unreduced = o.reduction == Reduction::None && !prep.plan.scalar_path;
  double divisor = 1.0;
  if (o.reduction == Reduction::Mean) {
    divisor = 0.0;
    for (std::int64_t t : prep.targets)
      if (t != o.ignore_index) divisor += c.weight.empty() ? 1.0 : prep.weight[static_cast<std::size_t>(t)];
  }
  std::vector<T> row_scale(c.rows);
  for (std::size_t r = 0; r < c.rows; ++r)
    row_scale[r] = static_cast<T>((unreduced ? grad_output[r] : grad_output[0]) / divisor);
  const Tensor xt = input.contiguous();
  const T* x = xt.data<T>();
  T* g = grad.data<T>();
  const auto ce_fwd = ce_fwd_kernel<T>(c.rows * c.classes);
  const auto ce_bwd = ce_bwd_kernel<T>(c.rows * c.classes);
  // Rows per step: about 16 KiB of each of logits and gradient, at least one row.
  const std::size_t step = std::max<std::size_t>(1, 4096 / c.classes);
  for (std::size_t begin = 0; begin < c.rows; begin += step) {
    const std::size_t end = std::min(c.rows, begin + step);
    ce_rows_forward_range(c, ce_fwd, x, prep, begin, end, g);
    ce_bwd(end - begin, c.classes, prep.targets.data() + begin, c.params, c.sum.data() + begin,
           row_scale.data() + begin, g + begin * c.classes);
  }
  return c;
}

template <class T>
Tensor ce_rows_loss_only(const Tensor& input, const NllPrepared& prep, const LossOptions& o) {
  return ce_rows_loss(ce_rows_forward<T>(input, prep, o), prep, o);
}

Tensor log_softmax_backward_from(const std::vector<double>& g, const Tensor& input, std::int64_t dim) {
  // d/dx of sum(g * log_softmax(x)) = g - softmax(x) * sum_c(g)
  const Tensor sm = softmax(input, dim);
  const std::vector<double> y = to_doubles(sm);
  const Blocks b = blocks_around(input.shape(), wrap_dim(dim, input.dim()));
  std::vector<double> out(g.size());
  for (std::size_t o = 0; o < b.outer; ++o)
    for (std::size_t i = 0; i < b.inner; ++i) {
      double sum = 0.0;
      for (std::size_t c = 0; c < b.classes; ++c) sum += g[(o * b.classes + c) * b.inner + i];
      for (std::size_t c = 0; c < b.classes; ++c) {
        const std::size_t k = (o * b.classes + c) * b.inner + i;
        out[k] = g[k] - y[k] * sum;
      }
    }
  return from_doubles(input.dtype(), input.shape(), out);
}

}  // namespace

Tensor log_softmax(const Tensor& input, std::int64_t dim) { return softmax_common(input, dim, true); }
Tensor softmax(const Tensor& input, std::int64_t dim) { return softmax_common(input, dim, false); }

Tensor nll_loss(const Tensor& input, const Tensor& target, const LossOptions& o) {
  const NllPrepared prep = prepare_nll(input, target, o);
  return nll_forward(input, prep, o);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const LossOptions& o) {
  const CePlan plan = plan_cross_entropy(input, target, o);
  if (plan.path != CePath::ProbTarget && fused_rows_apply(input, target, o)) {
    const NllPrepared prep = prepare_ce_rows(input, target, o, plan.class_dim);
    if (input.dtype() == DType::Float32) return ce_rows_loss_only<float>(input, prep, o);
    return ce_rows_loss_only<double>(input, prep, o);
  }
  switch (plan.path) {
    case CePath::ProbTarget: return prob_forward(input, target, o, plan.class_dim);
    case CePath::LabelSmoothing: return smoothing_forward(input, target, o, plan.class_dim);
    case CePath::Plain: return nll_loss(log_softmax(input, plan.class_dim), target, o);
  }
  return {};
}

Tensor log_softmax_backward(const Tensor& grad_output, const Tensor& input, std::int64_t dim) {
  return log_softmax_backward_from(to_doubles(grad_output), input, dim);
}

Tensor softmax_backward(const Tensor& grad_output, const Tensor& input, std::int64_t dim) {
  // d/dx of sum(g * softmax(x)) = y * (g - sum_c(g * y))
  const std::vector<double> g = to_doubles(grad_output);
  const std::vector<double> y = to_doubles(softmax(input, dim));
  const Blocks b = blocks_around(input.shape(), wrap_dim(dim, input.dim()));
  std::vector<double> out(g.size());
  for (std::size_t o = 0; o < b.outer; ++o)
    for (std::size_t i = 0; i < b.inner; ++i) {
      double dot = 0.0;
      for (std::size_t c = 0; c < b.classes; ++c) {
        const std::size_t k = (o * b.classes + c) * b.inner + i;
        dot += g[k] * y[k];
      }
      for (std::size_t c = 0; c < b.classes; ++c) {
        const std::size_t k = (o * b.classes + c) * b.inner + i;
        out[k] = y[k] * (g[k] - dot);
      }
    }
  return from_doubles(input.dtype(), input.shape(), out);
}

Tensor nll_loss_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                         const LossOptions& o) {
  const NllPrepared prep = prepare_nll(input, target, o);
  return from_doubles(input.dtype(), input.shape(),
                      nll_grad(to_doubles(grad_output), prep, o, input.numel()));
}

Tensor cross_entropy_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                              const LossOptions& o) {
  const CePlan plan = plan_cross_entropy(input, target, o);
  if (plan.path != CePath::ProbTarget && fused_rows_apply(input, target, o)) {
    const NllPrepared prep = prepare_ce_rows(input, target, o, plan.class_dim);
    Tensor grad = Tensor::uninitialized(input.dtype(), input.shape());  // every element written
    if (input.dtype() == DType::Float32) ce_rows_gradient<float>(to_doubles(grad_output), input, prep, o, grad);
    else ce_rows_gradient<double>(to_doubles(grad_output), input, prep, o, grad);
    return grad;
  }
  const Tensor logp = log_softmax(input, plan.class_dim);
  std::vector<double> g;
  switch (plan.path) {
    case CePath::ProbTarget: g = prob_grad_logp(grad_output, input, target, o, plan.class_dim); break;
    case CePath::LabelSmoothing: g = smoothing_grad_logp(grad_output, logp, target, o); break;
    case CePath::Plain: {
      const NllPrepared prep = prepare_nll(logp, target, o);
      g = nll_grad(to_doubles(grad_output), prep, o, logp.numel());
      break;
    }
  }
  return log_softmax_backward_from(g, input, plan.class_dim);
}

LossWithGrad cross_entropy_with_grad(const Tensor& input, const Tensor& target, const LossOptions& o) {
  const CePlan plan = plan_cross_entropy(input, target, o);
  if (plan.path != CePath::ProbTarget && fused_rows_apply(input, target, o)) {
    const NllPrepared prep = prepare_ce_rows(input, target, o, plan.class_dim);
    LossWithGrad r;
    r.grad = Tensor::uninitialized(input.dtype(), input.shape());  // every element written
    // grad_output = 1 for every element of the loss (one per row when unreduced).
    const std::vector<double> ones(static_cast<std::size_t>(nll_count(prep.plan)), 1.0);
    if (input.dtype() == DType::Float32) r.loss = ce_rows_loss(ce_rows_gradient<float>(ones, input, prep, o, r.grad), prep, o);
    else r.loss = ce_rows_loss(ce_rows_gradient<double>(ones, input, prep, o, r.grad), prep, o);
    return r;
  }
  LossWithGrad r;
  r.loss = cross_entropy(input, target, o);
  r.grad = r.loss.is_meta() ? input.meta() : cross_entropy_backward(Tensor::full(r.loss.dtype(), r.loss.shape(), 1.0), input, target, o);
  return r;
}

}  // namespace logitlab
