// torch, torch.nn and torch.nn.functional: argument handling exactly as PyTorch 1.13 does it
// (Python-level wrappers first, then the C++ argument parser), delegating the math to core ops.
#include "torch_lib.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "arg_parser.hpp"
#include "bind.hpp"
#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"
#include "logitlab/ops/factories.hpp"
#include "logitlab/ops/indexing.hpp"
#include "logitlab/ops/losses.hpp"
#include "logitlab/ops/shape_ops.hpp"
#include "tensor_lib.hpp"

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

// ---------------------------------------------------------------- factories

const char* kFactoryTail = "torch.dtype? dtype=None, torch.layout? layout=None, torch.device? device=None, bool pin_memory=False, bool requires_grad=False";

void sync_budget(CallArgs& a) {
  if (a.rt) ops::set_element_budget(a.rt->max_elements);
}

std::mt19937_64& rng_of(CallArgs& a) {
  static std::mt19937_64 fallback;
  return a.rt ? a.rt->rng : fallback;
}

void no_requires_grad(const ParsedArgs& p) {
  const Value v = p.get("requires_grad");
  if (v.is<bool>() && v.as<bool>())
    raise_not_implemented("Logit Lab does not support requires_grad=True yet");
}

DType dtype_or(const Value& v, DType d) { return v.is<DTypeV>() ? v.as<DTypeV>().dtype : d; }

Value t_zeros_ones(CallArgs& a, const char* name, double value) {
  sync_budget(a);
  const auto p = parse_args(name, {std::string("tuple of ints size, *, tuple of names? names, ") + kFactoryTail,
                                   std::string("tuple of SymInts size, *, Tensor? out=None, ") + kFactoryTail}, a);
  no_requires_grad(p);
  return ops::full(to_int_list(p[0]), value, dtype_or(p.get("dtype"), DType::Float32));
}

Value t_full(CallArgs& a) {
  sync_budget(a);
  const auto p = parse_args("full", {std::string("tuple of ints size, Number fill_value, *, tuple of names? names, ") + kFactoryTail,
                                     std::string("tuple of SymInts size, Number fill_value, *, Tensor? out=None, ") + kFactoryTail}, a);
  no_requires_grad(p);
  const Value& fill = p[1];
  DType inferred = fill.is<bool>() ? DType::Bool : fill.is<std::int64_t>() ? DType::Int64 : DType::Float32;
  double v = fill.is<bool>() ? (fill.as<bool>() ? 1 : 0)
             : fill.is<std::int64_t>() ? static_cast<double>(fill.as<std::int64_t>())
             : fill.is<double>() ? fill.as<double>() : fill.as<Tensor>().item_as_double(0);
  if (fill.is<Tensor>()) inferred = fill.as<Tensor>().dtype() == DType::Float64 ? DType::Float32 : fill.as<Tensor>().dtype();
  return ops::full(to_int_list(p[0]), v, dtype_or(p.get("dtype"), inferred));
}

double number_of(const Value& v) {
  if (v.is<bool>()) return v.as<bool>() ? 1 : 0;
  if (v.is<std::int64_t>()) return static_cast<double>(v.as<std::int64_t>());
  if (v.is<double>()) return v.as<double>();
  return v.as<Tensor>().item_as_double(0);
}

bool is_float_number(const Value& v) {
  return v.is<double>() || (v.is<Tensor>() && is_floating(v.as<Tensor>().dtype()));
}

Value t_arange(CallArgs& a) {
  sync_budget(a);
  const std::string tail = std::string(", *, Tensor? out=None, ") + kFactoryTail;
  const auto p = parse_args("arange", {"Number end" + tail, "Number start, Number end, *, " + std::string(kFactoryTail),
                                       "Number start, Number end, Number step" + tail},
                            a);
  Value start = Value(std::int64_t{0}), end, step = Value(std::int64_t{1});
  std::size_t dt = 0;
  if (p.signature == 0) {
    end = p[0];
    dt = 2;
  } else if (p.signature == 1) {
    start = p[0];
    end = p[1];
    dt = 3;
  } else {
    start = p[0];
    end = p[1];
    step = p[2];
    dt = 4;
  }
  (void)dt;
  const bool fl = is_float_number(start) || is_float_number(end) || is_float_number(step);
  return ops::arange(number_of(start), number_of(end), number_of(step), dtype_or(p.get("dtype"), fl ? DType::Float32 : DType::Int64));
}

