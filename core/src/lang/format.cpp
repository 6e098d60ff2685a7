// PyTorch 1.13 tensor printing (the rules of torch/_tensor_str.py with the default print
// options) and the Python 3.11 number/str formatting the interpreter needs.
#include "logitlab/format.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "logitlab/dtype.hpp"
#include "logitlab/error.hpp"
#include "logitlab/tensor.hpp"

namespace logitlab {

namespace {

// ---------------------------------------------------------------------------------------------
// Number -> text. C's printf is correctly rounded (ties to even on the exact binary value) in
// glibc and in Emscripten's musl, like Python's dtoa; std::to_chars for floating point would
// do too, but Emscripten 3.1's libc++ does not have it. The "C" locale is assumed.
// ---------------------------------------------------------------------------------------------

// printf("%.*f") / printf("%.*e") of a finite value.
std::string printf_double(const char* format, int precision, double v) {
  const int n = std::snprintf(nullptr, 0, format, precision, v);
  std::string s(static_cast<std::size_t>(n), '\0');
  std::snprintf(s.data(), s.size() + 1, format, precision, v);
  return s;
}
std::string fixed_str(double v, int decimals) { return printf_double("%.*f", decimals, v); }
std::string sci_str(double v, int decimals) { return printf_double("%.*e", decimals, v); }

// A finite non-negative value as decimal digits: value = 0.D1D2D3... * 10^point.
// Digits carry no trailing zeros (zero itself is "0" with point 1, as Python's dtoa gives).
struct Digits {
  std::string digits;
  int point = 1;
};

// Splits printf's "d.ddde+XX" into digits (trailing zeros kept) and point.
Digits parse_sci(const std::string& s) {
  Digits d;
  const std::size_t e = s.find('e');
  for (std::size_t i = 0; i < e; ++i)
    if (s[i] != '.') d.digits += s[i];
  d.point = std::atoi(s.c_str() + e + 1) + 1;
  return d;
}

Digits strip_zeros(Digits d) {
  while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
  if (d.digits == "0") d.point = 1;
  return d;
}

bool reads_back_as(const Digits& d, double a) {
  const std::string text = d.digits + "e" + std::to_string(d.point - static_cast<int>(d.digits.size()));
  return std::strtod(text.c_str(), nullptr) == a;
}

// The shortest digits that read back as a (finite, >= 0), nearest to a among the shortest:
// what Python's repr prints.
Digits shortest_digits(double a) {
  if (a == 0.0) return {"0", 1};
  int binary_exponent = 0;
  const bool power_of_two = std::frexp(a, &binary_exponent) == 0.5;
  for (int n = 1; n < 17; ++n) {
    const Digits nearest = parse_sci(sci_str(a, n - 1));
    if (reads_back_as(nearest, a)) return strip_zeros(nearest);
    // Below a power of two the gap to the next double is half the gap above, so the
    // nearest n-digit decimal can miss (below a) while the next one up still reads back.
    if (power_of_two) {
      Digits up = nearest;
      int k = static_cast<int>(up.digits.size()) - 1;
      while (k >= 0 && up.digits[static_cast<std::size_t>(k)] == '9') up.digits[static_cast<std::size_t>(k--)] = '0';
      if (k < 0) {
        up.digits.insert(0, "1");
        up.digits.pop_back();
        ++up.point;
      } else {
        ++up.digits[static_cast<std::size_t>(k)];
      }
      if (reads_back_as(up, a)) return strip_zeros(up);
    }
  }
  return strip_zeros(parse_sci(sci_str(a, 16)));  // 17 significant digits always read back
}

// significant < 0: shortest round-trip digits; else rounded to that many significant digits.
Digits decimal_digits(double a, int significant) {
  if (significant < 0) return shortest_digits(a);
  return strip_zeros(parse_sci(sci_str(a, significant - 1)));
}

// Python's exponent suffix: "e+16", "e-05" (at least two digits).
std::string exponent_suffix(int exponent) {
  std::string out = exponent < 0 ? "e-" : "e+";
  const std::string mag = std::to_string(exponent < 0 ? -exponent : exponent);
  if (mag.size() < 2) out += '0';
  return out + mag;
}

// The body (no sign) of a finite |v| in one of Python's float presentation modes:
//   'e' / 'f': fixed number of digits after the point;
//   'g': `precision` significant digits, exponent form when the exponent is < -4 or
//        >= precision (>= precision - 1 with add_dot0: the "no type, with precision" spec);
//   'r': repr's shortest digits, exponent form when the exponent is < -4 or >= 16.
// alt ('#') keeps the point (and for 'g' the trailing zeros); add_dot0 appends ".0" to
// integral fixed-notation results (repr and the no-type spec).
std::string render_abs(double a, char mode, int precision, bool alt, bool add_dot0) {
  if (mode == 'f') {
    std::string s = fixed_str(a, precision);
    if (alt && precision == 0) s += '.';
    return s;
  }
  if (mode == 'e') {
    std::string s = sci_str(a, precision);
    if (alt && precision == 0) s.insert(s.find('e'), ".");
    return s;
  }
  // 'g' and 'r' share the layout logic.
  const int significant = mode == 'g' ? std::max(precision, 1) : -1;
  Digits d = decimal_digits(a, significant);
  const int n = static_cast<int>(d.digits.size());
  bool use_exp;
  if (mode == 'g')
    use_exp = d.point <= -4 || d.point > (add_dot0 ? significant - 1 : significant);
  else
    use_exp = d.point <= -4 || d.point > 16;
  // Minimum count of significant positions shown (alternate 'g' keeps trailing zeros).
  const int shown = (mode == 'g' && alt) ? significant : n;
  int exponent = 0;
  if (use_exp) {
    exponent = d.point - 1;
    d.point = 1;
  }
  std::string int_part;
  std::string frac;
  if (d.point <= 0) {
    int_part = "0";
    frac = std::string(static_cast<std::size_t>(-d.point), '0') + d.digits;
  } else if (d.point >= n) {
    int_part = d.digits + std::string(static_cast<std::size_t>(d.point - n), '0');
  } else {
    int_part = d.digits.substr(0, static_cast<std::size_t>(d.point));
    frac = d.digits.substr(static_cast<std::size_t>(d.point));
  }
  int min_frac = shown - d.point;
  if (!use_exp && add_dot0) min_frac = std::max(min_frac, 1);
  if (static_cast<int>(frac.size()) < min_frac) frac.append(static_cast<std::size_t>(min_frac) - frac.size(), '0');
  std::string out = int_part;
  if (!frac.empty() || alt) out += '.' + frac;
  if (use_exp) out += exponent_suffix(exponent);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Python's format-spec mini-language (Objects/stringlib/unicode_format.h, 3.11 behaviour).
// ---------------------------------------------------------------------------------------------

struct Spec {
  std::string fill = " ";  // one code point, UTF-8
  char align = '\0';       // '<' '>' '^' '=' or none
  char sign = '-';
  bool no_neg_0 = false;   // 'z'
  bool alt = false;        // '#'
  std::int64_t width = -1;
  char thousands = '\0';   // ',' or '_'
  std::int64_t precision = -1;
  char32_t type = U'\0';  // one code point
};

bool is_align(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

// Length of the UTF-8 sequence starting with byte b (1 for invalid lead bytes).
std::size_t utf8_length(unsigned char b) {
  if (b >= 0xF0 && b <= 0xF4) return 4;
  if (b >= 0xE0) return b <= 0xEF ? 3 : 1;
  if (b >= 0xC2) return 2;
  return 1;
}

// How Python names a format code in its messages: the character itself when printable ASCII,
// else "\\x" and its code point in hex without padding ('\x1', '\xe9').
std::string char_for_message(char32_t c) {
  if (c > 32 && c < 128) return std::string(1, static_cast<char>(c));
  static const char* hex = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), hex[c & 15]);
    c >>= 4;
  } while (c != 0);
  return "\\x" + digits;
}

char32_t next_code_point(std::string_view s, std::size_t& i);

// Reads decimal digits at pos; -1 when there are none. Python's overflow message beyond ssize_t.
std::int64_t consume_digits(std::string_view s, std::size_t& pos) {
  std::int64_t acc = -1;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    const int digit = s[pos] - '0';
    if (acc < 0) acc = 0;
    if (acc > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
      raise_value("Too many decimal digits in format string");
    acc = acc * 10 + digit;
    ++pos;
  }
  return acc;
}

Spec parse_spec(std::string_view s, const char* type_name) {
  Spec spec;
  std::size_t pos = 0;
  bool fill_given = false;
  bool align_given = false;
  const std::size_t first_len = s.empty() ? 0 : std::min(utf8_length(static_cast<unsigned char>(s[0])), s.size());
  if (s.size() > first_len && is_align(s[first_len])) {
    spec.fill = std::string(s.substr(0, first_len));
    spec.align = s[first_len];
    fill_given = align_given = true;
    pos = first_len + 1;
  } else if (!s.empty() && is_align(s[0])) {
    spec.align = s[0];
    align_given = true;
    pos = 1;
  }
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-' || s[pos] == ' ')) spec.sign = s[pos++];
  if (pos < s.size() && s[pos] == 'z') {
    spec.no_neg_0 = true;
    ++pos;
  }
  if (pos < s.size() && s[pos] == '#') {
    spec.alt = true;
    ++pos;
  }
  if (!fill_given && pos < s.size() && s[pos] == '0') {
    spec.fill = "0";
    if (!align_given) spec.align = '=';
    ++pos;
  }
  spec.width = consume_digits(s, pos);
  if (pos < s.size() && s[pos] == ',') {
    spec.thousands = ',';
    ++pos;
  }
  if (pos < s.size() && s[pos] == '_') {
    if (spec.thousands != '\0') raise_value("Cannot specify both ',' and '_'.");
    spec.thousands = '_';
    ++pos;
  }
  if (pos < s.size() && s[pos] == ',' && spec.thousands == '_') raise_value("Cannot specify both ',' and '_'.");
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    spec.precision = consume_digits(s, pos);
    if (spec.precision < 0) raise_value("Format specifier missing precision");
  }
  if (pos < s.size()) {
    std::size_t end = pos;
    const char32_t type = next_code_point(s, end);
    if (end != s.size())
      raise_value(cat("Invalid format specifier '", s, "' for object of type '", type_name, "'"));
    spec.type = type;
  }
  if (spec.thousands != '\0') {
    switch (spec.type) {
      case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case '\0':
        break;
      case 'b': case 'o': case 'x': case 'X':
        if (spec.thousands == '_') break;
        [[fallthrough]];
      default:
        raise_value(cat("Cannot specify '", spec.thousands, "' with '", char_for_message(spec.type), "'."));
    }
  }
  return spec;
}

