#include "python_ops.hpp"

#include <cmath>
#include <limits>

#include "bind.hpp"
#include "logitlab/error.hpp"
#include "logitlab/format.hpp"
#include "tensor_lib.hpp"

namespace logitlab::lang {
namespace {

bool is_number(const Value& v) { return v.is<std::int64_t>() || v.is<double>() || v.is<bool>(); }
bool is_intlike(const Value& v) { return v.is<std::int64_t>() || v.is<bool>(); }
std::int64_t as_int(const Value& v) { return v.is<bool>() ? (v.as<bool>() ? 1 : 0) : v.as<std::int64_t>(); }
double as_double(const Value& v) { return v.is<double>() ? v.as<double>() : static_cast<double>(as_int(v)); }

[[noreturn]] void too_big() { raise_not_implemented("Logit Lab does not support integers beyond 64 bits yet"); }

[[noreturn]] void unsupported_operands(const std::string& op, const Value& a, const Value& b) {
  raise_type(cat("unsupported operand type(s) for ", op, ": '", type_name(a), "' and '", type_name(b), "'"));
}

// Python's floor division and modulo on ints (results take the divisor's sign).
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Value int_pow(std::int64_t base, std::int64_t exp) {
  if (exp < 0) {
    if (base == 0) raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
    return std::pow(static_cast<double>(base), static_cast<double>(exp));
  }
  std::int64_t result = 1;
  for (std::int64_t i = 0; i < exp; ++i) {
    if (__builtin_mul_overflow(result, base, &result)) too_big();
    if (result == 0 || result == 1) break;
  }
  return result;
}

Value number_op(const std::string& op, const Value& a, const Value& b) {
  if (is_intlike(a) && is_intlike(b)) {
    const std::int64_t x = as_int(a), y = as_int(b);
    std::int64_t r;
    if (op == "+") { if (__builtin_add_overflow(x, y, &r)) too_big(); return r; }
    if (op == "-") { if (__builtin_sub_overflow(x, y, &r)) too_big(); return r; }
    if (op == "*") { if (__builtin_mul_overflow(x, y, &r)) too_big(); return r; }
    if (op == "/") {
      if (y == 0) raise("ZeroDivisionError", "division by zero");
      return static_cast<double>(x) / static_cast<double>(y);
    }
    if (op == "//") {
      if (y == 0) raise("ZeroDivisionError", "integer division or modulo by zero");
      if (x == std::numeric_limits<std::int64_t>::min() && y == -1) too_big();
      return floor_div(x, y);
    }
    if (op == "%") {
      if (y == 0) raise("ZeroDivisionError", "integer modulo by zero");
      if (y == -1) return std::int64_t{0};
      return x - floor_div(x, y) * y;
    }
    if (op == "**") return int_pow(x, y);
    if (op == "&") return x & y;
    if (op == "|") return x | y;
    if (op == "^") return x ^ y;
    if (op == "<<" || op == ">>") {
      if (y < 0) raise_value("negative shift count");
      if (op == ">>") return y >= 63 ? (x < 0 ? -1 : 0) : (x >> y);
      if (y >= 63 || (x != 0 && (x > (std::numeric_limits<std::int64_t>::max() >> y) ||
                                 x < (std::numeric_limits<std::int64_t>::min() >> y))))
        too_big();
      return static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << y);
    }
    unsupported_operands(op, a, b);
  }
  const double x = as_double(a), y = as_double(b);
  if (op == "+") return x + y;
  if (op == "-") return x - y;
  if (op == "*") return x * y;
  if (op == "/") {
    if (y == 0) raise("ZeroDivisionError", "float division by zero");
    return x / y;
  }
  if (op == "//") {
    if (y == 0) raise("ZeroDivisionError", "float floor division by zero");
    return std::floor(x / y);
  }
  if (op == "%") {
    if (y == 0) raise("ZeroDivisionError", "float modulo");
    double m = std::fmod(x, y);
    if (m != 0 && ((m < 0) != (y < 0))) m += y;
    return m;
  }
  if (op == "**") {
    if (x == 0 && y < 0) raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
    if (x < 0 && std::floor(y) != y) raise_not_implemented("Logit Lab does not support complex numbers yet");
    const double r = std::pow(x, y);
    if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) raise("OverflowError", "(34, 'Numerical result out of range')");
    return r;
  }
  unsupported_operands(op, a, b);
}

