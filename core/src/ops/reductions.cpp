#include "logitlab/ops/reductions.hpp"

#include <cmath>

#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"

namespace logitlab::ops {
namespace {

struct Plan {
  Shape out_shape;      // with keepdim applied
  Shape kept_shape;     // reduced dims set to 1
  std::vector<bool> reduced;
};

Plan plan(const Tensor& t, const std::vector<std::int64_t>& dims, bool keepdim) {
  Plan p;
  p.reduced.assign(static_cast<std::size_t>(t.dim()), dims.empty());
  for (auto d : dims) {
    const auto w = static_cast<std::size_t>(wrap_dim(d, t.dim()));
    if (t.dim() == 0) continue;
    if (p.reduced[w] && !dims.empty())
      raise_runtime(cat("dim ", w, " appears multiple times in the list of dims"));
    p.reduced[w] = true;
  }
  for (std::size_t i = 0; i < p.reduced.size(); ++i) {
    const std::int64_t kept = p.reduced[i] ? 1 : t.shape()[i];
    p.kept_shape.push_back(kept);
    if (!p.reduced[i] || keepdim) p.out_shape.push_back(kept);
  }
  return p;
}

// Output flat index of each input element (row-major over t's logical layout).
template <class F>
void for_each_reduced(const Tensor& t, const Plan& p, F&& f) {
  const Strides out_strides = contiguous_strides(p.kept_shape);
  const auto nd = static_cast<std::size_t>(t.dim());
  std::vector<std::int64_t> idx(nd, 0);
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    std::int64_t o = 0;
    for (std::size_t k = 0; k < nd; ++k)
      if (!p.reduced[k]) o += idx[k] * out_strides[k];
    f(i, o, idx);
    for (std::size_t k = nd; k-- > 0;) {
      if (++idx[k] < t.shape()[k]) break;
      idx[k] = 0;
    }
  }
}

Tensor reduce_sum(const Tensor& t, const std::vector<std::int64_t>& dims, bool keepdim, DType out_dtype, bool average) {
  const Plan p = plan(t, dims, keepdim);
  const bool meta = result_is_meta(p.out_shape, t.is_meta());
  Tensor out = Tensor::empty(out_dtype, p.out_shape, meta);
  if (meta) return out;
  const std::int64_t count = out.numel() ? t.numel() / std::max<std::int64_t>(out.numel(), 1) : 0;
  // Floating sums accumulate in the tensor's own precision, as PyTorch's kernels do.
  dispatch(out_dtype, [&]<class T>() {
    using Acc = std::conditional_t<std::is_floating_point_v<T>, T, std::int64_t>;
    std::vector<Acc> acc(static_cast<std::size_t>(out.numel()), Acc{});
    for_each_reduced(t, p, [&](std::int64_t i, std::int64_t o, const std::vector<std::int64_t>&) {
      if constexpr (std::is_floating_point_v<T>) acc[static_cast<std::size_t>(o)] += static_cast<T>(t.item_as_double(i));
      else acc[static_cast<std::size_t>(o)] += t.item_as_int(i);
    });
    T* po = out.data<T>();
    for (std::size_t i = 0; i < acc.size(); ++i) {
      if constexpr (std::is_floating_point_v<T>) po[i] = average ? acc[i] / static_cast<T>(count) : acc[i];
      else po[i] = static_cast<T>(acc[i]);
    }
  });
  return out;
}

void check_nonempty(const char* name, const Tensor& t, std::int64_t dim, bool index_error_for_all) {
  (void)index_error_for_all;
  if (t.dim() > 0 && t.shape()[static_cast<std::size_t>(dim)] == 0)
    raise_index(cat(name, "(): Expected reduction dim ", dim, " to have non-zero size."));
}

}  // namespace

Tensor sum(const Tensor& t, const std::vector<std::int64_t>& dims, bool keepdim, std::optional<DType> dtype) {
  const DType out = dtype ? *dtype : (is_floating(t.dtype()) ? t.dtype() : DType::Int64);
  return reduce_sum(t, dims, keepdim, out, false);
}

Tensor mean(const Tensor& t, const std::vector<std::int64_t>& dims, bool keepdim, std::optional<DType> dtype) {
  const DType out = dtype ? *dtype : t.dtype();
  if (!is_floating(out))
    raise_runtime(cat("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                      "complex dtype. Got: ", scalar_type_name(out)));
  return reduce_sum(t, dims, keepdim, out, true);
}

ValuesIndices max_dim(const Tensor& t, std::int64_t dim, bool keepdim, bool is_min) {
  const char* name = is_min ? "min" : "max";
  const std::int64_t d = wrap_dim(dim, t.dim());
  check_nonempty(name, t, d, true);
  const Plan p = plan(t, {dim}, keepdim);
  const bool meta = result_is_meta(p.out_shape, t.is_meta());
  ValuesIndices r{Tensor::empty(t.dtype(), p.out_shape, meta), Tensor::empty(DType::Int64, p.out_shape, meta)};
  if (meta) return r;
  std::vector<double> best(static_cast<std::size_t>(r.values.numel()));
  std::vector<std::int64_t> best_i(best.size(), -1);
  const auto du = static_cast<std::size_t>(t.dim() == 0 ? 0 : d);
  for_each_reduced(t, p, [&](std::int64_t i, std::int64_t o, const std::vector<std::int64_t>& idx) {
    const double v = t.item_as_double(i);
    auto& b = best[static_cast<std::size_t>(o)];
    auto& bi = best_i[static_cast<std::size_t>(o)];
    const std::int64_t pos = t.dim() == 0 ? 0 : idx[du];
    if (bi < 0 || (!std::isnan(b) && (std::isnan(v) || (is_min ? v < b : v > b)))) {
      b = v;
      bi = pos;
    }
  });
  dispatch(t.dtype(), [&]<class T>() {
    T* pv = r.values.data<T>();
    for (std::size_t i = 0; i < best.size(); ++i) pv[i] = static_cast<T>(best[i]);
  });
  std::int64_t* pi = r.indices.data<std::int64_t>();
  for (std::size_t i = 0; i < best.size(); ++i) pi[i] = best_i[i];
  return r;
}

Tensor argmax(const Tensor& t, std::optional<std::int64_t> dim, bool keepdim, bool is_min) {
  const char* name = is_min ? "argmin" : "argmax";
  if (t.dtype() == DType::Bool) raise_runtime(cat("\"", name, "_cpu\" not implemented for 'Bool'"));
  if (!dim) {
    if (t.numel() == 0)
      raise_index(cat(name, "(): Expected reduction dim to be specified for input.numel() == 0."));
    const Tensor flat = t.reshape({t.numel()});
    Tensor r = max_dim(flat, 0, false, is_min).indices;
    if (keepdim) r = r.reshape(Shape(static_cast<std::size_t>(t.dim()), 1));
    return r;
  }
  const std::int64_t d = wrap_dim(*dim, t.dim());
  check_nonempty(name, t, d, false);
  return max_dim(t, *dim, keepdim, is_min).indices;
}

Tensor max_all(const Tensor& t, bool is_min) {
  const char* name = is_min ? "min" : "max";
  if (t.numel() == 0)
    raise_runtime(cat(name, "(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                            "reduction dim with the 'dim' argument."));
  return max_dim(t.reshape({t.numel()}), 0, false, is_min).values;
}

}  // namespace logitlab::ops