// Formatting of absurd sizes would exhaust the page's memory; Python would try anyway.
constexpr std::int64_t kMaxFormatSize = 10'000'000;

// Integer digits with separators every three, zero-padded (digits and separators) to min_len.
std::string group_digits(const std::string& digits, char sep, std::size_t min_len) {
  std::string rev;  // built from the right
  std::size_t i = digits.size();
  std::size_t in_group = 0;
  while (i > 0 || rev.size() < min_len || rev.empty()) {
    if (in_group == 3) {
      rev += sep;  // a separator is always followed by a digit (or a padding zero)
      in_group = 0;
    }
    rev += i > 0 ? digits[--i] : '0';
    ++in_group;
  }
  return std::string(rev.rbegin(), rev.rend());
}

}  // namespace

std::string python_format_float(double v, std::string_view spec_text) {
  const Spec spec = parse_spec(spec_text, "float");
  const char32_t code = spec.type;
  const char type = code < 128 ? static_cast<char>(code) : '?';
  switch (code) {
    case '\0': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
      break;
    default:
      raise_value(cat("Unknown format code '", char_for_message(code), "' for object of type 'float'"));
  }
  if (spec.width > kMaxFormatSize || spec.precision > kMaxFormatSize)
    raise_not_implemented("Logit Lab does not format numbers wider than 10000000 characters");

  const bool upper = type == 'E' || type == 'F' || type == 'G';
  char mode;
  int precision = static_cast<int>(spec.precision);
  bool add_dot0 = false;
  std::string suffix;
  if (type == '\0') {
    add_dot0 = true;
    mode = precision < 0 ? 'r' : 'g';
  } else {
    mode = static_cast<char>(std::tolower(static_cast<unsigned char>(type == 'n' ? 'g' : type)));
    if (precision < 0) precision = 6;
  }
  if (type == '%') {
    v *= 100.0;
    mode = 'f';
    suffix = "%";
  }

  const bool finite = std::isfinite(v);
  bool negative = !std::isnan(v) && std::signbit(v);
  std::string body;
  if (std::isnan(v)) {
    body = "nan";
  } else if (std::isinf(v)) {
    body = "inf";
  } else {
    body = render_abs(std::fabs(v), mode, precision, spec.alt, add_dot0);
    if (negative && spec.no_neg_0) {
      // 'z': a value that rounds to zero loses its minus sign.
      const std::size_t mantissa_end = std::min(body.find('e'), body.size());
      const bool rounds_to_zero = body.find_first_not_of("0.") >= mantissa_end;
      if (rounds_to_zero) negative = false;
    }
  }
  if (upper)
    for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  body += suffix;

  std::string sign_str;
  if (negative)
    sign_str = "-";
  else if (spec.sign == '+')
    sign_str = "+";
  else if (spec.sign == ' ')
    sign_str = " ";

  const std::size_t width = spec.width < 0 ? 0 : static_cast<std::size_t>(spec.width);
  const char align = spec.align == '\0' ? '>' : spec.align;

  if (finite) {
    // Split into integer digits and the rest (".5", "e+16", "%") for grouping and zero padding.
    const std::size_t int_end = std::min(body.find_first_not_of("0123456789"), body.size());
    std::string int_digits = body.substr(0, int_end);
    const std::string rest = body.substr(int_end);
    if (spec.fill == "0" && align == '=') {
      const std::size_t fixed_len = sign_str.size() + rest.size();
      const std::size_t min_len = width > fixed_len ? width - fixed_len : 0;
      if (spec.thousands != '\0') {
        int_digits = group_digits(int_digits, spec.thousands, min_len);
      } else if (int_digits.size() < min_len) {
        int_digits.insert(0, min_len - int_digits.size(), '0');
      }
      return sign_str + int_digits + rest;
    }
    if (spec.thousands != '\0') int_digits = group_digits(int_digits, spec.thousands, 0);
    body = int_digits + rest;
  }

  const std::size_t len = sign_str.size() + body.size();
  if (len >= width) return sign_str + body;
  const std::size_t pad = width - len;
  auto fill = [&](std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += spec.fill;
    return out;
  };
  switch (align) {
    case '<': return sign_str + body + fill(pad);
    case '^': return fill(pad / 2) + sign_str + body + fill(pad - pad / 2);
    case '=': return sign_str + fill(pad) + body;
    default: return fill(pad) + sign_str + body;
  }
}