ValueList concat(const ValueList& a, const ValueList& b) {
  ValueList r = a;
  r.insert(r.end(), b.begin(), b.end());
  return r;
}

ValueList repeat(const ValueList& items, std::int64_t n, std::int64_t max_elements) {
  ValueList r;
  if (n <= 0) return r;
  if (static_cast<double>(items.size()) * static_cast<double>(n) > static_cast<double>(max_elements))
    raise_playground("MemoryError", cat("this sequence would hold more than max_elements = ", max_elements, " items"));
  for (std::int64_t i = 0; i < n; ++i) r.insert(r.end(), items.begin(), items.end());
  return r;
}

const ValueList* sequence_items(const Value& v) {
  if (v.is<ListV>()) return v.as<ListV>().items.get();
  if (v.is<TupleV>()) return v.as<TupleV>().items.get();
  if (v.is<NamedTupleV>()) return v.as<NamedTupleV>().items.get();
  return nullptr;
}

// Python's slice.indices(n): clamped start, stop and step.
struct Span {
  std::int64_t start, stop, step, count;
};
Span slice_span(const SliceV& s, std::int64_t n) {
  const std::int64_t step = s.step.value_or(1);
  if (step == 0) raise_value("slice step cannot be zero");
  auto clamp = [&](std::optional<std::int64_t> v, std::int64_t dflt) {
    if (!v) return dflt;
    std::int64_t x = *v;
    if (x < 0) x += n;
    if (step > 0) return std::clamp<std::int64_t>(x, 0, n);
    return std::clamp<std::int64_t>(x, -1, n - 1);
  };
  Span sp{clamp(s.start, step > 0 ? 0 : n - 1), clamp(s.stop, step > 0 ? n : -1), step, 0};
  if (step > 0 && sp.stop > sp.start) sp.count = (sp.stop - sp.start + step - 1) / step;
  if (step < 0 && sp.stop < sp.start) sp.count = (sp.start - sp.stop - step - 1) / (-step);
  return sp;
}

std::int64_t sequence_index(const Value& index, std::int64_t n, const char* what, const Value& obj) {
  if (!is_intlike(index))
    raise_type(cat(what, " indices must be integers or slices, not ", type_name(index)));
  (void)obj;
  std::int64_t i = as_int(index);
  if (i < 0) i += n;
  if (i < 0 || i >= n) raise_index(cat(what, " index out of range"));
  return i;
}

// Python's format-spec mini-language for ints and strings: [[fill]align][sign][#][0][width][,_][.prec][type]
struct Spec {
  char fill = ' ', align = 0, sign = '-';
  bool alt = false, zero = false;
  std::int64_t width = -1, precision = -1;
  char grouping = 0, type = 0;
};

Spec parse_spec(const std::string& s, const char* type_name_for_errors) {
  Spec sp;
  std::size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (s.size() >= 2 && is_align(s[1])) {
    sp.fill = s[0];
    sp.align = s[1];
    i = 2;
  } else if (!s.empty() && is_align(s[0])) {
    sp.align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) sp.sign = s[i++];
  if (i < s.size() && s[i] == '#') { sp.alt = true; ++i; }
  if (i < s.size() && s[i] == '0') { sp.zero = true; ++i; }
  auto digits = [&](std::int64_t& out) {
    std::size_t start = i;
    std::int64_t v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i++] - '0');
      if (v > 10000000) raise_not_implemented("Logit Lab does not support format widths this large");
    }
    if (i > start) out = v;
  };
  digits(sp.width);
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) sp.grouping = s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    digits(sp.precision);
  }
  if (i < s.size()) sp.type = s[i++];
  if (i != s.size()) raise_value(cat("Invalid format specifier '", s, "' for object of type '", type_name_for_errors, "'"));
  return sp;
}

std::string pad(std::string body, const Spec& sp, char default_align) {
  const char align = sp.align ? sp.align : default_align;
  if (sp.width < 0 || static_cast<std::int64_t>(body.size()) >= sp.width) return body;
  const std::size_t n = static_cast<std::size_t>(sp.width) - body.size();
  if (align == '<') return body + std::string(n, sp.fill);
  if (align == '^') return std::string(n / 2, sp.fill) + body + std::string(n - n / 2, sp.fill);
  if (align == '=' && !body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' '))
    return body.substr(0, 1) + std::string(n, sp.fill) + body.substr(1);
  return std::string(n, sp.fill) + body;
}

