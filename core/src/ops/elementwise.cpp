#include "logitlab/ops/elementwise.hpp"

#include <cmath>

#include "logitlab/error.hpp"

namespace logitlab::ops {
namespace {
std::int64_t g_budget = std::int64_t{64} << 20;


bool is_comparison(BinaryOp op) {
  return op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Lt || op == BinaryOp::Le ||
         op == BinaryOp::Gt || op == BinaryOp::Ge;
}

template <class T>
T floor_div(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (b == 0) return a / b;
    T mod = std::fmod(a, b);
    T div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1;
    T floordiv;
    if (div != 0) {
      floordiv = std::floor(div);
      if (div - floordiv > T(0.5)) floordiv += 1;
    } else {
      floordiv = std::copysign(T(0), a / b);
    }
    return floordiv;
  } else {
    T q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
  }
}

template <class T>
T py_mod(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    T r = std::fmod(a, b);
    if (r != 0 && ((b < 0) != (r < 0))) r += b;
    return r;
  } else {
    T r = a % b;
    if (r != 0 && ((b < 0) != (r < 0))) r += b;
    return r;
  }
}

template <class T>
T int_pow(T base, T exp) {
  T result = 1;
  while (exp) {
    if (exp & 1) result = static_cast<T>(result * base);
    exp >>= 1;
    base = static_cast<T>(base * base);
  }
  return result;
}

template <class T>
T apply(BinaryOp op, T a, T b) {
  switch (op) {
    case BinaryOp::Add:
      if constexpr (std::is_same_v<T, bool>) return a || b; else return static_cast<T>(a + b);
    case BinaryOp::Sub: return static_cast<T>(a - b);
    case BinaryOp::Mul:
      if constexpr (std::is_same_v<T, bool>) return a && b; else return static_cast<T>(a * b);
    case BinaryOp::Div: return static_cast<T>(a / b);
    case BinaryOp::FloorDiv:
      if constexpr (std::is_same_v<T, bool>) return a; else return floor_div(a, b);
    case BinaryOp::Mod:
      if constexpr (std::is_same_v<T, bool>) return false; else return py_mod(a, b);
    case BinaryOp::Pow:
      if constexpr (std::is_floating_point_v<T>) return std::pow(a, b);
      else if constexpr (std::is_same_v<T, bool>) return a || !b;
      else return int_pow(a, b);
    case BinaryOp::And:
      if constexpr (std::is_floating_point_v<T>) return 0; else return static_cast<T>(a & b);
    case BinaryOp::Or:
      if constexpr (std::is_floating_point_v<T>) return 0; else return static_cast<T>(a | b);
    case BinaryOp::Xor:
      if constexpr (std::is_floating_point_v<T>) return 0; else return static_cast<T>(a ^ b);
    case BinaryOp::Maximum:
      if constexpr (std::is_floating_point_v<T>) if (std::isnan(a) || std::isnan(b)) return a + b;
      return a > b ? a : b;
    case BinaryOp::Minimum:
      if constexpr (std::is_floating_point_v<T>) if (std::isnan(a) || std::isnan(b)) return a + b;
      return a < b ? a : b;
    default: return a;
  }
}

template <class T>
bool compare(BinaryOp op, T a, T b) {
  switch (op) {
    case BinaryOp::Eq: return a == b;
    case BinaryOp::Ne: return a != b;
    case BinaryOp::Lt: return a < b;
    case BinaryOp::Le: return a <= b;
    case BinaryOp::Gt: return a > b;
    case BinaryOp::Ge: return a >= b;
    default: return false;
  }
}

const char* bitwise_kernel(BinaryOp op) {
  return op == BinaryOp::And ? "bitwise_and_cpu" : op == BinaryOp::Or ? "bitwise_or_cpu" : "bitwise_xor_cpu";
}

}  // namespace