std::string python_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  std::string body = render_abs(std::fabs(v), 'r', 0, false, true);
  return std::signbit(v) ? "-" + body : body;
}

// ---------------------------------------------------------------------------------------------
// repr(str)
// ---------------------------------------------------------------------------------------------

namespace {

// Decodes one code point at i (advancing i). Invalid bytes decode as U+DC80..U+DCFF, the way
// Python's surrogateescape handler represents undecodable bytes.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto invalid = [&] {
    ++i;
    return static_cast<char32_t>(0xDC00 + b0);
  };
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  const std::size_t len = utf8_length(b0);
  if (len == 1 || i + len > s.size()) return invalid();
  char32_t cp = b0 & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return invalid();
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and out-of-range values are not valid UTF-8.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return invalid();
  i += len;
  return cp;
}

// Python's str.isprintable() for a non-ASCII code point (table generated from Python 3.11).
bool is_printable_non_ascii(char32_t c) {
  struct Range {
    char32_t lo, hi;
  };
  static constexpr Range kHidden[] = {
#include "printable_ranges.inc"
  };
  const Range* end = std::end(kHidden);
  const Range* it = std::upper_bound(std::begin(kHidden), end, c,
                                     [](char32_t v, const Range& r) { return v < r.lo; });
  return it == std::begin(kHidden) || c > (it - 1)->hi;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

void append_hex_escape(std::string& out, char32_t c) {
  static const char* hex = "0123456789abcdef";
  int digits;
  if (c < 0x100) {
    out += "\\x";
    digits = 2;
  } else if (c < 0x10000) {
    out += "\\u";
    digits = 4;
  } else {
    out += "\\U";
    digits = 8;
  }
  for (int k = digits - 1; k >= 0; --k) out += hex[(c >> (4 * k)) & 15];
}

}  // namespace