std::string format_int(std::int64_t v, const std::string& spec) {
  Spec sp = parse_spec(spec, "int");
  if (sp.type && std::string("eEfFgG%").find(sp.type) != std::string::npos)
    return python_format_float(static_cast<double>(v), spec);
  if (sp.precision >= 0) raise_value("Precision not allowed in integer format specifier");
  const bool neg = v < 0;
  const std::uint64_t mag = neg ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string digits;
  int base = 10;
  const char t = sp.type ? sp.type : 'd';
  if (t == 'x' || t == 'X') base = 16;
  else if (t == 'o') base = 8;
  else if (t == 'b') base = 2;
  else if (t == 'c') raise_not_implemented("Logit Lab does not support format type 'c' yet");
  else if (t != 'd' && t != 'n') raise_value(cat("Unknown format code '", t, "' for object of type 'int'"));
  const char* alphabet = t == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  std::uint64_t m = mag;
  do {
    digits.insert(digits.begin(), alphabet[m % static_cast<std::uint64_t>(base)]);
    m /= static_cast<std::uint64_t>(base);
  } while (m);
  if (sp.grouping) {
    const std::size_t group = base == 10 ? 3 : 4;
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i && (digits.size() - i) % group == 0) grouped += sp.grouping;
      grouped += digits[i];
    }
    digits = grouped;
  }
  std::string prefix = neg ? "-" : (sp.sign == '+' ? "+" : sp.sign == ' ' ? " " : "");
  if (sp.alt && base != 10) prefix += t == 'X' ? "0X" : (base == 16 ? "0x" : base == 8 ? "0o" : "0b");
  if (sp.zero && !sp.align) {
    sp.fill = '0';
    sp.align = '=';
    std::string body = prefix + digits;
    if (sp.width > static_cast<std::int64_t>(body.size()))
      return prefix + std::string(static_cast<std::size_t>(sp.width) - body.size(), '0') + digits;
    return body;
  }
  return pad(prefix + digits, sp, '>');
}

std::string format_str(const std::string& v, const std::string& spec) {
  const Spec sp = parse_spec(spec, "str");
  if (sp.type && sp.type != 's') raise_value(cat("Unknown format code '", sp.type, "' for object of type 'str'"));
  if (sp.sign != '-') raise_value("Sign not allowed in string format specifier");
  std::string body = v;
  if (sp.precision >= 0 && static_cast<std::int64_t>(body.size()) > sp.precision)
    body = body.substr(0, static_cast<std::size_t>(sp.precision));
  return pad(body, sp, '<');
}

}  // namespace

std::string format_value(const Value& v, const std::string& spec) {
  if (v.is<double>()) return python_format_float(v.as<double>(), spec);
  if (v.is<bool>()) return spec.empty() ? py_str(v) : format_int(v.as<bool>() ? 1 : 0, spec);
  if (v.is<std::int64_t>()) return spec.empty() ? py_str(v) : format_int(v.as<std::int64_t>(), spec);
  if (v.is<std::string>()) return spec.empty() ? v.as<std::string>() : format_str(v.as<std::string>(), spec);
  if (v.is<Tensor>()) {
    const Tensor& t = v.as<Tensor>();
    // Tensor.__format__: a 0-d tensor formats as its Python number.
    if (t.dim() == 0) return format_value(tensor_item(t), spec);
    if (spec.empty()) return py_str(v);
    raise_type("unsupported format string passed to Tensor.__format__");
  }
  if (spec.empty()) return py_str(v);
  raise_type(cat("unsupported format string passed to ", type_name(v), ".__format__"));
}