std::int64_t element_budget() { return g_budget; }
void set_element_budget(std::int64_t n) { g_budget = n; }
bool result_is_meta(const Shape& shape, bool any_input_meta) {
  if (any_input_meta) return true;
  std::int64_t n = 1;
  for (auto s : shape) {
    if (s == 0) return false;
    if (s > g_budget || n > g_budget / std::max<std::int64_t>(s, 1)) return true;
    n *= s;
  }
  return n > g_budget;
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  const std::size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (std::size_t i = n; i-- > 0;) {
    const std::int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const std::int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      raise_runtime(cat("The size of tensor a (", da, ") must match the size of tensor b (", db,
                        ") at non-singleton dimension ", i));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

DType result_type(const Operand& a, const Operand& b) {
  // at::native::result_type: dimensioned tensors, then 0-d tensors, then wrapped numbers; a
  // lower group only matters when it has a higher category.
  std::optional<DType> dim_r, zero_r, wrapped_r;
  auto update = [](std::optional<DType>& r, DType d) { r = r ? promote_types(*r, d) : d; };
  for (const Operand* o : {&a, &b}) {
    DType d = o->t.dtype();
    if (o->wrapped) update(wrapped_r, is_floating(d) ? DType::Float32 : d);
    else if (o->t.dim() == 0) update(zero_r, d);
    else update(dim_r, d);
  }
  auto combine = [](std::optional<DType> higher, std::optional<DType> lower) -> std::optional<DType> {
    if (!higher) return lower;
    if (!lower) return higher;
    if (is_floating(*higher)) return higher;
    if (*higher == DType::Bool || is_floating(*lower)) return promote_types(*higher, *lower);
    return higher;
  };
  return *combine(dim_r, combine(zero_r, wrapped_r));
}

Tensor materialize(const Tensor& t, const Shape& shape, DType dtype) {
  Tensor e = t.shape() == shape ? t : t.expand(shape);
  Tensor c = e.to(dtype);
  return c.contiguous();
}

Tensor binary(BinaryOp op, const Operand& a, const Operand& b) {
  const Shape shape = broadcast_shapes(a.t.shape(), b.t.shape());
  DType common = result_type(a, b);
  DType out_dtype = common;
  if (op == BinaryOp::Div && !is_floating(common)) common = out_dtype = DType::Float32;
  if (is_comparison(op)) out_dtype = DType::Bool;
  if ((op == BinaryOp::And || op == BinaryOp::Or || op == BinaryOp::Xor) && is_floating(common))
    raise_runtime(cat("\"", bitwise_kernel(op), "\" not implemented for '", scalar_type_name(common), "'"));
  if (op == BinaryOp::Sub && (a.t.dtype() == DType::Bool && b.t.dtype() == DType::Bool))
    raise_runtime(
        "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
        "`logical_xor()` operator instead.");
  if (op == BinaryOp::Sub && (a.t.dtype() == DType::Bool || b.t.dtype() == DType::Bool))
    raise_runtime(
        "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
        "invert a mask, use the `~` or `logical_not()` operator instead.");
  const bool meta = result_is_meta(shape, a.t.is_meta() || b.t.is_meta());
  if (!meta && (op == BinaryOp::FloorDiv || op == BinaryOp::Mod) && is_integral(common, false)) {
    const Tensor bb = b.t.to(DType::Int64);
    for (std::int64_t i = 0; i < bb.numel(); ++i)
      if (bb.item_as_int(i) == 0) raise_runtime("ZeroDivisionError");
  }
  if (!meta && op == BinaryOp::Pow && is_integral(common, false)) {
    const Tensor bb = b.t.to(DType::Int64);
    for (std::int64_t i = 0; i < bb.numel(); ++i)
      if (bb.item_as_int(i) < 0) raise_runtime("Integers to negative integer powers are not allowed.");
  }
  Tensor out = Tensor::empty(out_dtype, shape, meta);
  if (meta) return out;
  const Tensor x = materialize(a.t, shape, common);
  const Tensor y = materialize(b.t, shape, common);
  const std::int64_t n = out.numel();
  dispatch(common, [&]<class T>() {
    const T* px = x.data<T>();
    const T* py = y.data<T>();
    if (is_comparison(op)) {
      bool* po = out.data<bool>();
      for (std::int64_t i = 0; i < n; ++i) po[i] = compare(op, px[i], py[i]);
    } else {
      T* po = out.data<T>();
      for (std::int64_t i = 0; i < n; ++i) po[i] = apply(op, px[i], py[i]);
    }
  });
  return out;
}

Tensor unary(UnaryOp op, const Tensor& t) {
  if (op == UnaryOp::Neg && t.dtype() == DType::Bool)
    raise_runtime(
        "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert "
        "a mask, use the `~` or `logical_not()` operator instead.");
  if (op == UnaryOp::Invert && is_floating(t.dtype()))
    raise_runtime(cat("\"bitwise_not_cpu\" not implemented for '", scalar_type_name(t.dtype()), "'"));
  Tensor out = Tensor::empty(t.dtype(), t.shape(), t.is_meta());
  if (t.is_meta()) return out;
  const Tensor x = t.contiguous();
  dispatch(t.dtype(), [&]<class T>() {
    const T* px = x.data<T>();
    T* po = out.data<T>();
    for (std::int64_t i = 0; i < out.numel(); ++i) {
      if constexpr (std::is_same_v<T, bool>) po[i] = op == UnaryOp::Invert ? !px[i] : px[i];
      else if constexpr (std::is_floating_point_v<T>) po[i] = op == UnaryOp::Neg ? -px[i] : std::fabs(px[i]);
      else po[i] = op == UnaryOp::Neg ? static_cast<T>(-px[i]) : op == UnaryOp::Abs ? (px[i] < 0 ? static_cast<T>(-px[i]) : px[i]) : static_cast<T>(~px[i]);
    }
  });
  return out;
}

}  // namespace logitlab::ops