std::string python_str_repr(std::string_view s) {
  std::vector<char32_t> cps;
  cps.reserve(s.size());
  bool has_single = false;
  bool has_double = false;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = next_code_point(s, i);
    has_single |= c == U'\'';
    has_double |= c == U'"';
    cps.push_back(c);
  }
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  for (char32_t c : cps) {
    if (c == static_cast<char32_t>(quote) || c == U'\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == U'\t') {
      out += "\\t";
    } else if (c == U'\n') {
      out += "\\n";
    } else if (c == U'\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      append_hex_escape(out, c);
    } else if (c < 0x80 || is_printable_non_ascii(c)) {
      append_utf8(out, c);
    } else {
      append_hex_escape(out, c);
    }
  }
  out += quote;
  return out;
}

std::string size_repr(const Shape& shape) { return "torch.Size(" + shape_str(shape) + ")"; }

// ---------------------------------------------------------------------------------------------
// Tensor printing: torch/_tensor_str.py with precision 4, threshold 1000, edgeitems 3,
// linewidth 80, sci_mode None.
// ---------------------------------------------------------------------------------------------

namespace {

constexpr int kPrecision = 4;
constexpr std::int64_t kThreshold = 1000;
constexpr std::int64_t kEdgeItems = 3;
constexpr std::int64_t kLineWidth = 80;

// Python's str(tuple(shape)): "(0, 3)", "(0,)".
std::string shape_tuple_str(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) s += ',';
  return s + ")";
}

