// Tensor attributes, methods, operators and indexing for the interpreter. Argument handling
// follows torch's PythonArgParser (arg_parser.hpp); the math lives in core/src/ops.
#include "tensor_lib.hpp"

#include <map>
#include <set>

#include "arg_parser.hpp"
#include "bind.hpp"
#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"
#include "logitlab/ops/indexing.hpp"
#include "logitlab/ops/reductions.hpp"
#include "logitlab/ops/shape_ops.hpp"
#include "torch_lib.hpp"

namespace logitlab::lang {
namespace {

using Sigs = std::vector<std::string>;

FunctionV method(std::string name, std::function<Value(CallArgs&)> fn, bool traced = false) {
  FunctionV f;
  f.name = std::move(name);
  f.call = std::move(fn);
  f.traced = traced;
  return f;
}

void no_args(const char* name, const CallArgs& a) {
  if (!a.positional.empty() || !a.keywords.empty())
    raise_type(cat("_TensorBase.", name, "() takes no arguments (", a.positional.size() + a.keywords.size(), " given)"));
}

void require_data(const Tensor& t, const char* what) {
  if (t.is_meta())
    raise_playground("MemoryError",
                     cat("Logit Lab knows only the shape of this tensor (it exceeded the max_elements budget of ",
                         ops::element_budget(), " elements, or came from an input without data), so it cannot compute ",
                         what));
}

std::optional<DType> opt_dtype(const Value& v) {
  if (v.is<DTypeV>()) return v.as<DTypeV>().dtype;
  return std::nullopt;
}

std::vector<std::int64_t> dims_of(const Value& v) {
  if (v.is<NoneV>()) return {};
  return to_int_list(v);
}

ops::Operand operand(const Value& v) {
  if (v.is<Tensor>()) return {v.as<Tensor>(), false};
  if (v.is<bool>()) return {Tensor::scalar(DType::Bool, v.as<bool>() ? 1 : 0), true};
  if (v.is<std::int64_t>()) return {Tensor::scalar(DType::Int64, static_cast<double>(v.as<std::int64_t>())), true};
  return {Tensor::scalar(DType::Float64, v.as<double>()), true};
}

bool is_number(const Value& v) { return v.is<bool>() || v.is<std::int64_t>() || v.is<double>(); }

std::optional<ops::BinaryOp> binary_op_of(const std::string& op) {
  using B = ops::BinaryOp;
  static const std::map<std::string, B> table = {
      {"+", B::Add}, {"-", B::Sub}, {"*", B::Mul}, {"/", B::Div}, {"//", B::FloorDiv}, {"%", B::Mod},
      {"**", B::Pow}, {"&", B::And}, {"|", B::Or}, {"^", B::Xor}, {"==", B::Eq}, {"!=", B::Ne},
      {"<", B::Lt}, {"<=", B::Le}, {">", B::Gt}, {">=", B::Ge}};
  auto it = table.find(op);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

// A dimension given by name: plain tensors have no names, so PyTorch fails to find it.
void check_names(const Tensor& t, const ParsedArgs& p) {
  for (std::size_t i = 0; i < p.types.size(); ++i) {
    if (p.types[i] != "name" && p.types[i] != "tuple of names") continue;
    const Value& v = p.values[i];
    std::string first;
    if (v.is<std::string>()) first = v.as<std::string>();
    else if (v.is<TupleV>() || v.is<ListV>()) {
      const ValueList& items = v.is<TupleV>() ? *v.as<TupleV>().items : *v.as<ListV>().items;
      if (!items.empty() && items[0].is<std::string>()) first = items[0].as<std::string>();
    }
    if (first.empty() && !v.is<std::string>()) continue;
    std::string names = "Tensor[";
    for (std::int64_t k = 0; k < t.dim(); ++k) names += k ? ", None" : "None";
    raise_runtime(cat("Name '", first, "' not found in ", names, "]."));
  }
}

ParsedArgs parse_method(const Tensor& t, const std::string& fname, const std::vector<std::string>& sigs, const CallArgs& a) {
  ParsedArgs p = parse_args(fname, sigs, a);
  check_names(t, p);
  return p;
}

Value conversion(const Tensor& t, DType d, const char* name, CallArgs& a) {
  parse_method(t, name, {"*, torch.memory_format memory_format=None"}, a);
  return t.to(d);
}

Value tensor_to(const Tensor& t, CallArgs& a) {
  const auto p = parse_method(t, "to", {"torch.dtype dtype, bool non_blocking=False, bool copy=False, *, torch.memory_format? memory_format=None",
                                   "Device? device=None, torch.dtype? dtype=None, bool non_blocking=False, bool copy=False, *, torch.memory_format? memory_format=None",
                                   "Tensor other, bool non_blocking=False, bool copy=False, *, torch.memory_format? memory_format=None"},
                            a);
  Tensor r = t;
  if (p.signature == 0) r = t.to(p[0].as<DTypeV>().dtype);
  else if (p.signature == 2) r = t.to(p[0].as<Tensor>().dtype());
  else {
    if (p[0].is<std::string>()) {
      const std::string& dev = p[0].as<std::string>();
      if (dev != "cpu" && dev.rfind("cpu:", 0) != 0) {
        static const char* types[] = {"cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                                      "fpga", "ort", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "privateuseone"};
        std::string prefix = dev.substr(0, dev.find(':'));
        bool known = false;
        for (const char* k : types) known = known || prefix == k;
        if (!known) {
          bool alnum = !dev.empty();
          for (char c : dev) alnum = alnum && (isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '_');
          if (dev.find_first_of("0123456789") != std::string::npos && dev.find(':') == std::string::npos)
            raise_runtime(cat("Invalid device string: '", dev, "'"));
          raise_runtime(cat("Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, ort, "
                            "xla, lazy, vulkan, mps, meta, hpu, privateuseone device type at start of device string: ",
                            dev));
        }
        if (prefix == "cuda") raise("AssertionError", "Torch not compiled with CUDA enabled");
        raise_not_implemented(cat("Logit Lab runs on the CPU only; it cannot move tensors to '", dev, "'"));
      }
    }
    if (p[1].is<DTypeV>()) r = t.to(p[1].as<DTypeV>().dtype);
  }
  return r;
}

Value reduce_sum_like(const Tensor& t, CallArgs& a, const char* name, bool is_mean) {
  const auto p = parse_method(t, name, {"*, torch.dtype? dtype=None",
                                   "intlist1? dim, bool keepdim=False, *, torch.dtype? dtype=None",
                                   "tuple of names dim, bool keepdim=False, *, torch.dtype? dtype=None"},
                            a);
  if (p.signature == 0) {
    const auto d = opt_dtype(p[0]);
    return is_mean ? ops::mean(t, {}, false, d) : ops::sum(t, {}, false, d);
  }
  const auto dims = dims_of(p[0]);
  const bool keep = p[1].as<bool>();
  const auto d = opt_dtype(p[2]);
  if (p[0].is<NoneV>() || (dims.empty() && !p[0].is<NoneV>()))
    return is_mean ? ops::mean(t, {}, keep, d) : ops::sum(t, {}, keep, d);
  return is_mean ? ops::mean(t, dims, keep, d) : ops::sum(t, dims, keep, d);
}

Value max_like(const Tensor& t, CallArgs& a, bool is_min) {
  const char* name = is_min ? "min" : "max";
  const auto p = parse_method(t, name, {"", "Tensor other", "int dim, bool keepdim=False", "name dim, bool keepdim=False"}, a);
  if (p.signature == 0) return ops::max_all(t, is_min);
  if (p.signature == 1)
    return ops::binary(is_min ? ops::BinaryOp::Minimum : ops::BinaryOp::Maximum, {t, false}, {p[0].as<Tensor>(), false});
  auto r = ops::max_dim(t, p[0].as<std::int64_t>(), p[1].as<bool>(), is_min);
  return make_return_types(name, {"values", "indices"}, {r.values, r.indices});
}

Value tensor_softmax(const Tensor& t, CallArgs& a, bool log) {
  const char* name = log ? "log_softmax" : "softmax";
  CallArgs b = a;
  b.positional.insert(b.positional.begin(), t);
  return torch_function(name, b, /*method=*/true);
}

// Tensor methods that compute something: each call goes into the trace.
Value call_method(const Tensor& t, const std::string& name, CallArgs& a) {
  if (a.rt) ops::set_element_budget(a.rt->max_elements);
  if (name == "reshape") return ops::reshape(t, to_int_list(parse_method(t, "reshape", {"tuple of SymInts shape"}, a)[0]));
  if (name == "view") {
    const auto p = parse_method(t, "view", {"torch.dtype dtype", "tuple of SymInts size"}, a);
    if (p.signature == 0) {
      const DType d = p[0].as<DTypeV>().dtype;
      if (d == t.dtype()) return t;
      const auto from = static_cast<std::int64_t>(element_size(t.dtype())), to = static_cast<std::int64_t>(element_size(d));
      if (from < to && (t.dim() == 0 || t.size(-1) % (to / from) != 0))
        raise_runtime(cat("self.size(-1) must be divisible by ", to / from, " to view ", scalar_type_name(t.dtype()), " as ",
                          scalar_type_name(d), " (different element sizes), but got ", t.dim() == 0 ? 0 : t.size(-1)));
      raise_not_implemented("Logit Lab does not support view(dtype) reinterpretation yet");
    }
    return ops::view(t, to_int_list(p[0]));
  }
  if (name == "flatten") {
    const auto p = parse_method(t, "flatten", {"int start_dim=0, int end_dim=-1", "int start_dim, int end_dim, name out_dim",
                                          "name start_dim, name end_dim, name out_dim", "tuple of names dims, name out_dim"},
                              a);
    return ops::flatten(t, p[0].as<std::int64_t>(), p[1].as<std::int64_t>());
  }
  if (name == "permute") return t.permute(to_int_list(parse_method(t, "permute", {"tuple of ints dims"}, a)[0]));
  if (name == "transpose" || name == "swapaxes" || name == "swapdims") {
    const auto p = parse_method(t, name, {"int dim0, int dim1", "name dim0, name dim1"}, a);
    return t.transpose(p[0].as<std::int64_t>(), p[1].as<std::int64_t>());
  }
  if (name == "t") {
    parse_method(t, "t", {""}, a);
    return ops::t2(t);
  }
  if (name == "squeeze") {
    const auto p = parse_method(t, "squeeze", {"", "int dim", "name dim"}, a);
    if (p.signature == 0) return t.squeeze();
    return t.squeeze(p[0].as<std::int64_t>());
  }
  if (name == "unsqueeze") return t.unsqueeze(parse_method(t, "unsqueeze", {"int dim"}, a)[0].as<std::int64_t>());
  if (name == "argmax" || name == "argmin") {
    const auto p = parse_method(t, name, {"int? dim=None, bool keepdim=False"}, a);
    std::optional<std::int64_t> d;
    if (p[0].is<std::int64_t>()) d = p[0].as<std::int64_t>();
    return ops::argmax(t, d, p[1].as<bool>(), name == "argmin");
  }
  if (name == "max" || name == "min") return max_like(t, a, name == "min");
  if (name == "sum") return reduce_sum_like(t, a, "sum", false);
  if (name == "mean") return reduce_sum_like(t, a, "mean", true);
  if (name == "float") return conversion(t, DType::Float32, "float", a);
  if (name == "double") return conversion(t, DType::Float64, "double", a);
  if (name == "long") return conversion(t, DType::Int64, "long", a);
  if (name == "int") return conversion(t, DType::Int32, "int", a);
  if (name == "bool") return conversion(t, DType::Bool, "bool", a);
  if (name == "to") return tensor_to(t, a);
  if (name == "repeat") return ops::repeat(t, to_int_list(parse_method(t, "repeat", {"tuple of SymInts repeats"}, a)[0]));
  if (name == "expand") {
    const auto p = parse_method(t, "expand", {"tuple of SymInts size, *, bool implicit=False"}, a);
    const Tensor r = t.expand(to_int_list(p[0]));
    for (auto s : r.shape())
      if (s < 0) raise_runtime("numel: integer multiplication overflow");
    return r;
  }
  if (name == "expand_as") return t.expand(parse_method(t, "expand_as", {"Tensor other"}, a)[0].as<Tensor>().shape());
  if (name == "view_as") return ops::view(t, parse_method(t, "view_as", {"Tensor other"}, a)[0].as<Tensor>().shape());
  if (name == "reshape_as") return ops::reshape(t, parse_method(t, "reshape_as", {"Tensor other"}, a)[0].as<Tensor>().shape());
  if (name == "contiguous") {
    parse_method(t, "contiguous", {"*, torch.memory_format memory_format=None"}, a);
    return t.contiguous();
  }
  if (name == "index_select") {
    const auto p = parse_method(t, "index_select", {"int dim, Tensor index", "name dim, Tensor index"}, a);
    return ops::index_select(t, p[0].as<std::int64_t>(), p[1].as<Tensor>());
  }
  if (name == "clone") {
    parse_method(t, "clone", {"*, torch.memory_format? memory_format=None"}, a);
    return t.clone();
  }
  if (name == "detach") {
    parse_method(t, "detach", {""}, a);
    return t.as_strided(t.shape(), t.strides(), t.offset());
  }
  if (name == "softmax" || name == "log_softmax") return tensor_softmax(t, a, name == "log_softmax");
  if (name == "abs") {
    parse_method(t, "abs", {""}, a);
    return ops::unary(ops::UnaryOp::Abs, t);
  }
  if (name == "neg") {
    parse_method(t, "neg", {""}, a);
    return ops::unary(ops::UnaryOp::Neg, t);
  }
  if (name == "matmul" || name == "mm") return ops::matmul(t, parse_method(t, name, {"Tensor other"}, a)[0].as<Tensor>());
  static const std::map<std::string, std::string> arith = {{"add", "+"}, {"sub", "-"}, {"mul", "*"}, {"div", "/"},
                                                          {"pow", "**"}, {"eq", "=="}, {"ne", "!="}, {"lt", "<"},
                                                          {"le", "<="}, {"gt", ">"}, {"ge", ">="}};
  if (auto it = arith.find(name); it != arith.end()) {
    const auto p = parse_method(t, name, {"Tensor other", "Number other"}, a);
    return ops::binary(*binary_op_of(it->second), {t, false}, operand(p[0]));
  }
  raise_not_implemented(cat("Logit Lab does not support Tensor.", name, " yet"));
}

bool is_traced_method(const std::string& name) {
  static const std::set<std::string> names = {
      "reshape", "view", "flatten", "permute", "transpose", "swapaxes", "swapdims", "t", "squeeze", "unsqueeze",
      "argmax", "argmin", "max", "min", "sum", "mean", "float", "double", "long", "int", "bool", "to", "repeat",
      "expand", "expand_as", "view_as", "reshape_as", "contiguous", "index_select", "clone", "detach", "softmax",
      "log_softmax", "abs", "neg", "matmul", "mm", "add", "sub", "mul", "div", "pow", "eq", "ne", "lt", "le", "gt",
      "ge"};
  return names.count(name) > 0;
}

Value tolist(const Tensor& t, std::int64_t dim, std::int64_t flat_start) {
  if (dim == t.dim()) {
    if (is_floating(t.dtype())) return t.item_as_double(flat_start);
    if (t.dtype() == DType::Bool) return t.item_as_int(flat_start) != 0;
    return t.item_as_int(flat_start);
  }
  auto items = std::make_shared<ValueList>();
  std::int64_t inner = 1;
  for (std::int64_t k = dim + 1; k < t.dim(); ++k) inner *= t.shape()[static_cast<std::size_t>(k)];
  for (std::int64_t i = 0; i < t.shape()[static_cast<std::size_t>(dim)]; ++i)
    items->push_back(tolist(t, dim + 1, flat_start + i * inner));
  return ListV{items};
}

}  // namespace

Value tensor_item(const Tensor& t) {
  if (t.numel() != 1) raise_value("only one element tensors can be converted to Python scalars");
  require_data(t, "its value");
  if (is_floating(t.dtype())) return t.item_as_double(0);
  if (t.dtype() == DType::Bool) return t.item_as_int(0) != 0;
  return t.item_as_int(0);
}

Value tensor_attribute(const Tensor& t, const std::string& name) {
  if (name == "shape") return SizeV{t.shape()};
  if (name == "dtype") return DTypeV{t.dtype()};
  if (name == "ndim") return t.dim();
  if (name == "T") {
    Shape dims;
    for (std::int64_t i = t.dim(); i-- > 0;) dims.push_back(i);
    return t.permute(dims);
  }
  if (name == "requires_grad" || name == "is_cuda") return false;
  if (name == "grad") return NoneV{};
  if (name == "data") return t.as_strided(t.shape(), t.strides(), t.offset());
  if (name == "dim") return method("dim", [t](CallArgs& a) -> Value { no_args("dim", a); return t.dim(); });
  if (name == "numel") return method("numel", [t](CallArgs& a) -> Value { no_args("numel", a); return t.numel(); });
  if (name == "item") return method("item", [t](CallArgs& a) -> Value { no_args("item", a); return tensor_item(t); });
  if (name == "tolist")
    return method("tolist", [t](CallArgs& a) -> Value {
      no_args("tolist", a);
      require_data(t, "its values");
      return tolist(t, 0, 0);
    });
  if (name == "size")
    return method("size", [t](CallArgs& a) -> Value {
      const auto p = parse_args("size", {"", "int dim", "name dim"}, a);
      if (p.signature == 0) return SizeV{t.shape()};
      return t.size(p[0].as<std::int64_t>());
    });
  if (name == "is_contiguous") return method("is_contiguous", [t](CallArgs&) -> Value { return t.is_contiguous(); });
  if (name == "is_floating_point")
    return method("is_floating_point", [t](CallArgs& a) -> Value { no_args("is_floating_point", a); return is_floating(t.dtype()); });
  if (is_traced_method(name))
    return method(name, [t, name](CallArgs& a) -> Value { return call_method(t, name, a); }, true);
  if (torch_has_attr("Tensor", name)) raise_not_implemented(cat("Logit Lab does not support Tensor.", name, " yet"));
  raise("AttributeError", cat("'Tensor' object has no attribute '", name, "'"));
}

Value tensor_binary(const std::string& op, const Value& a, const Value& b, Runtime& rt) {
  ops::set_element_budget(rt.max_elements);
  if (op == "@") {
    if (!a.is<Tensor>() || !b.is<Tensor>())
      raise_type(cat("unsupported operand type(s) for @: '", type_name(a), "' and '", type_name(b), "'"));
    return ops::matmul(a.as<Tensor>(), b.as<Tensor>());
  }
  const auto bop = binary_op_of(op);
  if (!bop || !(a.is<Tensor>() || is_number(a)) || !(b.is<Tensor>() || is_number(b)))
    raise_type(cat("unsupported operand type(s) for ", op, ": '", type_name(a), "' and '", type_name(b), "'"));
  return ops::binary(*bop, operand(a), operand(b));
}

Value tensor_unary(const std::string& op, const Tensor& t) {
  if (op == "+") return t;
  if (op == "-") return ops::unary(ops::UnaryOp::Neg, t);
  if (op == "~") return ops::unary(ops::UnaryOp::Invert, t);
  if (op == "abs") return ops::unary(ops::UnaryOp::Abs, t);
  raise_not_implemented(cat("Logit Lab does not support the unary operator '", op, "' on tensors yet"));
}

Value tensor_compare(const std::string& op, const Value& a, const Value& b) {
  if (!(a.is<Tensor>() || is_number(a)) || !(b.is<Tensor>() || is_number(b))) {
    if (op == "==") return false;
    if (op == "!=") return true;
    raise_type(cat("'", op, "' not supported between instances of '", type_name(a), "' and '", type_name(b), "'"));
  }
  return ops::binary(*binary_op_of(op), operand(a), operand(b));
}

namespace {
Tensor list_index(const Value& v) {
  CallArgs a;
  a.positional.push_back(v);
  return torch_function("tensor", a, false).as<Tensor>();
}
}  // namespace

Value tensor_subscript(const Tensor& t, const Value& index) {
  ValueList items;
  if (index.is<TupleV>()) items = *index.as<TupleV>().items;
  else items.push_back(index);
  // How many dims the index consumes (None and ... consume none).
  std::int64_t consumed = 0;
  bool has_ellipsis = false;
  for (auto& it : items) {
    if (it.is<ListV>()) it = list_index(it);
    if (it.is<NoneV>()) continue;
    if (it.is<EllipsisV>()) {
      if (has_ellipsis) raise_index("an index can only have a single ellipsis ('...')");
      has_ellipsis = true;
      continue;
    }
    if (it.is<std::int64_t>() || it.is<SliceV>()) ++consumed;
    else if (it.is<Tensor>()) consumed += it.as<Tensor>().dtype() == DType::Bool ? std::max<std::int64_t>(it.as<Tensor>().dim(), 1) : 1;
    else if (it.is<double>())
      raise_index("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)");
    else if (it.is<std::string>() || it.is<TupleV>())
      raise_type(cat("new(): invalid data type '", type_name(it), "'"));
    else if (it.is<bool>())
      raise_not_implemented("Logit Lab does not support indexing with True/False yet");
    else
      raise_index(cat("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got ",
                      type_name(it), ")"));
  }
  if (t.dim() == 0 && consumed > 0 && items[0].is<std::int64_t>()) t.select(0, 0);  // PyTorch's 0-dim message
  if (consumed > t.dim()) raise_index(cat("too many indices for tensor of dimension ", t.dim()));
  Tensor r = t;
  std::int64_t cur = 0, orig = 0;
  std::vector<std::optional<Tensor>> adv;
  bool any_adv = false;
  for (const auto& it : items) {
    if (it.is<EllipsisV>()) {
      for (std::int64_t k = 0; k < t.dim() - consumed; ++k, ++cur, ++orig) adv.push_back(std::nullopt);
    } else if (it.is<NoneV>()) {
      r = r.unsqueeze(cur++);
      adv.push_back(std::nullopt);
    } else if (it.is<std::int64_t>()) {
      const std::int64_t i = it.as<std::int64_t>();
      const std::int64_t n = r.shape()[static_cast<std::size_t>(cur)];
      if (i < -n || i >= n) raise_index(cat("index ", i, " is out of bounds for dimension ", orig, " with size ", n));
      r = r.select(cur, i);
      ++orig;
    } else if (it.is<SliceV>()) {
      const SliceV& s = it.as<SliceV>();
      const std::int64_t step = s.step.value_or(1);
      if (step == 0) raise_value("slice step cannot be zero");
      r = r.slice(cur++, s.start, s.stop, step);
      ++orig;
      adv.push_back(std::nullopt);
    } else {
      const Tensor& ix = it.as<Tensor>();
      any_adv = true;
      adv.push_back(ix);
      const std::int64_t k = ix.dtype() == DType::Bool ? std::max<std::int64_t>(ix.dim(), 1) : 1;
      cur += k;
      orig += k;
    }
  }
  if (!any_adv) return r;
  // Bool masks occupy their dims in `adv` as one entry; pad the rest with full slices.
  return ops::advanced_index(r, adv);
}

ValueList tensor_iterate(const Tensor& t) {
  if (t.dim() == 0) raise_type("iteration over a 0-d tensor");
  ValueList rows;
  for (std::int64_t i = 0; i < t.shape()[0]; ++i) rows.push_back(t.select(0, i));
  return rows;
}

}  // namespace logitlab::lang