bool py_equal(const Value& a, const Value& b) {
  if (is_number(a) && is_number(b)) {
    if (is_intlike(a) && is_intlike(b)) return as_int(a) == as_int(b);
    return as_double(a) == as_double(b);
  }
  if (a.is<std::string>() && b.is<std::string>()) return a.as<std::string>() == b.as<std::string>();
  if (a.is<NoneV>() || b.is<NoneV>()) return a.is<NoneV>() && b.is<NoneV>();
  if (a.is<DTypeV>() && b.is<DTypeV>()) return a.as<DTypeV>().dtype == b.as<DTypeV>().dtype;
  auto tuple_like = [](const Value& v) -> std::optional<ValueList> {
    if (v.is<TupleV>()) return *v.as<TupleV>().items;
    if (v.is<SizeV>()) {
      ValueList l;
      for (auto d : v.as<SizeV>().dims) l.push_back(d);
      return l;
    }
    return std::nullopt;
  };
  auto ta = tuple_like(a), tb = tuple_like(b);
  if (ta && tb) {
    if (ta->size() != tb->size()) return false;
    for (std::size_t i = 0; i < ta->size(); ++i)
      if (!py_equal((*ta)[i], (*tb)[i])) return false;
    return true;
  }
  if (a.is<ListV>() && b.is<ListV>()) {
    const auto& x = *a.as<ListV>().items;
    const auto& y = *b.as<ListV>().items;
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!py_equal(x[i], y[i])) return false;
    return true;
  }
  auto type_of = [](const Value& v) -> std::string {
    if (v.is<TypeV>()) return v.as<TypeV>().name;
    if (v.is<FunctionV>()) return v.as<FunctionV>().as_type;
    return "";
  };
  if (!type_of(a).empty() || !type_of(b).empty()) return type_of(a) == type_of(b);
  if (a.is<ModuleV>() && b.is<ModuleV>()) return a.as<ModuleV>().name == b.as<ModuleV>().name;
  return false;
}

Value binary_op(const std::string& op, const Value& a, const Value& b, Runtime& rt) {
  if (a.is<Tensor>() || b.is<Tensor>()) return tensor_binary(op, a, b, rt);
  if (is_number(a) && is_number(b)) return number_op(op, a, b);
  if (op == "+") {
    if (a.is<std::string>() && b.is<std::string>()) return a.as<std::string>() + b.as<std::string>();
    if (a.is<std::string>()) raise_type(cat("can only concatenate str (not \"", type_name(b), "\") to str"));
    if (a.is<ListV>() && b.is<ListV>())
      return ListV{std::make_shared<ValueList>(concat(*a.as<ListV>().items, *b.as<ListV>().items))};
    if (a.is<ListV>()) raise_type(cat("can only concatenate list (not \"", type_name(b), "\") to list"));
    if ((a.is<TupleV>() || a.is<SizeV>()) && (b.is<TupleV>() || b.is<SizeV>())) {
      ValueList items = iterate(a);
      for (const auto& v : iterate(b)) items.push_back(v);
      if (a.is<SizeV>()) {
        Shape dims;
        for (const auto& v : items) {
          if (!is_intlike(v)) return TupleV{std::make_shared<ValueList>(items)};
          dims.push_back(as_int(v));
        }
        return SizeV{dims};
      }
      return TupleV{std::make_shared<ValueList>(items)};
    }
    if (a.is<TupleV>() || a.is<SizeV>())
      raise_type(cat("can only concatenate tuple (not \"", type_name(b), "\") to tuple"));
  }
  if (op == "*") {
    // torch.Size repeats into a torch.Size, from either side, like a tuple repeats into a tuple.
    if ((a.is<SizeV>() && is_intlike(b)) || (b.is<SizeV>() && is_intlike(a))) {
      const Shape& dims = a.is<SizeV>() ? a.as<SizeV>().dims : b.as<SizeV>().dims;
      const std::int64_t n = as_int(a.is<SizeV>() ? b : a);
      if (n > 0 && static_cast<double>(dims.size()) * static_cast<double>(n) > static_cast<double>(rt.max_elements))
        raise_playground("MemoryError", cat("this torch.Size would be longer than max_elements = ", rt.max_elements));
      Shape r;
      for (std::int64_t i = 0; i < n; ++i) r.insert(r.end(), dims.begin(), dims.end());
      return SizeV{r};
    }
    if (a.is<SizeV>() || b.is<SizeV>())
      raise_type(cat("can't multiply sequence by non-int of type '", type_name(a.is<SizeV>() ? b : a), "'"));
    const Value* seq = sequence_items(a) || a.is<std::string>() ? &a : (sequence_items(b) || b.is<std::string>() ? &b : nullptr);
    const Value* count = seq == &a ? &b : &a;
    if (seq && is_intlike(*count)) {
      const std::int64_t n = as_int(*count);
      if (seq->is<std::string>()) {
        const std::string& s = seq->as<std::string>();
        if (n <= 0) return std::string();
        if (static_cast<double>(s.size()) * static_cast<double>(n) > static_cast<double>(rt.max_elements))
          raise_playground("MemoryError", cat("this string would be longer than max_elements = ", rt.max_elements));
        std::string r;
        for (std::int64_t i = 0; i < n; ++i) r += s;
        return r;
      }
      ValueList items = repeat(*sequence_items(*seq), n, rt.max_elements);
      if (seq->is<ListV>()) return ListV{std::make_shared<ValueList>(std::move(items))};
      return TupleV{std::make_shared<ValueList>(std::move(items))};
    }
    if (seq && !count->is<double>() ) raise_type(cat("can't multiply sequence by non-int of type '", type_name(*count), "'"));
    if (seq) raise_type("can't multiply sequence by non-int of type 'float'");
  }
  if (op == "%" && a.is<std::string>()) raise_not_implemented("Logit Lab does not support '%' string formatting yet; use an f-string");
  unsupported_operands(op, a, b);
}