Value t_randn(CallArgs& a, const char* name) {
  sync_budget(a);
  const std::string t = kFactoryTail;
  const auto p = parse_args(name, {"tuple of ints size, *, torch.Generator? generator, tuple of names? names, " + t,
                                   "tuple of ints size, *, torch.Generator? generator, Tensor? out=None, " + t,
                                   "tuple of ints size, *, Tensor? out=None, " + t,
                                   "tuple of ints size, *, tuple of names? names, " + t},
                            a);
  no_requires_grad(p);
  const DType d = dtype_or(p.get("dtype"), DType::Float32);
  if (!is_floating(d))
    raise_runtime(cat("\"", std::string(name) == "randn" ? "normal_kernel_cpu" : "check_uniform_bounds",
                      "\" not implemented for '", scalar_type_name(d), "'"));
  const Shape shape = to_int_list(p[0]);
  return std::string(name) == "randn" ? ops::randn(shape, d, rng_of(a)) : ops::rand(shape, d, rng_of(a));
}

Value t_randint(CallArgs& a) {
  sync_budget(a);
  const std::string t = kFactoryTail;
  const auto p = parse_args("randint", {"int high, tuple of ints size, *, torch.Generator? generator, Tensor? out=None, " + t,
                                        "int high, tuple of ints size, *, Tensor? out=None, " + t,
                                        "int low, int high, tuple of ints size, *, torch.Generator? generator, Tensor? out=None, " + t,
                                        "int low, int high, tuple of ints size, *, Tensor? out=None, " + t},
                            a);
  no_requires_grad(p);
  const Value low = p.get("low");
  const std::int64_t lo = low.is<std::int64_t>() ? low.as<std::int64_t>() : 0;
  return ops::randint(lo, p.get("high").as<std::int64_t>(), to_int_list(p.get("size")), dtype_or(p.get("dtype"), DType::Int64), rng_of(a));
}

Value t_randperm(CallArgs& a) {
  sync_budget(a);
  const std::string t = kFactoryTail;
  const auto p = parse_args("randperm", {"int n, *, torch.Generator? generator, Tensor? out=None, " + t,
                                         "int n, *, Tensor? out=None, " + t},
                            a);
  no_requires_grad(p);
  return ops::randperm(p[0].as<std::int64_t>(), dtype_or(p.get("dtype"), DType::Int64), rng_of(a));
}

Value t_manual_seed(CallArgs& a) {
  const auto p = bind_python("manual_seed", {{"seed", {}}}, a);
  std::int64_t seed = 0;
  if (p[0].is<std::int64_t>()) seed = p[0].as<std::int64_t>();
  else if (p[0].is<bool>()) seed = p[0].as<bool>();
  else if (p[0].is<double>()) seed = static_cast<std::int64_t>(p[0].as<double>());
  else if (p[0].is<std::string>()) {
    const std::string& text = p[0].as<std::string>();
    try {
      std::size_t used = 0;
      seed = std::stoll(text, &used);
      if (used != text.size()) throw std::invalid_argument(text);
    } catch (const std::exception&) {
      raise_value(cat("invalid literal for int() with base 10: ", py_repr(p[0])));
    }
  }
  else raise_type(cat("int() argument must be a string, a bytes-like object or a real number, not '", type_name(p[0]), "'"));
  if (a.rt) a.rt->rng.seed(static_cast<std::uint64_t>(seed));
  ObjectV gen;
  gen.type = "Generator";
  gen.repr = "<torch._C.Generator object>";
  return gen;
}

