// Row max, scalar reference (NaN-propagating, like PyTorch's vec::maximum).
#include "scalar_impl.hpp"

namespace logitlab::kernels {

float f32_rmax__scalar(std::size_t n, const float* x) { return scalar::row_max(x, n); }

}  // namespace logitlab::kernels
