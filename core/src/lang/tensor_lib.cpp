// Tensor attributes, operators and indexing for the interpreter.
#include "tensor_lib.hpp"

#include "bind.hpp"
#include "logitlab/error.hpp"
#include "torch_lib.hpp"

namespace logitlab::lang {
namespace {

FunctionV method(std::string name, std::function<Value(CallArgs&)> fn) {
  FunctionV f;
  f.name = std::move(name);
  f.call = std::move(fn);
  return f;
}

void no_args(const char* name, const CallArgs& a) {
  if (!a.positional.empty() || !a.keywords.empty())
    raise_type(cat("_TensorBase.", name, "() takes no arguments (", a.positional.size() + a.keywords.size(), " given)"));
}

void require_data(const Tensor& t, const char* what) {
  if (t.is_meta())
    raise_playground("MemoryError",
                     cat("Logit Lab knows only the shape of this tensor (it exceeded the max_elements budget "
                         "or came from an input without data), so it cannot compute ", what));
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
  if (name == "dim") return method("dim", [t](CallArgs& a) -> Value { no_args("dim", a); return t.dim(); });
  if (name == "numel") return method("numel", [t](CallArgs& a) -> Value { no_args("numel", a); return t.numel(); });
  if (name == "item") return method("item", [t](CallArgs& a) -> Value { no_args("item", a); return tensor_item(t); });
  if (name == "size")
    return method("size", [t](CallArgs& a) -> Value {
      if (a.positional.empty() && a.keywords.empty()) return SizeV{t.shape()};
      const Value& d = a.positional.empty() ? a.keywords[0].second : a.positional[0];
      if (!d.is<std::int64_t>()) raise_not_implemented("Logit Lab supports size() and size(int) only");
      return t.size(d.as<std::int64_t>());
    });
  if (torch_has_attr("Tensor", name)) raise_not_implemented(cat("Logit Lab does not support Tensor.", name, " yet"));
  raise("AttributeError", cat("'Tensor' object has no attribute '", name, "'"));
}

Value tensor_binary(const std::string& op, const Value&, const Value&, Runtime&) {
  raise_not_implemented(cat("Logit Lab does not support the operator '", op, "' on tensors yet"));
}

Value tensor_unary(const std::string& op, const Tensor&) {
  raise_not_implemented(cat("Logit Lab does not support the unary operator '", op, "' on tensors yet"));
}

Value tensor_compare(const std::string& op, const Value&, const Value&) {
  raise_not_implemented(cat("Logit Lab does not support comparing tensors with '", op, "' yet"));
}

Value tensor_subscript(const Tensor&, const Value&) {
  raise_not_implemented("Logit Lab does not support indexing tensors yet");
}

ValueList tensor_iterate(const Tensor& t) {
  if (t.dim() == 0) raise_type("iteration over a 0-d tensor");
  ValueList rows;
  for (std::int64_t i = 0; i < t.shape()[0]; ++i) rows.push_back(t.select(0, i));
  return rows;
}

}  // namespace logitlab::lang