// torch.tensor(data): nested sequences of numbers, dtype inferred as PyTorch does.
struct TensorData {
  Shape shape;
  std::vector<double> values;
  int kind = -1;  // 0 bool, 1 int, 2 float
};

const ValueList* seq_items(const Value& v, ValueList& scratch) {
  if (v.is<ListV>()) return v.as<ListV>().items.get();
  if (v.is<TupleV>()) return v.as<TupleV>().items.get();
  if (v.is<NamedTupleV>()) return v.as<NamedTupleV>().items.get();
  if (v.is<SizeV>()) {
    scratch.clear();
    for (auto d : v.as<SizeV>().dims) scratch.push_back(d);
    return &scratch;
  }
  return nullptr;
}

void infer_shape(const Value& v, TensorData& d) {
  ValueList scratch;
  Value cur = v;
  while (true) {
    if (cur.is<Tensor>()) {
      for (auto s : cur.as<Tensor>().shape()) d.shape.push_back(s);
      return;
    }
    const ValueList* items = seq_items(cur, scratch);
    if (!items) return;
    d.shape.push_back(static_cast<std::int64_t>(items->size()));
    if (items->empty()) return;
    Value next = (*items)[0];
    cur = std::move(next);
  }
}

void store(const Value& v, std::size_t dim, TensorData& d) {
  if (dim == d.shape.size()) {
    if (v.is<bool>()) {
      d.kind = std::max(d.kind, 0);
      d.values.push_back(v.as<bool>());
    } else if (v.is<std::int64_t>()) {
      d.kind = std::max(d.kind, 1);
      d.values.push_back(static_cast<double>(v.as<std::int64_t>()));
    } else if (v.is<double>()) {
      d.kind = 2;
      d.values.push_back(v.as<double>());
    } else if (v.is<Tensor>()) {
      const Tensor& t = v.as<Tensor>();
      if (t.numel() != 1) raise_value("only one element tensors can be converted to Python scalars");
      if (t.is_meta()) raise_not_implemented("Logit Lab cannot read the value of a shape-only tensor");
      d.kind = std::max(d.kind, is_floating(t.dtype()) ? 2 : t.dtype() == DType::Bool ? 0 : 1);
      d.values.push_back(t.item_as_double(0));
    } else if (v.is<ListV>() || v.is<TupleV>()) {
      raise_type(cat("'", type_name(v), "' object cannot be interpreted as an integer"));
    } else if (v.is<NoneV>()) {
      raise_runtime("Could not infer dtype of NoneType");
    } else {
      raise_type(cat("new(): invalid data type '", type_name(v), "'"));
    }
    return;
  }
  if (v.is<Tensor>()) {
    const Tensor& t = v.as<Tensor>();
    if (t.dim() + static_cast<std::int64_t>(dim) != static_cast<std::int64_t>(d.shape.size()))
      raise_type("only integer tensors of a single element can be converted to an index");
    if (t.is_meta()) raise_not_implemented("Logit Lab cannot read the values of a shape-only tensor");
    d.kind = std::max(d.kind, is_floating(t.dtype()) ? 2 : t.dtype() == DType::Bool ? 0 : 1);
    for (std::int64_t i = 0; i < t.numel(); ++i) d.values.push_back(t.item_as_double(i));
    return;
  }
  ValueList scratch;
  const ValueList* items = seq_items(v, scratch);
  if (!items) raise_type("not a sequence");
  const std::int64_t want = d.shape[dim];
  if (static_cast<std::int64_t>(items->size()) != want)
    raise_value(cat("expected sequence of length ", want, " at dim ", dim, " (got ", items->size(), ")"));
  const ValueList copy = *items;
  for (const auto& x : copy) store(x, dim + 1, d);
}

