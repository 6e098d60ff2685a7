#pragma once
// log_softmax, softmax, nll_loss and cross_entropy with PyTorch 1.13's semantics: the same
// checks in the same order with the same messages, the same reductions, and the gradient
// with respect to the input. Every check runs on meta tensors too (shapes first); checks that
// need values (target bounds) run only when data is present.
#include <cstdint>
#include <string>

#include "logitlab/tensor.hpp"

namespace logitlab {

enum class Reduction { None, Mean, Sum };

struct LossOptions {
  Tensor weight;  // undefined = no weight
  Reduction reduction = Reduction::Mean;
  std::int64_t ignore_index = -100;
  double label_smoothing = 0.0;
};

Tensor log_softmax(const Tensor& input, std::int64_t dim);
Tensor softmax(const Tensor& input, std::int64_t dim);

// at::nll_loss_nd: input (C), (N, C) or (N, C, d1, ..., dk) of log-probabilities.
Tensor nll_loss(const Tensor& input, const Tensor& target, const LossOptions& options);
// at::cross_entropy_loss (label_smoothing used; class-index or class-probability targets).
Tensor cross_entropy(const Tensor& input, const Tensor& target, const LossOptions& options);

// Gradients with respect to `input` of sum(output * grad_output), for the same arguments
// that produced `output`. grad_output has the output's shape.
Tensor log_softmax_backward(const Tensor& grad_output, const Tensor& input, std::int64_t dim);
Tensor softmax_backward(const Tensor& grad_output, const Tensor& input, std::int64_t dim);
Tensor nll_loss_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                         const LossOptions& options);
Tensor cross_entropy_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                              const LossOptions& options);

// A training step's cross-entropy: the loss and its gradient with respect to `input` (for a
// grad_output of ones), what cross_entropy and cross_entropy_backward give, in one pass over
// the exps for class-index targets (the fused kernels' forward stores them, the backward scales
// them in place).
struct LossWithGrad {
  Tensor loss;
  Tensor grad;
};
LossWithGrad cross_entropy_with_grad(const Tensor& input, const Tensor& target, const LossOptions& options);

}  // namespace logitlab
