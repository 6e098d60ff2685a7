#include "builtins.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "bind.hpp"
#include "logitlab/error.hpp"
#include "logitlab/format.hpp"
#include "python_ops.hpp"
#include "tensor_lib.hpp"

namespace logitlab::lang {
namespace {

FunctionV fn(std::string name, std::function<Value(CallArgs&)> call, std::string as_type = "") {
  FunctionV f;
  f.name = std::move(name);
  f.call = std::move(call);
  f.as_type = std::move(as_type);
  return f;
}

void no_keywords(const char* name, const CallArgs& a) {
  if (!a.keywords.empty()) raise_type(cat(name, "() takes no keyword arguments"));
}

// CPython's wording for builtins with a fixed number of positional arguments.
void arity(const char* name, const CallArgs& a, std::size_t lo, std::size_t hi) {
  no_keywords(name, a);
  const std::size_t n = a.positional.size();
  if (n >= lo && n <= hi) return;
  // CPython's wording depends on how the builtin parses its arguments: METH_NOARGS and METH_O
  // say "takes no arguments" / "takes exactly one argument", argument clinic's positional check
  // (isinstance, divmod, ...) says "expected 2 arguments, got 1".
  if (lo == hi && lo == 0) raise_type(cat(name, "() takes no arguments (", n, " given)"));
  if (lo == hi && lo == 1) raise_type(cat(name, "() takes exactly one argument (", n, " given)"));
  if (lo == hi) raise_type(cat(name, " expected ", lo, " arguments, got ", n));
  if (n < lo) raise_type(cat(name, " expected at least ", lo, " argument", lo == 1 ? "" : "s", ", got ", n));
  raise_type(cat(name, " expected at most ", hi, " argument", hi == 1 ? "" : "s", ", got ", n));
}

Value builtin_print(CallArgs& a) {
  std::string sep = " ", end = "\n";
  for (const auto& [k, v] : a.keywords) {
    std::string* slot = k == "sep" ? &sep : k == "end" ? &end : nullptr;
    if (!slot) {
      if (k == "file" || k == "flush") raise_not_implemented(cat("Logit Lab does not support print(", k, "=...) yet"));
      raise_type(cat("'", k, "' is an invalid keyword argument for print()"));
    }
    if (v.is<NoneV>()) continue;
    if (!v.is<std::string>()) raise_type(cat(k, " must be None or a string, not ", type_name(v)));
    *slot = v.as<std::string>();
  }
  std::string line;
  for (std::size_t i = 0; i < a.positional.size(); ++i) {
    if (i) line += sep;
    line += py_str(a.positional[i]);
  }
  a.rt->out += line + end;  // the interpreter holds the output to max_output_bytes after each call
  return NoneV{};
}

Value min_max(CallArgs& a, bool is_max) {
  const char* name = is_max ? "max" : "min";
  for (const auto& [k, v] : a.keywords)
    if (k != "default" && k != "key") raise_type(cat("'", k, "' is an invalid keyword argument for ", name, "()"));
  if (!a.keywords.empty()) raise_not_implemented(cat("Logit Lab does not support ", name, "(key=..., default=...) yet"));
  if (a.positional.empty()) raise_type(cat(name, " expected at least 1 argument, got 0"));
  const ValueList items = a.positional.size() == 1 ? iterate(a.positional[0]) : a.positional;
  if (items.empty()) raise_value(cat(name, "() arg is an empty sequence"));
  Value best = items[0];
  for (std::size_t i = 1; i < items.size(); ++i)
    if (truthy(compare_op(is_max ? ">" : "<", items[i], best))) best = items[i];
  return best;
}

Value builtin_round(CallArgs& a) {
  const auto p = bind_python("round", {{"number", {}}, {"ndigits", Value()}}, a);
  const Value& x = p[0];
  if (x.is<Tensor>()) raise_type("type Tensor doesn't define __round__ method");
  if (x.is<std::int64_t>() || x.is<bool>()) return x.is<bool>() ? Value(std::int64_t{x.as<bool>()}) : x;
  if (!x.is<double>()) raise_type(cat("type ", type_name(x), " doesn't define __round__ method"));
  const double v = x.as<double>();
  if (p[1].is<NoneV>()) {
    if (std::isnan(v)) raise_value("cannot convert float NaN to integer");
    if (std::isinf(v)) raise("OverflowError", "cannot convert float infinity to integer");
    const double r = std::nearbyint(v);  // round half to even
    if (std::fabs(r) >= 9.2e18) raise_not_implemented("Logit Lab does not support integers beyond 64 bits yet");
    return static_cast<std::int64_t>(r);
  }
  if (!p[1].is<std::int64_t>()) raise_type(cat("'", type_name(p[1]), "' object cannot be interpreted as an integer"));
  const std::int64_t nd = p[1].as<std::int64_t>();
  if (!std::isfinite(v) || nd > 300) return v;
  if (nd < -308) return 0.0 * v;
  // Correctly rounded decimal rounding, as CPython does it: through the exact decimal string.
  if (nd >= 0) return std::strtod(python_format_float(v, cat(".", nd, "f")).c_str(), nullptr);
  const double scale = std::pow(10.0, static_cast<double>(-nd));
  return std::nearbyint(v / scale) * scale;
}

Value to_int(CallArgs& a) {
  arity("int", a, 0, 1);
  if (a.positional.empty()) return std::int64_t{0};
  const Value& x = a.positional[0];
  if (x.is<std::int64_t>()) return x;
  if (x.is<bool>()) return std::int64_t{x.as<bool>()};
  if (x.is<Tensor>()) {
    Value item = tensor_item(x.as<Tensor>());
    CallArgs inner;
    inner.positional.push_back(item);
    inner.rt = a.rt;
    return to_int(inner);
  }
  if (x.is<double>()) {
    const double v = x.as<double>();
    if (std::isnan(v)) raise_value("cannot convert float NaN to integer");
    if (std::isinf(v)) raise("OverflowError", "cannot convert float infinity to integer");
    if (std::fabs(v) >= 9.2e18) raise_not_implemented("Logit Lab does not support integers beyond 64 bits yet");
    return static_cast<std::int64_t>(std::trunc(v));
  }
  if (x.is<std::string>()) {
    const std::string& s = x.as<std::string>();
    std::size_t b = s.find_first_not_of(" \t\n\r\f\v"), e = s.find_last_not_of(" \t\n\r\f\v");
    std::string core = b == std::string::npos ? "" : s.substr(b, e - b + 1);
    std::string digits;
    for (char c : core)
      if (c != '_') digits += c;
    char* end = nullptr;
    errno = 0;
    const long long v = digits.empty() ? 0 : std::strtoll(digits.c_str(), &end, 10);
    if (digits.empty() || *end != '\0' || core.find("__") != std::string::npos || core.front() == '_' || core.back() == '_')
      raise_value(cat("invalid literal for int() with base 10: ", python_str_repr(s)));
    if (errno == ERANGE) raise_not_implemented("Logit Lab does not support integers beyond 64 bits yet");
    return static_cast<std::int64_t>(v);
  }
  raise_type(cat("int() argument must be a string, a bytes-like object or a real number, not '", type_name(x), "'"));
}

Value to_float(CallArgs& a) {
  arity("float", a, 0, 1);
  if (a.positional.empty()) return 0.0;
  const Value& x = a.positional[0];
  if (x.is<double>()) return x;
  if (x.is<std::int64_t>()) return static_cast<double>(x.as<std::int64_t>());
  if (x.is<bool>()) return x.as<bool>() ? 1.0 : 0.0;
  if (x.is<Tensor>()) {
    const Value item = tensor_item(x.as<Tensor>());
    if (item.is<double>()) return item;
    if (item.is<bool>()) return item.as<bool>() ? 1.0 : 0.0;
    return static_cast<double>(item.as<std::int64_t>());
  }
  if (x.is<std::string>()) {
    const std::string& s = x.as<std::string>();
    std::size_t b = s.find_first_not_of(" \t\n\r\f\v"), e = s.find_last_not_of(" \t\n\r\f\v");
    std::string core = b == std::string::npos ? "" : s.substr(b, e - b + 1);
    std::string lower;
    for (char c : core) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string unsigned_part = (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) ? lower.substr(1) : lower;
    const double sign = (!lower.empty() && lower[0] == '-') ? -1.0 : 1.0;
    if (unsigned_part == "inf" || unsigned_part == "infinity") return sign * HUGE_VAL;
    if (unsigned_part == "nan") return std::nan("");
    char* end = nullptr;
    const double v = core.empty() ? 0 : std::strtod(core.c_str(), &end);
    const bool plain = core.find_first_not_of("0123456789+-.eE") == std::string::npos;
    if (core.empty() || *end != '\0' || !plain) raise_value(cat("could not convert string to float: ", python_str_repr(s)));
    return v;
  }
  raise_type(cat("float() argument must be a string or a real number, not '", type_name(x), "'"));
}

std::string class_name(const Value& v) {
  if (v.is<Tensor>()) return "torch.Tensor";
  if (v.is<ObjectV>() && v.as<ObjectV>().type != "Generator") return "torch.nn.modules.loss." + v.as<ObjectV>().type;
  if (v.is<NamedTupleV>()) return v.as<NamedTupleV>().type;
  if (v.is<FunctionV>()) return v.as<FunctionV>().as_type.empty() ? "builtin_function_or_method" : "type";
  return type_name(v);
}

bool is_instance(const Value& x, const Value& t) {
  if (t.is<TupleV>()) {
    for (const auto& item : *t.as<TupleV>().items)
      if (is_instance(x, item)) return true;
    return false;
  }
  std::string name;
  if (t.is<TypeV>()) name = t.as<TypeV>().name;
  else if (t.is<FunctionV>() && !t.as<FunctionV>().as_type.empty()) name = t.as<FunctionV>().as_type;
  else raise_type("isinstance() arg 2 must be a type, a tuple of types, or a union");
  const std::string actual = class_name(x);
  if (name == actual || name == "object") return true;
  if (name == "int" && actual == "bool") return true;
  if (name == "tuple" && actual == "torch.Size") return true;
  if (name == "Exception" || name == "BaseException") return x.is<ExceptionV>();
  return false;
}

std::int64_t range_arg(const Value& v) {
  if (v.is<std::int64_t>()) return v.as<std::int64_t>();
  if (v.is<bool>()) return v.as<bool>();
  raise_type(cat("'", type_name(v), "' object cannot be interpreted as an integer"));
}

const std::map<std::string, Value>& table() {
  static const std::map<std::string, Value> t = [] {
    std::map<std::string, Value> m;
    m["print"] = fn("print", builtin_print);
    m["len"] = fn("len", [](CallArgs& a) -> Value { arity("len", a, 1, 1); return py_len(a.positional[0]); });
    m["min"] = fn("min", [](CallArgs& a) { return min_max(a, false); });
    m["max"] = fn("max", [](CallArgs& a) { return min_max(a, true); });
    m["abs"] = fn("abs", [](CallArgs& a) -> Value {
      arity("abs", a, 1, 1);
      const Value& x = a.positional[0];
      if (x.is<std::int64_t>()) {
        if (x.as<std::int64_t>() == std::numeric_limits<std::int64_t>::min())
          raise_not_implemented("Logit Lab does not support integers beyond 64 bits yet");
        return std::llabs(x.as<std::int64_t>());
      }
      if (x.is<bool>()) return std::int64_t{x.as<bool>()};
      if (x.is<double>()) return std::fabs(x.as<double>());
      if (x.is<Tensor>()) return tensor_unary("abs", x.as<Tensor>());
      raise_type(cat("bad operand type for abs(): '", type_name(x), "'"));
    });
    m["round"] = fn("round", builtin_round);
    m["int"] = fn("int", to_int, "int");
    m["float"] = fn("float", to_float, "float");
    m["bool"] = fn("bool", [](CallArgs& a) -> Value {
      arity("bool", a, 0, 1);
      return a.positional.empty() ? false : truthy(a.positional[0]);
    }, "bool");
    m["str"] = fn("str", [](CallArgs& a) -> Value {
      arity("str", a, 0, 1);
      return a.positional.empty() ? std::string() : py_str(a.positional[0]);
    }, "str");
    m["repr"] = fn("repr", [](CallArgs& a) -> Value { arity("repr", a, 1, 1); return py_repr(a.positional[0]); });
    m["type"] = fn("type", [](CallArgs& a) -> Value {
      if (a.positional.size() != 1 || !a.keywords.empty()) raise_type("type() takes 1 or 3 arguments");
      return TypeV{class_name(a.positional[0])};
    }, "type");
    m["isinstance"] = fn("isinstance", [](CallArgs& a) -> Value {
      arity("isinstance", a, 2, 2);
      return is_instance(a.positional[0], a.positional[1]);
    });
    m["range"] = fn("range", [](CallArgs& a) -> Value {
      arity("range", a, 1, 3);
      RangeV r;
      if (a.positional.size() == 1) {
        r.stop = range_arg(a.positional[0]);
      } else {
        r.start = range_arg(a.positional[0]);
        r.stop = range_arg(a.positional[1]);
        if (a.positional.size() == 3) r.step = range_arg(a.positional[2]);
        if (r.step == 0) raise_value("range() arg 3 must not be zero");
      }
      return r;
    }, "range");
    m["list"] = fn("list", [](CallArgs& a) -> Value {
      arity("list", a, 0, 1);
      return ListV{std::make_shared<ValueList>(a.positional.empty() ? ValueList{} : iterate(a.positional[0]))};
    }, "list");
    m["tuple"] = fn("tuple", [](CallArgs& a) -> Value {
      arity("tuple", a, 0, 1);
      return TupleV{std::make_shared<ValueList>(a.positional.empty() ? ValueList{} : iterate(a.positional[0]))};
    }, "tuple");
    for (const char* exc : {"Exception", "BaseException", "ValueError", "RuntimeError", "IndexError", "TypeError",
                            "KeyError", "LookupError", "AttributeError", "NameError", "NotImplementedError",
                            "ZeroDivisionError", "ArithmeticError", "ImportError", "ModuleNotFoundError",
                            "OverflowError"})
      m[exc] = TypeV{exc};
    return m;
  }();
  return t;
}

}  // namespace

std::optional<Value> builtin(const std::string& name) {
  const auto& t = table();
  if (auto it = t.find(name); it != t.end()) return it->second;
  static const std::set<std::string> python_builtins = {
      "enumerate", "zip", "sum", "sorted", "reversed", "map", "filter", "dict", "set", "open", "input",
      "exec", "eval", "compile", "getattr", "setattr", "hasattr", "iter", "next", "any", "all", "hash",
      "id", "chr", "ord", "hex", "oct", "bin", "divmod", "pow", "format", "vars", "dir", "globals",
      "locals", "super", "object", "callable", "frozenset", "bytes", "bytearray", "complex", "slice",
      "property", "staticmethod", "classmethod", "issubclass", "memoryview", "help", "breakpoint", "__import__"};
  if (python_builtins.count(name)) raise_not_implemented(cat("Logit Lab does not support the builtin '", name, "' yet"));
  return std::nullopt;
}

namespace {
// The methods CPython 3.11's str, list and tuple have: asking for one of them is a construct
// Logit Lab does not support yet; asking for anything else is Python's AttributeError.
bool is_sequence_method(const Value& obj, const std::string& name) {
  static const std::set<std::string> str_methods = {
      "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find",
      "format", "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit",
      "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join",
      "ljust", "lower", "lstrip", "maketrans", "partition", "removeprefix", "removesuffix", "replace",
      "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines",
      "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill"};
  static const std::set<std::string> list_methods = {"append", "clear", "copy", "count", "extend", "index",
                                                     "insert", "pop", "remove", "reverse", "sort"};
  if (name.size() > 4 && name.starts_with("__") && name.ends_with("__")) return true;
  if (obj.is<std::string>()) return str_methods.count(name) > 0;
  if (obj.is<ListV>()) return list_methods.count(name) > 0;
  return name == "count" || name == "index";
}
}  // namespace

Value python_attribute(const Value& obj, const std::string& name) {
  if (obj.is<SizeV>()) {
    const Shape dims = obj.as<SizeV>().dims;
    if (name == "numel")
      return fn("numel", [dims](CallArgs& a) -> Value {
        arity("numel", a, 0, 0);
        return shape_numel(dims);
      });
  }
  if (obj.is<NamedTupleV>()) {
    const auto& t = obj.as<NamedTupleV>();
    for (std::size_t i = 0; i < t.fields.size(); ++i)
      if (t.fields[i] == name) return (*t.items)[i];
  }
  if (obj.is<ObjectV>() && obj.as<ObjectV>().attrs)
    for (const auto& [k, v] : *obj.as<ObjectV>().attrs)
      if (k == name) return v;
  if (obj.is<ExceptionV>() && name == "args")
    return TupleV{std::make_shared<ValueList>(ValueList{obj.as<ExceptionV>().message})};
  if (obj.is<DTypeV>() && name == "is_floating_point") return is_floating(obj.as<DTypeV>().dtype);
  if (obj.is<TypeV>() && name == "__name__") {
    const std::string& n = obj.as<TypeV>().name;
    return n.substr(n.rfind('.') == std::string::npos ? 0 : n.rfind('.') + 1);
  }
  if ((obj.is<std::string>() || obj.is<ListV>() || obj.is<TupleV>()) && is_sequence_method(obj, name))
    raise_not_implemented(cat("Logit Lab does not support ", type_name(obj), " methods like '.", name, "' yet"));
  raise("AttributeError", cat("'", type_name(obj), "' object has no attribute '", name, "'"));
}

}  // namespace logitlab::lang