Value t_tensor(CallArgs& a) {
  sync_budget(a);
  const auto p = parse_args("tensor", {"object data, *, torch.dtype? dtype=None, torch.device? device=None, bool pin_memory=False, bool requires_grad=False"}, a);
  no_requires_grad(p);
  const Value& data = p[0];
  if (data.is<std::string>()) raise_type("new(): invalid data type 'str'");
  if (data.is<Tensor>()) {
    if (a.rt)
      a.rt->warnings.push_back(
          "To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
          "sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).");
    const Tensor& t = data.as<Tensor>();
    return t.clone().to(dtype_or(p[1], t.dtype()));
  }
  TensorData d;
  infer_shape(data, d);
  store(data, 0, d);
  const DType inferred = d.kind == 0 ? DType::Bool : d.kind == 1 ? DType::Int64 : DType::Float32;
  const DType dt = dtype_or(p[1], inferred);
  if (ops::result_is_meta(d.shape)) return Tensor::empty(dt, d.shape, true);
  Tensor t = Tensor::empty(dt, d.shape);
  dispatch(dt, [&]<class T>() {
    T* out = t.data<T>();
    for (std::size_t i = 0; i < d.values.size(); ++i) out[i] = static_cast<T>(d.values[i]);
  });
  return t;
}

std::vector<Tensor> tensor_list(const Value& v, const char* fname) {
  ValueList scratch;
  const ValueList* items = seq_items(v, scratch);
  std::vector<Tensor> out;
  (void)fname;
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (!(*items)[i].is<Tensor>())
      raise_type(cat("expected Tensor as element ", i, " in argument 0, but got ", type_name((*items)[i])));
    out.push_back((*items)[i].as<Tensor>());
  }
  return out;
}

Value t_cat(CallArgs& a) {
  sync_budget(a);
  const auto p = parse_args("cat", {"tuple of Tensors tensors, int dim=0, *, Tensor? out=None",
                                    "tuple of Tensors tensors, name dim, *, Tensor? out=None"},
                            a);
  return ops::concatenate(tensor_list(p[0], "cat"), p[1].as<std::int64_t>());
}

Value t_stack(CallArgs& a) {
  sync_budget(a);
  const auto p = parse_args("stack", {"tuple of Tensors tensors, int dim=0, *, Tensor out=None"}, a);
  return ops::stack(tensor_list(p[0], "stack"), p[1].as<std::int64_t>());
}

Value t_one_hot(CallArgs& a) {
  sync_budget(a);
  const auto p = parse_args("one_hot", {"Tensor input, int num_classes=-1"}, a);
  return ops::one_hot(p[0].as<Tensor>(), p[1].as<std::int64_t>());
}

// torch.<name>(input, ...) for ops that are also Tensor methods: the Tensor method does the work,
// with the function's own signature for messages.
Value t_via_method(CallArgs& a, const std::string& name, const std::vector<std::string>& sigs) {
  sync_budget(a);
  parse_args(name, sigs, a);
  CallArgs rest = a;
  Value self;
  if (!rest.positional.empty()) {
    self = rest.positional[0];
    rest.positional.erase(rest.positional.begin());
  } else {
    for (auto it = rest.keywords.begin(); it != rest.keywords.end(); ++it)
      if (it->first == "input") {
        self = it->second;
        rest.keywords.erase(it);
        break;
      }
  }
  for (auto& kw : rest.keywords)
    if (kw.first == "out") raise_not_implemented("Logit Lab does not support out= yet");
  const Value m = tensor_attribute(self.as<Tensor>(), name);
  return m.as<FunctionV>().call(rest);
}