// _Formatter for floating dtypes, decided over the (summarised) values it is shown.
struct FloatMode {
  bool int_mode = true;
  bool sci = false;
};

FloatMode choose_float_mode(const std::vector<double>& values) {
  FloatMode m;
  bool any = false;
  double lo = 0.0;
  double hi = 0.0;
  // Only nonzero finite values count; they are compared as float64 (float32 widened exactly,
  // so float32 0.0001 is 9.99999974738e-05 < 1e-4 and prints in scientific notation).
  for (double v : values) {
    if (!std::isfinite(v) || v == 0.0) continue;
    const double a = std::fabs(v);
    lo = any ? std::min(lo, a) : a;
    hi = any ? std::max(hi, a) : a;
    any = true;
    if (v != std::ceil(v)) m.int_mode = false;
  }
  if (!any) return m;  // all zeros / nan / inf: integer-style ("0.", "nan")
  const double ratio = hi / lo;
  if (m.int_mode)
    m.sci = ratio > 1000.0 || hi > 1.0e8;
  else
    m.sci = ratio > 1000.0 || hi > 1.0e8 || lo < 1.0e-4;
  return m;
}

// One element, before right-alignment to the common width.
std::string float_element(double v, const FloatMode& m) {
  if (std::isnan(v)) return "nan";  // Python never shows a sign on nan
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  if (m.sci) return sci_str(v, kPrecision);
  if (m.int_mode) return fixed_str(v, 0) + ".";
  return fixed_str(v, kPrecision);
}

