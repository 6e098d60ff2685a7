#include "value.hpp"

#include "logitlab/error.hpp"
#include "logitlab/format.hpp"
#include "logitlab/ops/elementwise.hpp"

namespace logitlab::lang {

std::string type_name(const Value& v) {
  struct Visitor {
    std::string operator()(const NoneV&) const { return "NoneType"; }
    std::string operator()(bool) const { return "bool"; }
    std::string operator()(std::int64_t) const { return "int"; }
    std::string operator()(double) const { return "float"; }
    std::string operator()(const std::string&) const { return "str"; }
    std::string operator()(const Tensor&) const { return "Tensor"; }
    std::string operator()(const ModuleV&) const { return "module"; }
    std::string operator()(const FunctionV& f) const { return f.as_type.empty() ? "builtin_function_or_method" : "type"; }
    std::string operator()(const ExceptionV& e) const { return e.type; }
    std::string operator()(const TupleV&) const { return "tuple"; }
    std::string operator()(const ListV&) const { return "list"; }
    std::string operator()(const DTypeV&) const { return "torch.dtype"; }
    std::string operator()(const SizeV&) const { return "torch.Size"; }
    std::string operator()(const TypeV&) const { return "type"; }
    std::string operator()(const RangeV&) const { return "range"; }
    std::string operator()(const SliceV&) const { return "slice"; }
    std::string operator()(const EllipsisV&) const { return "ellipsis"; }
    std::string operator()(const ObjectV& o) const { return o.type; }
    std::string operator()(const NamedTupleV& t) const { return t.type.substr(t.type.rfind('.') + 1); }
  };
  return std::visit(Visitor{}, v.v);
}

namespace {
std::string sequence_repr(const ValueList& items, const char* open, const char* close, bool tuple) {
  std::string out = open;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += py_repr(items[i]);
  }
  if (tuple && items.size() == 1) out += ",";
  return out + close;
}
}  // namespace

std::string py_repr(const Value& v) {
  struct Visitor {
    std::string operator()(const NoneV&) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return python_float_repr(d); }
    std::string operator()(const std::string& s) const { return python_str_repr(s); }
    std::string operator()(const Tensor& t) const {
      if (t.is_meta())
        raise_playground("MemoryError",
                         cat("Logit Lab cannot print the values of a shape-only tensor (one past the budget of "
                             "max_elements = ", ops::element_budget(), " elements, or an input given without "
                             "\"data\"); print its .shape instead"));
      return tensor_repr(t);
    }
    std::string operator()(const ModuleV& m) const {
      return "<module '" + m.name + "' from '/usr/lib/python3/dist-packages/" +
             [&] {
               std::string path = m.name;
               for (char& c : path)
                 if (c == '.') c = '/';
               return path;
             }() +
             "/__init__.py'>";
    }
    std::string operator()(const FunctionV& f) const {
      if (!f.as_type.empty()) return "<class '" + f.as_type + "'>";
      return "<built-in function " + f.name + ">";
    }
    std::string operator()(const SliceV& s) const {
      auto part = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("None"); };
      return "slice(" + part(s.start) + ", " + part(s.stop) + ", " + part(s.step) + ")";
    }
    std::string operator()(const EllipsisV&) const { return "Ellipsis"; }
    std::string operator()(const ObjectV& o) const { return o.repr; }
    std::string operator()(const NamedTupleV& t) const {
      std::string out = t.type + "(";
      for (std::size_t i = 0; i < t.fields.size(); ++i) out += (i ? ",\n" : "\n") + t.fields[i] + "=" + py_repr((*t.items)[i]);
      return out + ")";
    }
    std::string operator()(const ExceptionV& e) const { return e.type + "(" + python_str_repr(e.message) + ")"; }
    std::string operator()(const TupleV& t) const { return sequence_repr(*t.items, "(", ")", true); }
    std::string operator()(const ListV& l) const { return sequence_repr(*l.items, "[", "]", false); }
    std::string operator()(const DTypeV& d) const { return torch_dtype_repr(d.dtype); }
    std::string operator()(const SizeV& s) const { return size_repr(s.dims); }
    std::string operator()(const TypeV& t) const { return "<class '" + t.name + "'>"; }
    std::string operator()(const RangeV& r) const {
      return "range(" + std::to_string(r.start) + ", " + std::to_string(r.stop) +
             (r.step == 1 ? "" : ", " + std::to_string(r.step)) + ")";
    }
  };
  return std::visit(Visitor{}, v.v);
}

std::string py_str(const Value& v) {
  if (v.is<std::string>()) return v.as<std::string>();
  if (v.is<ExceptionV>()) return v.as<ExceptionV>().message;
  return py_repr(v);
}

}  // namespace logitlab::lang
