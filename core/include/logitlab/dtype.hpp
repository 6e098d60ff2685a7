#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace logitlab {

enum class DType { Float32, Float64, Int64, Int32, Bool };

// Protocol name: "float32", "int64", ...
std::string_view dtype_name(DType d);
std::optional<DType> dtype_from_name(std::string_view name);
// PyTorch's ScalarType name used in messages: "Float", "Double", "Long", "Int", "Bool".
std::string_view scalar_type_name(DType d);
// "torch.float32", ...
std::string torch_dtype_repr(DType d);
// The legacy type name used by a few messages: "torch.FloatTensor".
std::string legacy_tensor_type(DType d);

inline bool is_floating(DType d) { return d == DType::Float32 || d == DType::Float64; }
inline bool is_integral(DType d, bool include_bool) {
  return d == DType::Int64 || d == DType::Int32 || (include_bool && d == DType::Bool);
}
std::size_t element_size(DType d);

// torch.result_type for two tensors of the same category rules (no scalars involved).
DType promote_types(DType a, DType b);

// Calls f.template operator()<T>() with T the C++ type of d.
template <class F>
decltype(auto) dispatch(DType d, F&& f) {
  switch (d) {
    case DType::Float32: return f.template operator()<float>();
    case DType::Float64: return f.template operator()<double>();
    case DType::Int64: return f.template operator()<std::int64_t>();
    case DType::Int32: return f.template operator()<std::int32_t>();
    case DType::Bool: return f.template operator()<bool>();
  }
  return f.template operator()<float>();
}

template <class T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::Float32; }
template <> constexpr DType dtype_of<double>() { return DType::Float64; }
template <> constexpr DType dtype_of<std::int64_t>() { return DType::Int64; }
template <> constexpr DType dtype_of<std::int32_t>() { return DType::Int32; }
template <> constexpr DType dtype_of<bool>() { return DType::Bool; }

}  // namespace logitlab