struct Layout {
  const Shape& shape;
  const std::vector<std::vector<std::int64_t>>& picked;  // shown indices per dim
  const std::vector<bool>& summarised;                  // per dim: "..." after the edge items
  const std::vector<std::string>& cells;                // shown elements, padded, row-major
  std::size_t width;
};

// _vector_str: one row, wrapped to the line width.
std::string vector_str(const Layout& L, std::size_t d, std::size_t& pos, std::int64_t indent) {
  const auto element_length = static_cast<std::int64_t>(L.width) + 2;
  const std::int64_t room = kLineWidth - indent;
  // floor division, as Python's math.floor of the true quotient
  std::int64_t per_line = room >= 0 ? room / element_length : -((-room + element_length - 1) / element_length);
  per_line = std::max<std::int64_t>(1, per_line);

  std::vector<const std::string*> items;
  static const std::string kEllipsis = " ...";
  const std::size_t count = L.picked[d].size();
  for (std::size_t i = 0; i < count; ++i) {
    if (L.summarised[d] && i == static_cast<std::size_t>(kEdgeItems)) items.push_back(&kEllipsis);
    items.push_back(&L.cells[pos++]);
  }
  std::string out = "[";
  const std::string line_break = ",\n" + std::string(static_cast<std::size_t>(indent + 1), ' ');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (static_cast<std::int64_t>(i) % per_line == 0) ? line_break : ", ";
    out += *items[i];
  }
  return out + "]";
}

// _tensor_str_with_formatter for dims d.. (ndim - d >= 1).
std::string block_str(const Layout& L, std::size_t d, std::size_t& pos, std::int64_t indent) {
  const std::size_t ndim = L.shape.size();
  if (d + 1 == ndim) return vector_str(L, d, pos, indent);
  std::vector<std::string> slices;
  const std::size_t count = L.picked[d].size();
  for (std::size_t i = 0; i < count; ++i) {
    if (L.summarised[d] && i == static_cast<std::size_t>(kEdgeItems)) slices.emplace_back("...");
    slices.push_back(block_str(L, d + 1, pos, indent + 1));
  }
  const std::string sep =
      "," + std::string(ndim - d - 1, '\n') + std::string(static_cast<std::size_t>(indent + 1), ' ');
  std::string out = "[";
  for (std::size_t i = 0; i < slices.size(); ++i) {
    if (i > 0) out += sep;
    out += slices[i];
  }
  return out + "]";
}

