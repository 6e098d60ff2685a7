#pragma once
// Softmax microkernels. One signature per operation; the scalar variant is the reference
// every SIMD variant is tested against (see core/src/kernels/).
//
// Layout: `outer` blocks of `classes` x `inner` elements, contiguous (a tensor viewed as
// [outer, classes, inner] with the softmax taken over `classes`). inner == 1 is the common
// "class dim is last" case. NaN anywhere in a row makes the whole row NaN, as in PyTorch.
#include <cstddef>

namespace logitlab::kernels {

void f32_log_softmax__scalar(const float* in, float* out, std::size_t outer, std::size_t classes,
                             std::size_t inner);
void f64_log_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes,
                             std::size_t inner);
void f32_softmax__scalar(const float* in, float* out, std::size_t outer, std::size_t classes,
                         std::size_t inner);
void f64_softmax__scalar(const double* in, double* out, std::size_t outer, std::size_t classes,
                         std::size_t inner);

}  // namespace logitlab::kernels