// nn.CrossEntropyLoss(...) / nn.NLLLoss(...): construct-time binding as the Python class does,
// forward with F.cross_entropy / F.nll_loss.
Value nn_loss(CallArgs& a, bool ce) {
  const char* cls = ce ? "CrossEntropyLoss" : "NLLLoss";
  std::vector<Param> params = {{"weight", Value()}, {"size_average", Value()}, {"ignore_index", Value(-100)},
                               {"reduce", Value()}, {"reduction", Value("mean")}};
  if (ce) params.push_back({"label_smoothing", Value(0.0)});
  const auto p = bind_python(cat(cls, ".__init__"), params, a);
  // _Loss.__init__: legacy size_average/reduce are folded into reduction right away.
  Value reduction = p[4];
  if (!p[1].is<NoneV>() || !p[3].is<NoneV>()) {
    const bool sa = p[1].is<NoneV>() ? true : truthy(p[1]);
    const bool rd = p[3].is<NoneV>() ? true : truthy(p[3]);
    reduction = Value(std::string((sa && rd) ? "mean" : (rd ? "sum" : "none")));
    warn(a, cat("size_average and reduce args will be deprecated, please use reduction='", py_str(reduction),
                "' instead."));
  }
  ObjectV obj;
  obj.type = cls;
  obj.repr = cat(cls, "()");
  const Value weight = p[0], ignore_index = p[2];
  const Value smoothing = ce ? p[5] : Value(0.0);
  obj.attrs = std::make_shared<std::vector<std::pair<std::string, Value>>>(
      std::vector<std::pair<std::string, Value>>{{"reduction", reduction}, {"ignore_index", ignore_index},
                                                 {"weight", weight}});
  if (ce) obj.attrs->push_back({"label_smoothing", smoothing});
  obj.call = [=](CallArgs& c) -> Value {
    const auto q = bind_python(cat(cls, ".forward"), {{"self", {}}, {"input", {}}, {"target", {}}},
                               [&] {
                                 CallArgs with_self = c;
                                 with_self.positional.insert(with_self.positional.begin(), Value());
                                 return with_self;
                               }());
    CallArgs f;
    f.rt = c.rt;
    f.positional = {q[1], q[2]};
    f.keywords = {{"weight", weight}, {"ignore_index", ignore_index}, {"reduction", reduction}};
    if (ce) f.keywords.push_back({"label_smoothing", smoothing});
    return ce ? f_cross_entropy(f) : f_nll_loss(f);
  };
  return obj;
}

FunctionV op(std::string name, std::function<Value(CallArgs&)> fn) {
  FunctionV f;
  f.name = std::move(name);
  f.call = std::move(fn);
  f.traced = true;
  return f;
}

FunctionV nn_class(std::string name, std::function<Value(CallArgs&)> fn) {
  FunctionV f;
  f.name = name;
  f.call = std::move(fn);
  f.as_type = "torch.nn.modules.loss." + name;
  return f;
}

FunctionV size_type() {
  FunctionV f;
  f.name = "Size";
  f.as_type = "torch.Size";
  f.call = [](CallArgs& a) -> Value {
    if (a.positional.empty()) return SizeV{};
    const Value& v = a.positional[0];
    ValueList scratch;
    const ValueList* items = seq_items(v, scratch);
    if (!items) raise_type(cat("'", type_name(v), "' object is not iterable"));
    Shape dims;
    for (const auto& x : *items) {
      if (!x.is<std::int64_t>()) raise_type(cat("'", type_name(x), "' object cannot be interpreted as an integer"));
      dims.push_back(x.as<std::int64_t>());
    }
    return SizeV{dims};
  };
  return f;
}

