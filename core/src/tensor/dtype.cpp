#include "logitlab/dtype.hpp"

namespace logitlab {

std::string_view dtype_name(DType d) {
  switch (d) {
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Int64: return "int64";
    case DType::Int32: return "int32";
    case DType::Bool: return "bool";
  }
  return "float32";
}

std::optional<DType> dtype_from_name(std::string_view name) {
  for (DType d : {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool})
    if (dtype_name(d) == name) return d;
  return std::nullopt;
}

std::string_view scalar_type_name(DType d) {
  switch (d) {
    case DType::Float32: return "Float";
    case DType::Float64: return "Double";
    case DType::Int64: return "Long";
    case DType::Int32: return "Int";
    case DType::Bool: return "Bool";
  }
  return "Float";
}

std::string torch_dtype_repr(DType d) { return "torch." + std::string(dtype_name(d)); }

std::string legacy_tensor_type(DType d) {
  return "torch." + std::string(scalar_type_name(d)) + "Tensor";
}

std::size_t element_size(DType d) {
  switch (d) {
    case DType::Float32: return 4;
    case DType::Float64: return 8;
    case DType::Int64: return 8;
    case DType::Int32: return 4;
    case DType::Bool: return 1;
  }
  return 4;
}

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  // Category order bool < integral < floating; within a category the wider type wins.
  auto rank = [](DType d) {
    switch (d) {
      case DType::Bool: return 0;
      case DType::Int32: return 1;
      case DType::Int64: return 2;
      case DType::Float32: return 3;
      case DType::Float64: return 4;
    }
    return 0;
  };
  return rank(a) > rank(b) ? a : b;
}

}  // namespace logitlab
