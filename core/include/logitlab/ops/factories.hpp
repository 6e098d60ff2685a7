#pragma once
// Tensor factories. Each checks its arguments first; a result past the element budget
// (ops::element_budget) is a meta tensor, so no factory ever allocates more than the budget.
#include <cstdint>
#include <random>

#include "logitlab/tensor.hpp"

namespace logitlab::ops {

// "Trying to create tensor with negative dimension -1: [-1]".
void check_size(const Shape& shape);
Tensor full(const Shape& shape, double value, DType dtype);
Tensor arange(double start, double end, double step, DType dtype);
// Deterministic given the generator (values need not equal PyTorch's).
Tensor randn(const Shape& shape, DType dtype, std::mt19937_64& rng);
Tensor rand(const Shape& shape, DType dtype, std::mt19937_64& rng);
Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, DType dtype, std::mt19937_64& rng);
Tensor randperm(std::int64_t n, DType dtype, std::mt19937_64& rng);

}  // namespace logitlab::ops
