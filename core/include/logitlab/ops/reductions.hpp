#pragma once
// Reductions: sum, mean, argmax, max/min, with PyTorch's dim wrapping, empty-input checks and
// dtype rules. Meta inputs give meta results.
#include <optional>
#include <vector>

#include "logitlab/tensor.hpp"

namespace logitlab::ops {

// dims empty = all dims. Integral/bool inputs sum to int64.
Tensor sum(const Tensor& t, const std::vector<std::int64_t>& dims, bool keepdim, std::optional<DType> dtype);
// "mean(): could not infer output dtype. ..." for integral inputs.
Tensor mean(const Tensor& t, const std::vector<std::int64_t>& dims, bool keepdim, std::optional<DType> dtype);
Tensor argmax(const Tensor& t, std::optional<std::int64_t> dim, bool keepdim, bool is_min = false);
// Tensor.max() over all elements (0-d).
Tensor max_all(const Tensor& t, bool is_min = false);
struct ValuesIndices {
  Tensor values, indices;
};
ValuesIndices max_dim(const Tensor& t, std::int64_t dim, bool keepdim, bool is_min = false);

}  // namespace logitlab::ops