const std::map<std::string, std::map<std::string, Value>>& supported() {
  static const std::map<std::string, std::map<std::string, Value>> table = {
      {"torch",
       {{"nn", ModuleV{"torch.nn"}},
        {"softmax", op("softmax", torch_softmax<false>)},
        {"log_softmax", op("log_softmax", torch_softmax<true>)},
        {"zeros", op("zeros", [](CallArgs& a) { return t_zeros_ones(a, "zeros", 0.0); })},
        {"ones", op("ones", [](CallArgs& a) { return t_zeros_ones(a, "ones", 1.0); })},
        {"full", op("full", t_full)},
        {"arange", op("arange", t_arange)},
        {"randn", op("randn", [](CallArgs& a) { return t_randn(a, "randn"); })},
        {"rand", op("rand", [](CallArgs& a) { return t_randn(a, "rand"); })},
        {"randint", op("randint", t_randint)},
        {"randperm", op("randperm", t_randperm)},
        {"manual_seed", op("manual_seed", t_manual_seed)},
        {"tensor", op("tensor", t_tensor)},
        {"cat", op("cat", t_cat)},
        {"concat", op("concat", t_cat)},
        {"stack", op("stack", t_stack)},
        {"Tensor", TypeV{"torch.Tensor"}},
        {"reshape", op("reshape", [](CallArgs& a) { return t_via_method(a, "reshape", {"Tensor input, tuple of SymInts shape"}); })},
        {"flatten", op("flatten", [](CallArgs& a) { return t_via_method(a, "flatten", {"Tensor input, int start_dim=0, int end_dim=-1", "Tensor input, int start_dim, int end_dim, name out_dim", "Tensor input, name start_dim, name end_dim, name out_dim", "Tensor input, tuple of names dims, name out_dim"}); })},
        {"permute", op("permute", [](CallArgs& a) { return t_via_method(a, "permute", {"Tensor input, tuple of ints dims"}); })},
        {"transpose", op("transpose", [](CallArgs& a) { return t_via_method(a, "transpose", {"Tensor input, int dim0, int dim1", "Tensor input, name dim0, name dim1"}); })},
        {"t", op("t", [](CallArgs& a) { return t_via_method(a, "t", {"Tensor input"}); })},
        {"squeeze", op("squeeze", [](CallArgs& a) { return t_via_method(a, "squeeze", {"Tensor input", "Tensor input, int dim", "Tensor input, name dim"}); })},
        {"unsqueeze", op("unsqueeze", [](CallArgs& a) { return t_via_method(a, "unsqueeze", {"Tensor input, int dim"}); })},
        {"argmax", op("argmax", [](CallArgs& a) { return t_via_method(a, "argmax", {"Tensor input, int? dim=None, bool keepdim=False, *, Tensor out=None"}); })},
        {"argmin", op("argmin", [](CallArgs& a) { return t_via_method(a, "argmin", {"Tensor input, int? dim=None, bool keepdim=False, *, Tensor out=None"}); })},
        {"max", op("max", [](CallArgs& a) { return t_via_method(a, "max", {"Tensor input", "Tensor input, Tensor other, *, Tensor out=None", "Tensor input, int dim, bool keepdim=False, *, tuple of Tensors out=None", "Tensor input, name dim, bool keepdim=False, *, tuple of Tensors out=None"}); })},
        {"min", op("min", [](CallArgs& a) { return t_via_method(a, "min", {"Tensor input", "Tensor input, Tensor other, *, Tensor out=None", "Tensor input, int dim, bool keepdim=False, *, tuple of Tensors out=None", "Tensor input, name dim, bool keepdim=False, *, tuple of Tensors out=None"}); })},
        {"sum", op("sum", [](CallArgs& a) { return t_via_method(a, "sum", {"Tensor input, *, torch.dtype? dtype=None", "Tensor input, intlist1? dim, bool keepdim=False, *, torch.dtype? dtype=None, Tensor out=None", "Tensor input, tuple of names dim, bool keepdim=False, *, torch.dtype? dtype=None, Tensor out=None"}); })},
        {"mean", op("mean", [](CallArgs& a) { return t_via_method(a, "mean", {"Tensor input, *, torch.dtype? dtype=None", "Tensor input, intlist1? dim, bool keepdim=False, *, torch.dtype? dtype=None, Tensor out=None", "Tensor input, tuple of names dim, bool keepdim=False, *, torch.dtype? dtype=None, Tensor out=None"}); })},
        {"index_select", op("index_select", [](CallArgs& a) { return t_via_method(a, "index_select", {"Tensor input, int dim, Tensor index, *, Tensor out=None", "Tensor input, name dim, Tensor index, *, Tensor out=None"}); })},
        {"clone", op("clone", [](CallArgs& a) { return t_via_method(a, "clone", {"Tensor input, *, torch.memory_format? memory_format=None"}); })},
        {"abs", op("abs", [](CallArgs& a) { return t_via_method(a, "abs", {"Tensor input, *, Tensor out=None"}); })},
        {"matmul", op("matmul", [](CallArgs& a) { return t_via_method(a, "matmul", {"Tensor input, Tensor other, *, Tensor out=None"}); })},
        {"mm", op("mm", [](CallArgs& a) { return t_via_method(a, "mm", {"Tensor input, Tensor mat2, *, Tensor out=None"}); })},
        {"Size", size_type()},
        {"float32", DTypeV{DType::Float32}},
        {"float", DTypeV{DType::Float32}},
        {"float64", DTypeV{DType::Float64}},
        {"double", DTypeV{DType::Float64}},
        {"int64", DTypeV{DType::Int64}},
        {"long", DTypeV{DType::Int64}},
        {"int32", DTypeV{DType::Int32}},
        {"int", DTypeV{DType::Int32}},
        {"bool", DTypeV{DType::Bool}}}},
      {"torch.nn",
       {{"functional", ModuleV{"torch.nn.functional"}},
        {"CrossEntropyLoss", nn_class("CrossEntropyLoss", [](CallArgs& a) { return nn_loss(a, true); })},
        {"NLLLoss", nn_class("NLLLoss", [](CallArgs& a) { return nn_loss(a, false); })}}},
      {"torch.nn.functional",
       {{"cross_entropy", op("cross_entropy", f_cross_entropy)},
        {"nll_loss", op("nll_loss", f_nll_loss)},
        {"softmax", op("softmax", f_softmax<false>)},
        {"log_softmax", op("log_softmax", f_softmax<true>)},
        {"one_hot", op("one_hot", t_one_hot)}}},
  };
  return table;
}

}  // namespace