Value unary_op(const std::string& op, const Value& v) {
  if (op == "not") return !truthy(v);
  if (v.is<Tensor>()) return tensor_unary(op, v.as<Tensor>());
  if (op == "-") {
    if (is_intlike(v)) {
      if (as_int(v) == std::numeric_limits<std::int64_t>::min()) too_big();
      return -as_int(v);
    }
    if (v.is<double>()) return -v.as<double>();
    raise_type(cat("bad operand type for unary -: '", type_name(v), "'"));
  }
  if (op == "+") {
    if (is_intlike(v)) return as_int(v);
    if (v.is<double>()) return v;
    raise_type(cat("bad operand type for unary +: '", type_name(v), "'"));
  }
  if (op == "~") {
    if (is_intlike(v)) return ~as_int(v);
    raise_type(cat("bad operand type for unary ~: '", type_name(v), "'"));
  }
  raise_not_implemented(cat("Logit Lab does not support the unary operator '", op, "' yet"));
}

namespace {
int three_way(const Value& a, const Value& b, const std::string& op) {
  if (is_number(a) && is_number(b)) {
    if (is_intlike(a) && is_intlike(b)) return as_int(a) < as_int(b) ? -1 : as_int(a) > as_int(b) ? 1 : 0;
    const double x = as_double(a), y = as_double(b);
    if (std::isnan(x) || std::isnan(y)) return 2;  // unordered: every ordering comparison is False
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is<std::string>() && b.is<std::string>()) {
    const int c = a.as<std::string>().compare(b.as<std::string>());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  const ValueList* x = sequence_items(a);
  const ValueList* y = sequence_items(b);
  if (x && y && a.v.index() == b.v.index()) {
    for (std::size_t i = 0; i < std::min(x->size(), y->size()); ++i) {
      if (py_equal((*x)[i], (*y)[i])) continue;
      return three_way((*x)[i], (*y)[i], op);
    }
    return x->size() < y->size() ? -1 : x->size() > y->size() ? 1 : 0;
  }
  raise_type(cat("'", op, "' not supported between instances of '", type_name(a), "' and '", type_name(b), "'"));
}
}  // namespace

Value compare_op(const std::string& op, const Value& a, const Value& b) {
  if (op == "is" || op == "is not") {
    bool same;
    if (a.is<NoneV>() || b.is<NoneV>()) same = a.is<NoneV>() && b.is<NoneV>();
    else if (a.is<bool>() && b.is<bool>()) same = a.as<bool>() == b.as<bool>();
    else if (a.is<Tensor>() && b.is<Tensor>()) {
      const Tensor& x = a.as<Tensor>();
      const Tensor& y = b.as<Tensor>();
      same = x.shares_storage_with(y) && x.shape() == y.shape() && x.strides() == y.strides() && x.offset() == y.offset();
    } else same = py_equal(a, b) && a.v.index() == b.v.index() && !a.is<ListV>();
    return op == "is" ? same : !same;
  }
  if (op == "in" || op == "not in") {
    bool found = false;
    if (b.is<std::string>()) {
      if (!a.is<std::string>()) raise_type(cat("'in <string>' requires string as left operand, not ", type_name(a)));
      found = b.as<std::string>().find(a.as<std::string>()) != std::string::npos;
    } else if (b.is<Tensor>()) {
      raise_not_implemented("Logit Lab does not support 'in' on tensors yet");
    } else {
      if (!(sequence_items(b) || b.is<SizeV>() || b.is<RangeV>()))
        raise_type(cat("argument of type '", type_name(b), "' is not iterable"));
      for (const auto& v : iterate(b)) found = found || py_equal(a, v);
    }
    return op == "in" ? found : !found;
  }
  if (a.is<Tensor>() || b.is<Tensor>()) return tensor_compare(op, a, b);
  if (op == "==") return py_equal(a, b);
  if (op == "!=") return !py_equal(a, b);
  const int c = three_way(a, b, op);
  if (c == 2) return false;
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  if (op == ">=") return c >= 0;
  raise_not_implemented(cat("Logit Lab does not support the comparison '", op, "' yet"));
}

std::int64_t py_len(const Value& v) {
  if (v.is<std::string>()) {
    std::int64_t n = 0;  // code points, not bytes
    for (unsigned char c : v.as<std::string>()) n += (c & 0xC0) != 0x80;
    return n;
  }
  if (const ValueList* items = sequence_items(v)) return static_cast<std::int64_t>(items->size());
  if (v.is<SizeV>()) return static_cast<std::int64_t>(v.as<SizeV>().dims.size());
  if (v.is<RangeV>()) {
    const auto& r = v.as<RangeV>();
    return slice_span(SliceV{r.start, r.stop, r.step}, std::numeric_limits<std::int64_t>::max()).count;
  }
  if (v.is<Tensor>()) {
    const Tensor& t = v.as<Tensor>();
    if (t.dim() == 0) raise_type("len() of a 0-d tensor");
    return t.shape()[0];
  }
  raise_type(cat("object of type '", type_name(v), "' has no len()"));
}

ValueList iterate(const Value& v) {
  if (const ValueList* items = sequence_items(v)) return *items;
  if (v.is<SizeV>()) {
    ValueList l;
    for (auto d : v.as<SizeV>().dims) l.push_back(d);
    return l;
  }
  if (v.is<std::string>()) {
    ValueList l;
    const std::string& s = v.as<std::string>();
    for (std::size_t i = 0; i < s.size();) {
      std::size_t j = i + 1;
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      l.push_back(s.substr(i, j - i));
      i = j;
    }
    return l;
  }
  if (v.is<RangeV>()) {
    const auto& r = v.as<RangeV>();
    const std::int64_t n = py_len(v);
    if (n > 10000000) raise_playground("MemoryError", "Logit Lab does not materialise ranges of more than 10,000,000 items");
    ValueList l;
    for (std::int64_t i = 0; i < n; ++i) l.push_back(r.start + i * r.step);
    return l;
  }
  if (v.is<Tensor>()) return tensor_iterate(v.as<Tensor>());
  raise_type(cat("'", type_name(v), "' object is not iterable"));
}

Value subscript(const Value& obj, const Value& index) {
  if (obj.is<Tensor>()) return tensor_subscript(obj.as<Tensor>(), index);
  const char* what = obj.is<ListV>() ? "list" : obj.is<std::string>() ? "string" : obj.is<RangeV>() ? "range" : "tuple";
  if (!(sequence_items(obj) || obj.is<std::string>() || obj.is<SizeV>() || obj.is<RangeV>())) {
    if (obj.is<FunctionV>()) raise_type("'builtin_function_or_method' object is not subscriptable");
    raise_type(cat("'", type_name(obj), "' object is not subscriptable"));
  }
  const ValueList items = iterate(obj);
  const auto n = static_cast<std::int64_t>(items.size());
  if (index.is<SliceV>()) {
    const Span sp = slice_span(index.as<SliceV>(), n);
    ValueList out;
    for (std::int64_t k = 0, i = sp.start; k < sp.count; ++k, i += sp.step) out.push_back(items[static_cast<std::size_t>(i)]);
    if (obj.is<std::string>()) {
      std::string s;
      for (const auto& c : out) s += c.as<std::string>();
      return s;
    }
    if (obj.is<ListV>()) return ListV{std::make_shared<ValueList>(std::move(out))};
    if (obj.is<SizeV>()) {
      Shape dims;
      for (const auto& d : out) dims.push_back(as_int(d));
      return SizeV{dims};
    }
    return TupleV{std::make_shared<ValueList>(std::move(out))};
  }
  return items[static_cast<std::size_t>(sequence_index(index, n, what, obj))];
}

}  // namespace logitlab::lang
