#pragma once
// Indexing: index_select, advanced indexing with long/bool index tensors, one_hot.
#include <optional>
#include <vector>

#include "logitlab/tensor.hpp"

namespace logitlab::ops {

Tensor index_select(const Tensor& t, std::int64_t dim, const Tensor& index);

// t[i0, i1, ...] where each entry is an index tensor (long/bool) or nullopt for a full slice ":".
// Basic indexing (ints, slices, None, ...) is done by the caller as views; this is the copy part.
Tensor advanced_index(const Tensor& t, const std::vector<std::optional<Tensor>>& indices);

Tensor one_hot(const Tensor& t, std::int64_t num_classes);

}  // namespace logitlab::ops
