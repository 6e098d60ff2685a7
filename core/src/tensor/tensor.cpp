#include "logitlab/tensor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>

#include "logitlab/error.hpp"

namespace logitlab {

namespace {
template <class T>
xt::xtensor<T, 1> make_buffer(std::int64_t n) {
  // Where size_t is 32 bits (wasm32), a count it cannot hold would wrap around into a smaller
  // buffer than the tensor believes it has: that is out of memory, never a short buffer.
  if (n < 0 || static_cast<std::uint64_t>(n) > std::numeric_limits<std::size_t>::max() / sizeof(T))
    throw std::bad_alloc();
  return xt::xtensor<T, 1>::from_shape({static_cast<std::size_t>(n)});
}
}  // namespace

Storage::Storage(DType dtype, std::int64_t numel, bool zero) : dtype_(dtype), numel_(numel) {
  dispatch(dtype, [&]<class T>() {
    auto buf = make_buffer<T>(numel);
    if (zero) std::fill(buf.begin(), buf.end(), T{});
    buf_ = std::move(buf);
  });
  live_elements_ += numel;  // after the allocation, which may throw
}

// Saturates at the largest int64 (a view such as expand(2**62, 4) can describe more elements than
// int64 counts): every budget compares against it, and no product overflows.
std::int64_t shape_numel(const Shape& shape) {
  std::int64_t n = 1;
  bool overflow = false;
  for (auto s : shape) {
    if (s == 0) return 0;
    overflow = overflow || __builtin_mul_overflow(n, s, &n);
  }
  return overflow ? std::numeric_limits<std::int64_t>::max() : n;
}

Strides contiguous_strides(const Shape& shape) {
  Strides st(shape.size());
  std::uint64_t acc = 1;  // wraps (as PyTorch's do) only for shapes with a 0, which hold nothing
  for (std::size_t i = shape.size(); i-- > 0;) {
    st[i] = static_cast<std::int64_t>(acc);
    acc *= static_cast<std::uint64_t>(std::max<std::int64_t>(shape[i], 1));
  }
  return st;
}

std::int64_t wrap_dim(std::int64_t d, std::int64_t ndim) {
  const std::int64_t n = std::max<std::int64_t>(ndim, 1);  // 0-d tensors wrap as if 1-d
  if (d < -n || d >= n)
    raise_index(cat("Dimension out of range (expected to be in range of [", -n, ", ", n - 1,
                    "], but got ", d, ")"));
  return d < 0 ? d + n : d;
}

Tensor Tensor::fresh(DType dtype, Shape shape, bool meta, bool zero) {
  // PyTorch refuses a tensor whose size in bytes int64 cannot hold, shape-only ones too.
  std::int64_t nbytes = static_cast<std::int64_t>(element_size(dtype));
  bool overflow = false;
  for (auto s : shape) overflow = overflow || __builtin_mul_overflow(nbytes, s, &nbytes);
  if (overflow) raise_runtime(cat("Storage size calculation overflowed with sizes=", ShapeStr{shape}));
  Tensor t;
  t.defined_ = true;
  t.dtype_ = dtype;
  t.strides_ = contiguous_strides(shape);
  t.shape_ = std::move(shape);
  t.numel_ = shape_numel(t.shape_);
  if (!meta) t.storage_ = std::make_shared<Storage>(dtype, t.numel(), zero);
  return t;
}

Tensor Tensor::empty(DType dtype, Shape shape, bool meta) { return fresh(dtype, std::move(shape), meta, true); }
Tensor Tensor::uninitialized(DType dtype, Shape shape) { return fresh(dtype, std::move(shape), false, false); }

Tensor Tensor::full(DType dtype, Shape shape, double value, bool meta) {
  Tensor t = fresh(dtype, std::move(shape), meta, /*zero=*/false);  // every element set below
  if (!meta)
    dispatch(dtype, [&]<class T>() { std::fill_n(t.data<T>(), t.numel(), static_cast<T>(value)); });
  return t;
}

Tensor Tensor::scalar(DType dtype, double value) { return full(dtype, {}, value); }

std::int64_t Tensor::size(std::int64_t d) const { return shape_[static_cast<std::size_t>(wrap_dim(d, dim()))]; }

bool Tensor::is_contiguous() const {
  std::int64_t expected = 1;
  for (std::size_t i = shape_.size(); i-- > 0;) {
    if (shape_[i] == 1) continue;
    if (shape_[i] == 0) return true;
    if (strides_[i] != expected) return false;
    expected *= shape_[i];
  }
  return true;
}

std::int64_t Tensor::storage_index(std::int64_t flat) const {
  std::int64_t off = offset_;
  for (std::size_t i = shape_.size(); i-- > 0;) {
    off += (flat % shape_[i]) * strides_[i];
    flat /= shape_[i];
  }
  return off;
}

double Tensor::item_as_double(std::int64_t flat) const {
  const std::int64_t off = storage_index(flat);
  return dispatch(dtype_, [&]<class T>() { return static_cast<double>(storage_base<T>()[off]); });
}

std::int64_t Tensor::item_as_int(std::int64_t flat) const {
  const std::int64_t off = storage_index(flat);
  return dispatch(dtype_, [&]<class T>() { return static_cast<std::int64_t>(storage_base<T>()[off]); });
}

Tensor Tensor::as_strided(Shape shape, Strides strides, std::int64_t offset) const {
  Tensor t = *this;
  t.grad_fn_.reset();  // views record no gradient history yet
  t.shape_ = std::move(shape);
  t.numel_ = shape_numel(t.shape_);
  t.strides_ = std::move(strides);
  t.offset_ = offset;
  return t;
}

namespace {
// PyTorch's computeStride: the strides a view of `newshape` needs, or nullopt when the
// existing strides cannot express it without copying.
std::optional<Strides> compute_view_strides(const Shape& oldshape, const Strides& oldstride,
                                            const Shape& newshape) {
  if (oldshape.empty()) return Strides(newshape.size(), 1);
  const std::int64_t numel = shape_numel(oldshape);
  if (numel == 0 && oldshape == newshape) return oldstride;
  Strides newstride(newshape.size());
  if (numel == 0) {
    for (std::size_t v = newshape.size(); v-- > 0;)
      newstride[v] = (v + 1 == newshape.size()) ? 1 : std::max<std::int64_t>(newshape[v + 1], 1) * newstride[v + 1];
    return newstride;
  }
  std::int64_t view_d = static_cast<std::int64_t>(newshape.size()) - 1;
  std::int64_t chunk_base_stride = oldstride.back();
  std::int64_t tensor_numel = 1, view_numel = 1;
  for (std::int64_t tensor_d = static_cast<std::int64_t>(oldshape.size()) - 1; tensor_d >= 0; tensor_d--) {
    tensor_numel *= oldshape[tensor_d];
    if (tensor_d == 0 || (oldshape[tensor_d - 1] != 1 &&
                          oldstride[tensor_d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || newshape[view_d] == 1)) {
        newstride[view_d] = view_numel * chunk_base_stride;
        view_numel *= newshape[view_d];
        view_d--;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (tensor_d > 0) {
        chunk_base_stride = oldstride[tensor_d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return newstride;
}
}  // namespace

Tensor Tensor::view(const Shape& shape) const {
  auto st = compute_view_strides(shape_, strides_, shape);
  if (!st)
    raise_runtime(
        "view size is not compatible with input tensor's size and stride (at least one dimension "
        "spans across two contiguous subspaces). Use .reshape(...) instead.");
  return as_strided(shape, *st, offset_);
}

Tensor Tensor::reshape(const Shape& shape) const {
  if (auto st = compute_view_strides(shape_, strides_, shape)) return as_strided(shape, *st, offset_);
  return contiguous().view(shape);
}

Tensor Tensor::transpose(std::int64_t d0, std::int64_t d1) const {
  d0 = wrap_dim(d0, dim());
  d1 = wrap_dim(d1, dim());
  if (dim() == 0) return *this;
  Shape sh = shape_;
  Strides st = strides_;
  std::swap(sh[static_cast<std::size_t>(d0)], sh[static_cast<std::size_t>(d1)]);
  std::swap(st[static_cast<std::size_t>(d0)], st[static_cast<std::size_t>(d1)]);
  return as_strided(std::move(sh), std::move(st), offset_);
}

Tensor Tensor::permute(const Shape& dims) const {
  if (static_cast<std::int64_t>(dims.size()) != dim())
    raise_runtime(cat("permute(sparse_coo): number of dimensions in the tensor input does not match "
                      "the length of the desired ordering of dimensions i.e. input.dim() = ",
                      dim(), " is not equal to len(dims) = ", dims.size()));
  Shape sh(dims.size());
  Strides st(dims.size());
  std::vector<bool> seen(dims.size(), false);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const auto d = static_cast<std::size_t>(wrap_dim(dims[i], dim()));
    if (seen[d]) raise_runtime("permute(): duplicate dims are not allowed.");
    seen[d] = true;
    sh[i] = shape_[d];
    st[i] = strides_[d];
  }
  return as_strided(std::move(sh), std::move(st), offset_);
}

Tensor Tensor::expand(const Shape& sizes) const {
  const auto ndim = static_cast<std::int64_t>(sizes.size());
  if (ndim < dim())
    raise_runtime(cat("expand(", legacy_tensor_type(dtype_), "{", ShapeStr{shape_}, "}, size=",
                      ShapeStr{sizes}, "): the number of sizes provided (", ndim,
                      ") must be greater or equal to the number of dimensions in the tensor (", dim(),
                      ")"));
  Shape sh(sizes.size());
  Strides st(sizes.size());
  for (std::int64_t i = ndim - 1; i >= 0; --i) {
    const std::int64_t offset = ndim - 1 - i;
    const std::int64_t d = dim() - 1 - offset;
    const std::int64_t size = d >= 0 ? shape_[static_cast<std::size_t>(d)] : 1;
    const std::int64_t stride = d >= 0 ? strides_[static_cast<std::size_t>(d)]
                                       : (i + 1 < ndim ? sh[i + 1] * st[i + 1] : 1);
    std::int64_t target = sizes[static_cast<std::size_t>(i)];
    if (target == -1) {
      if (d < 0)
        raise_runtime(cat("The expanded size of the tensor (-1) isn't allowed in a leading, "
                          "non-existing dimension ", i));
      target = size;
    }
    if (size != target) {
      if (size != 1)
        raise_runtime(cat("The expanded size of the tensor (", target,
                          ") must match the existing size (", size, ") at non-singleton dimension ",
                          i, ".  Target sizes: ", ShapeStr{sizes}, ".  Tensor sizes: ",
                          ShapeStr{shape_}));
      sh[static_cast<std::size_t>(i)] = target;
      st[static_cast<std::size_t>(i)] = 0;
    } else {
      sh[static_cast<std::size_t>(i)] = size;
      st[static_cast<std::size_t>(i)] = stride;
    }
  }
  return as_strided(std::move(sh), std::move(st), offset_);
}

Tensor Tensor::select(std::int64_t d, std::int64_t index) const {
  if (dim() == 0)
    raise_index(
        "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
        "C++ to convert a 0-dim tensor to a number");
  d = wrap_dim(d, dim());
  const auto du = static_cast<std::size_t>(d);
  const std::int64_t n = shape_[du];
  if (index < -n || index >= n)
    raise_index(cat("index ", index, " is out of bounds for dimension ", d, " with size ", n));
  if (index < 0) index += n;
  Shape sh = shape_;
  Strides st = strides_;
  const std::int64_t off = offset_ + index * st[du];
  sh.erase(sh.begin() + d);
  st.erase(st.begin() + d);
  return as_strided(std::move(sh), std::move(st), off);
}

Tensor Tensor::slice(std::int64_t d, std::optional<std::int64_t> start,
                     std::optional<std::int64_t> stop, std::int64_t step) const {
  if (step <= 0) raise_value("step must be greater than zero");
  d = wrap_dim(d, dim());
  const auto du = static_cast<std::size_t>(d);
  const std::int64_t n = shape_[du];
  auto clamp = [n](std::int64_t v) {
    if (v < 0) v += n;
    return std::clamp<std::int64_t>(v, 0, n);
  };
  const std::int64_t b = start ? clamp(*start) : 0;
  const std::int64_t e = std::max(b, stop ? clamp(*stop) : n);
  Shape sh = shape_;
  Strides st = strides_;
  sh[du] = (e - b + step - 1) / step;
  const std::int64_t off = offset_ + b * st[du];
  st[du] *= step;
  return as_strided(std::move(sh), std::move(st), off);
}

Tensor Tensor::squeeze(std::optional<std::int64_t> d) const {
  Shape sh;
  Strides st;
  const std::int64_t only = d ? wrap_dim(*d, dim()) : -1;
  for (std::int64_t i = 0; i < dim(); ++i) {
    const auto iu = static_cast<std::size_t>(i);
    const bool drop = shape_[iu] == 1 && (!d || i == only);
    if (!drop) {
      sh.push_back(shape_[iu]);
      st.push_back(strides_[iu]);
    }
  }
  return as_strided(std::move(sh), std::move(st), offset_);
}

Tensor Tensor::unsqueeze(std::int64_t d) const {
  d = wrap_dim(d, dim() + 1);
  Shape sh = shape_;
  Strides st = strides_;
  const auto du = static_cast<std::size_t>(d);
  const std::int64_t stride = du < st.size() ? st[du] * sh[du] : 1;
  sh.insert(sh.begin() + d, 1);
  st.insert(st.begin() + d, stride);
  return as_strided(std::move(sh), std::move(st), offset_);
}

Tensor Tensor::contiguous() const {
  if (is_meta() || is_contiguous()) return *this;
  return clone();
}

Tensor Tensor::clone() const {
  Tensor out = empty(dtype_, shape_, is_meta());
  if (is_meta()) return out;
  dispatch(dtype_, [&]<class T>() {
    const T* src = storage_base<T>();
    T* dst = out.data<T>();
    for_each_offset(*this, [&](std::int64_t off) { *dst++ = src[off]; });
  });
  return out;
}

Tensor Tensor::to(DType dtype) const {
  if (dtype == dtype_) return *this;
  Tensor out = empty(dtype, shape_, is_meta());
  if (is_meta()) return out;
  dispatch(dtype_, [&]<class S>() {
    const S* src = storage_base<S>();
    dispatch(dtype, [&]<class D>() {
      D* dst = out.data<D>();
      for_each_offset(*this, [&](std::int64_t off) {
        if constexpr (std::is_same_v<D, bool>)
          *dst++ = src[off] != S{};
        else
          *dst++ = static_cast<D>(src[off]);
      });
    });
  });
  return out;
}

Tensor Tensor::meta() const {
  Tensor t = *this;
  t.storage_.reset();
  t.grad_fn_.reset();
  return t;
}

}  // namespace logitlab