// The tensor body (everything between "tensor(" and the suffixes) of a non-empty tensor.
std::string tensor_body(const Tensor& t, std::int64_t indent) {
  const Shape& shape = t.shape();
  const std::size_t ndim = shape.size();
  const bool summarize = t.numel() > kThreshold;

  // Which index of every dim is shown: all, or the edge items when summarised (the same rule
  // get_summarized_data applies, and the only elements the formatter ever looks at).
  std::vector<std::vector<std::int64_t>> picked(ndim);
  std::vector<bool> summarised(ndim, false);
  std::size_t shown = 1;
  for (std::size_t d = 0; d < ndim; ++d) {
    const std::int64_t n = shape[d];
    if (summarize && n > 2 * kEdgeItems) {
      summarised[d] = true;
      for (std::int64_t i = 0; i < kEdgeItems; ++i) picked[d].push_back(i);
      for (std::int64_t i = n - kEdgeItems; i < n; ++i) picked[d].push_back(i);
    } else {
      for (std::int64_t i = 0; i < n; ++i) picked[d].push_back(i);
    }
    shown *= picked[d].size();
  }

  // Storage offsets of the shown elements, row-major.
  std::vector<std::int64_t> offsets;
  offsets.reserve(shown);
  {
    std::vector<std::size_t> idx(ndim, 0);
    const Strides& st = t.strides();
    for (std::size_t k = 0; k < shown; ++k) {
      std::int64_t off = t.offset();
      for (std::size_t d = 0; d < ndim; ++d) off += picked[d][idx[d]] * st[d];
      offsets.push_back(off);
      for (std::size_t d = ndim; d-- > 0;) {
        if (++idx[d] < picked[d].size()) break;
        idx[d] = 0;
      }
    }
  }

  std::vector<std::string> cells;
  cells.reserve(shown);
  std::size_t width = 1;
  if (is_floating(t.dtype())) {
    std::vector<double> values;
    values.reserve(shown);
    dispatch(t.dtype(), [&]<class T>() {
      const T* base = t.storage_base<T>();
      for (std::int64_t off : offsets) values.push_back(static_cast<double>(base[off]));
    });
    const FloatMode mode = choose_float_mode(values);
    for (double v : values) {
      cells.push_back(float_element(v, mode));
      if (std::isfinite(v) && v != 0.0) width = std::max(width, cells.back().size());
    }
  } else {
    dispatch(t.dtype(), [&]<class T>() {
      const T* base = t.storage_base<T>();
      for (std::int64_t off : offsets) {
        if constexpr (std::is_same_v<T, bool>)
          cells.emplace_back(base[off] ? "True" : "False");
        else
          cells.push_back(std::to_string(static_cast<std::int64_t>(base[off])));
        width = std::max(width, cells.back().size());
      }
    });
  }
  for (std::string& c : cells)
    if (c.size() < width) c.insert(0, width - c.size(), ' ');

  if (ndim == 0) return cells[0];
  const Layout layout{shape, picked, summarised, cells, width};
  std::size_t pos = 0;
  return block_str(layout, 0, pos, indent);
}

// _add_suffixes (force_newline false: dense tensors only).
std::string add_suffixes(std::string s, const std::vector<std::string>& suffixes, std::int64_t indent) {
  // PyTorch measures the last line as len(s) - s.rfind("\n") + 1, i.e. two more than its
  // real length (also when there is no newline: rfind gives -1).
  const std::size_t nl = s.rfind('\n');
  std::int64_t last_line_len =
      static_cast<std::int64_t>(s.size()) - (nl == std::string::npos ? -1 : static_cast<std::int64_t>(nl)) + 1;
  for (const std::string& suffix : suffixes) {
    const auto suffix_len = static_cast<std::int64_t>(suffix.size());
    if (last_line_len + suffix_len + 2 > kLineWidth) {
      s += ",\n" + std::string(static_cast<std::size_t>(indent), ' ') + suffix;
      last_line_len = indent + suffix_len;
    } else {
      s += ", " + suffix;
      last_line_len += suffix_len + 2;
    }
  }
  return s + ")";
}

}  // namespace

std::string tensor_repr(const Tensor& t, const std::string& grad_suffix) {
  if (!t.defined() || t.is_meta())
    throw std::logic_error("tensor_repr: a meta or undefined tensor has no values to print");
  const std::string prefix = "tensor(";
  const auto indent = static_cast<std::int64_t>(prefix.size());
  std::vector<std::string> suffixes;
  std::string body;
  if (t.numel() == 0) {
    // Like NumPy: the shape unless it is (0,); the dtype unless it is the default float32
    // (nothing else tells an empty int64 tensor from a float one).
    if (t.dim() != 1) suffixes.push_back("size=" + shape_tuple_str(t.shape()));
    if (t.dtype() != DType::Float32) suffixes.push_back("dtype=" + torch_dtype_repr(t.dtype()));
    body = "[]";
  } else {
    const DType d = t.dtype();
    if (d != DType::Float32 && d != DType::Int64 && d != DType::Bool)
      suffixes.push_back("dtype=" + torch_dtype_repr(d));
    body = tensor_body(t, indent);
  }
  if (!grad_suffix.empty()) suffixes.push_back(grad_suffix);
  return add_suffixes(prefix + body, suffixes, indent);
}

}  // namespace logitlab
