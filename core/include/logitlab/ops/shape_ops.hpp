#pragma once
// Shape ops beyond the views on Tensor: reshape/view with -1 inference and PyTorch's messages,
// flatten, repeat, cat, stack, matmul.
#include <vector>

#include "logitlab/tensor.hpp"

namespace logitlab::ops {

// at::infer_size: resolves one -1; "shape '[2, 384]' is invalid for input of size 864" etc.
Shape infer_size(const Shape& shape, std::int64_t numel);
Tensor reshape(const Tensor& t, const Shape& shape);
Tensor view(const Tensor& t, const Shape& shape);
Tensor flatten(const Tensor& t, std::int64_t start_dim, std::int64_t end_dim);
Tensor repeat(const Tensor& t, const Shape& repeats);
Tensor concatenate(const std::vector<Tensor>& tensors, std::int64_t dim);
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim);
Tensor matmul(const Tensor& a, const Tensor& b);
// t() on <= 2-D tensors: "t() expects a tensor with <= 2 dimensions, but self is 3D".
Tensor t2(const Tensor& t);

}  // namespace logitlab::ops
