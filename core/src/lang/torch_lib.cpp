// torch, torch.nn and torch.nn.functional: argument handling exactly as PyTorch 1.13 does it
// (Python-level wrappers first, then the C++ argument parser), delegating the math to core ops.
#include "torch_lib.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "bind.hpp"
#include "logitlab/error.hpp"
#include "logitlab/ops/losses.hpp"

namespace logitlab::lang {
namespace {

const std::map<std::string, std::set<std::string>>& real_torch_names() {
  static const std::map<std::string, std::set<std::string>> names = {
#include "torch_names.inc"
  };
  return names;
}

// Records how `out` depends on `input`, so gradients can flow back (see GradFn).
Tensor with_backward(const Tensor& out, const char* name, const Tensor& input,
                     std::function<Tensor(const Tensor&)> backward) {
  if (out.is_meta() || !is_floating(input.dtype())) return out;
  return out.with_grad_fn(std::make_shared<const GradFn>(
      GradFn{name, std::make_shared<const Tensor>(input), std::move(backward)}));
}

template <bool Log>
Tensor softmax_op(const Tensor& x, std::int64_t dim) {
  if (Log)
    return with_backward(log_softmax(x, dim), "LogSoftmaxBackward0", x,
                         [=](const Tensor& g) { return log_softmax_backward(g, x, dim); });
  return with_backward(softmax(x, dim), "SoftmaxBackward0", x,
                       [=](const Tensor& g) { return softmax_backward(g, x, dim); });
}

void warn(CallArgs& a, std::string message) {
  if (a.rt) a.rt->warnings.push_back(std::move(message));
}

// torch/nn/_reduction.py: legacy_get_string + get_enum.
Reduction reduction_from(CallArgs& a, Value reduction, const Value& size_average, const Value& reduce) {
  if (!size_average.is<NoneV>() || !reduce.is<NoneV>()) {
    const bool sa = size_average.is<NoneV>() ? true : truthy(size_average);
    const bool rd = reduce.is<NoneV>() ? true : truthy(reduce);
    const char* legacy = (sa && rd) ? "mean" : (rd ? "sum" : "none");
    warn(a, cat("size_average and reduce args will be deprecated, please use reduction='", legacy,
                "' instead."));
    reduction = Value(std::string(legacy));
  }
  if (reduction.is<std::string>()) {
    const std::string& r = reduction.as<std::string>();
    if (r == "none") return Reduction::None;
    if (r == "mean") return Reduction::Mean;
    if (r == "sum") return Reduction::Sum;
    if (r == "elementwise_mean") {
      warn(a, "reduction='elementwise_mean' is deprecated, please use reduction='mean' instead.");
      return Reduction::Mean;
    }
  }
  raise_value(cat(py_str(reduction), " is not a valid value for reduction"));
}

Value f_cross_entropy(CallArgs& a) {
  const auto p = bind_python("cross_entropy",
                             {{"input", {}}, {"target", {}}, {"weight", Value()}, {"size_average", Value()},
                              {"ignore_index", Value(-100)}, {"reduce", Value()},
                              {"reduction", Value("mean")}, {"label_smoothing", Value(0.0)}},
                             a);
  LossOptions o;
  o.reduction = reduction_from(a, p[6], p[3], p[5]);
  const char* fn = "cross_entropy_loss";
  const Tensor input = arg_tensor(fn, "input", 1, p[0]);
  const Tensor target = arg_tensor(fn, "target", 2, p[1]);
  o.weight = arg_optional_tensor(fn, "weight", 3, p[2]);
  o.ignore_index = arg_int(fn, "ignore_index", 5, p[4]);
  o.label_smoothing = arg_float(fn, "label_smoothing", 6, p[7]);
  const Tensor out = cross_entropy(input, target, o);
  const char* grad_name = "NllLossBackward0";  // what PyTorch's last op is on each path
  if (input.shape() == target.shape()) grad_name = o.reduction == Reduction::Mean ? "DivBackward0" : "NegBackward0";
  else if (o.label_smoothing > 0.0) grad_name = "AddBackward0";
  return with_backward(out, grad_name, input,
                       [=](const Tensor& g) { return cross_entropy_backward(g, input, target, o); });
}

Value f_nll_loss(CallArgs& a) {
  const auto p = bind_python("nll_loss",
                             {{"input", {}}, {"target", {}}, {"weight", Value()}, {"size_average", Value()},
                              {"ignore_index", Value(-100)}, {"reduce", Value()}, {"reduction", Value("mean")}},
                             a);
  LossOptions o;
  o.reduction = reduction_from(a, p[6], p[3], p[5]);
  const char* fn = "nll_loss_nd";
  const Tensor input = arg_tensor(fn, "input", 1, p[0]);
  const Tensor target = arg_tensor(fn, "target", 2, p[1]);
  o.weight = arg_optional_tensor(fn, "weight", 3, p[2]);
  o.ignore_index = arg_int(fn, "ignore_index", 5, p[4]);
  const Tensor out = nll_loss(input, target, o);
  const char* grad_name = input.dim() == 4 ? "NllLoss2DBackward0"
                          : (input.dim() > 2 && o.reduction == Reduction::None) ? "ViewBackward0"
                                                                                : "NllLossBackward0";
  return with_backward(out, grad_name, input,
                       [=](const Tensor& g) { return nll_loss_backward(g, input, target, o); });
}

[[noreturn]] void no_attribute(const Value& v, const std::string& attr) {
  raise("AttributeError", cat("'", type_name(v), "' object has no attribute '", attr, "'"));
}

// Tensor.softmax(dim) / Tensor.log_softmax(dim): a str dim is a dimension *name*, and plain
// tensors have none.
std::int64_t softmax_dim(const Tensor& t, const Value& dim, const char* fname) {
  if (dim.is<std::string>()) {
    std::string names = "Tensor[";
    for (std::int64_t i = 0; i < t.dim(); ++i) names += i ? ", None" : "None";
    raise_runtime(cat("Name '", dim.as<std::string>(), "' not found in ", names, "]."));
  }
  if (!dim.is<std::int64_t>())
    raise_type(cat(fname, "() received an invalid combination of arguments - got (", type_name(dim),
                   "), but expected one of:\n * (int dim, torch.dtype dtype)\n * (name dim, *, torch.dtype dtype)\n"));
  return dim.as<std::int64_t>();
}

// torch/nn/functional.py: _get_softmax_dim.
std::int64_t implicit_softmax_dim(CallArgs& a, const char* name, std::int64_t ndim) {
  warn(a, cat("Implicit dimension choice for ", name,
              " has been deprecated. Change the call to include dim=X as an argument."));
  return (ndim == 0 || ndim == 1 || ndim == 3) ? 0 : 1;
}

template <bool Log>
Value f_softmax(CallArgs& a) {
  const char* name = Log ? "log_softmax" : "softmax";
  const auto p = bind_python(name, {{"input", {}}, {"dim", Value()}, {"_stacklevel", Value(3)}, {"dtype", Value()}}, a);
  const Value& input = p[0];
  Value dim = p[1];
  if (dim.is<NoneV>()) {
    if (!input.is<Tensor>()) no_attribute(input, "dim");
    dim = Value(implicit_softmax_dim(a, name, input.as<Tensor>().dim()));
  }
  if (!input.is<Tensor>()) no_attribute(input, name);
  Tensor x = input.as<Tensor>();
  const std::int64_t d = softmax_dim(x, dim, name);
  if (p[3].is<DTypeV>()) x = x.to(p[3].as<DTypeV>().dtype);
  else if (!p[3].is<NoneV>()) raise_not_implemented(cat("Logit Lab supports only a torch dtype for ", name, "(dtype=...)"));
  return softmax_op<Log>(x, d);
}

// torch.softmax / torch.log_softmax: C++-bound, so torch's argument parser words the errors.
template <bool Log>
Value torch_softmax(CallArgs& a) {
  const char* name = Log ? "log_softmax" : "softmax";
  const bool ok_shape = (a.positional.size() == 2 && a.keywords.empty()) ||
                        (a.positional.size() == 1 && a.keywords.size() == 1 && a.keywords[0].first == "dim");
  Value dim = a.positional.size() == 2 ? a.positional[1] : (a.keywords.empty() ? Value() : a.keywords[0].second);
  if (!ok_shape || !a.positional[0].is<Tensor>() || !dim.is<std::int64_t>()) {
    std::string got;
    for (const auto& v : a.positional) got += (got.empty() ? "" : ", ") + type_name(v);
    for (const auto& [k, v] : a.keywords) got += (got.empty() ? "" : ", ") + k + "=" + type_name(v);
    raise_type(cat(name, "() received an invalid combination of arguments - got (", got,
                   "), but expected one of:\n * (Tensor input, int dim, torch.dtype dtype, *, Tensor out)\n",
                   " * (Tensor input, name dim, *, torch.dtype dtype)\n"));
  }
  return softmax_op<Log>(a.positional[0].as<Tensor>(), dim.as<std::int64_t>());
}

FunctionV op(std::string name, std::function<Value(CallArgs&)> fn) {
  FunctionV f;
  f.name = std::move(name);
  f.call = std::move(fn);
  f.traced = true;
  return f;
}

const std::map<std::string, std::map<std::string, Value>>& supported() {
  static const std::map<std::string, std::map<std::string, Value>> table = {
      {"torch",
       {{"nn", ModuleV{"torch.nn"}},
        {"softmax", op("softmax", torch_softmax<false>)},
        {"log_softmax", op("log_softmax", torch_softmax<true>)},
        {"float32", DTypeV{DType::Float32}},
        {"float", DTypeV{DType::Float32}},
        {"float64", DTypeV{DType::Float64}},
        {"double", DTypeV{DType::Float64}},
        {"int64", DTypeV{DType::Int64}},
        {"long", DTypeV{DType::Int64}},
        {"int32", DTypeV{DType::Int32}},
        {"int", DTypeV{DType::Int32}},
        {"bool", DTypeV{DType::Bool}}}},
      {"torch.nn", {{"functional", ModuleV{"torch.nn.functional"}}}},
      {"torch.nn.functional",
       {{"cross_entropy", op("cross_entropy", f_cross_entropy)},
        {"nll_loss", op("nll_loss", f_nll_loss)},
        {"softmax", op("softmax", f_softmax<false>)},
        {"log_softmax", op("log_softmax", f_softmax<true>)}}},
  };
  return table;
}

}  // namespace

bool torch_has_attr(const std::string& owner, const std::string& attr) {
  const auto& names = real_torch_names();
  auto it = names.find(owner);
  return it != names.end() && it->second.count(attr) > 0;
}

Value torch_module_attr(const std::string& module, const std::string& attr) {
  const auto& table = supported();
  if (auto m = table.find(module); m != table.end())
    if (auto f = m->second.find(attr); f != m->second.end()) return f->second;
  if (torch_has_attr(module, attr))
    raise_not_implemented(cat("Logit Lab does not support ", module, ".", attr, " yet"));
  raise("AttributeError", cat("module '", module, "' has no attribute '", attr, "'"));
}

}  // namespace logitlab::lang