Value make_return_types(const std::string& name, std::vector<std::string> fields, std::vector<Value> items) {
  return NamedTupleV{"torch.return_types." + name, std::move(fields), std::make_shared<ValueList>(std::move(items))};
}

Value torch_function(const std::string& name, CallArgs& args, bool method) {
  if (name == "tensor") return t_tensor(args);
  if ((name == "softmax" || name == "log_softmax") && method) {
    const bool log = name == "log_softmax";
    const Tensor self = args.positional[0].as<Tensor>();
    CallArgs rest = args;
    rest.positional.erase(rest.positional.begin());
    const bool ok = (rest.positional.size() == 1 && rest.keywords.empty()) ||
                    (rest.positional.empty() && rest.keywords.size() == 1 && rest.keywords[0].first == "dim") ||
                    (rest.positional.size() + rest.keywords.size() == 2 &&
                     (rest.keywords.empty() || rest.keywords.back().first == "dtype"));
    if (!ok) {
      std::string got;
      for (const auto& v : rest.positional) got += (got.empty() ? "" : ", ") + type_name(v);
      for (const auto& [k, v] : rest.keywords) got += (got.empty() ? "" : ", ") + k + "=" + type_name(v);
      raise_type(cat(name, "() received an invalid combination of arguments - got (", got,
                     "), but expected one of:\n * (int dim, torch.dtype dtype)\n * (name dim, *, torch.dtype dtype)\n"));
    }
    const Value dim = rest.positional.empty() ? rest.keywords[0].second : rest.positional[0];
    Tensor x = self;
    const Value dt = rest.positional.size() == 2 ? rest.positional[1] : (rest.keywords.empty() ? Value() : rest.keywords.back().second);
    const std::int64_t d = softmax_dim(x, dim, name.c_str());
    if (dt.is<DTypeV>()) x = x.to(dt.as<DTypeV>().dtype);
    return log ? softmax_op<true>(x, d) : softmax_op<false>(x, d);
  }
  raise_not_implemented(cat("Logit Lab does not support torch.", name, " here yet"));
}

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
