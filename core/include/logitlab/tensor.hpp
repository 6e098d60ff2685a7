#pragma once
// Tensor: dtype + shape + strides + offset over shared storage, as in PyTorch.
// A tensor without storage is a *meta* tensor: ops on it check shapes and dtypes and compute
// result shapes without touching (or allocating) data. See DESIGN.md "Shapes first".
#include <cstdint>
#include <functional>
#include <string>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "logitlab/dtype.hpp"
#include "logitlab/str.hpp"

namespace logitlab {

using Strides = std::vector<std::int64_t>;
class Tensor;

// How a tensor was computed from one differentiable input: the op's backward maps the gradient
// of this tensor to the gradient of `input` (like PyTorch's grad_fn, e.g. "NllLossBackward0").
struct GradFn {
  std::string name;
  std::shared_ptr<const Tensor> input;
  std::function<Tensor(const Tensor& grad_output)> backward;
};

// Flat, typed element storage. xtensor owns the memory; views index into it with strides.
class Storage {
 public:
  // Zero-filled, unless `zero` is false: then the caller writes every element before any read.
  Storage(DType dtype, std::int64_t numel, bool zero = true);
  ~Storage() { live_elements_ -= numel_; }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  // Elements held by every Storage alive in this thread (one run at a time per thread): what
  // max_elements bounds, wherever the tensors are kept (variables, lists, temporaries).
  static std::int64_t live_elements() { return live_elements_; }
  DType dtype() const { return dtype_; }
  std::int64_t numel() const { return numel_; }
  template <class T> T* data() { return std::get<xt::xtensor<T, 1>>(buf_).data(); }
  template <class T> const T* data() const { return std::get<xt::xtensor<T, 1>>(buf_).data(); }

 private:
  DType dtype_;
  std::int64_t numel_;
  static thread_local inline std::int64_t live_elements_ = 0;
  std::variant<xt::xtensor<float, 1>, xt::xtensor<double, 1>, xt::xtensor<std::int64_t, 1>,
               xt::xtensor<std::int32_t, 1>, xt::xtensor<bool, 1>>
      buf_;
};

std::int64_t shape_numel(const Shape& shape);
Strides contiguous_strides(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;  // an undefined tensor (like at::Tensor()): defined() is false

  // Fresh contiguous tensors. Data tensors are zero-filled.
  static Tensor empty(DType dtype, Shape shape, bool meta = false);
  static Tensor zeros(DType dtype, Shape shape, bool meta = false) { return empty(dtype, std::move(shape), meta); }
  // Like empty() for a data tensor, but its elements are left unset: for a caller that writes
  // every one of them before anything reads the tensor (it saves a pass over the memory).
  static Tensor uninitialized(DType dtype, Shape shape);
  static Tensor full(DType dtype, Shape shape, double value, bool meta = false);
  // A 0-d tensor holding one value.
  static Tensor scalar(DType dtype, double value);
  template <class T>
  static Tensor from_vector(const std::vector<T>& values, Shape shape) {
    Tensor t = empty(dtype_of<T>(), std::move(shape));
    T* p = t.data<T>();
    for (std::size_t i = 0; i < values.size(); ++i) p[i] = values[i];
    return t;
  }

  bool defined() const { return defined_; }
  bool is_meta() const { return !storage_; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  const Strides& strides() const { return strides_; }
  std::int64_t offset() const { return offset_; }
  std::int64_t dim() const { return static_cast<std::int64_t>(shape_.size()); }
  std::int64_t numel() const { return numel_; }  // shape_numel(shape()), kept with the shape
  // size(d) with PyTorch's dim wrapping and its IndexError.
  std::int64_t size(std::int64_t d) const;
  bool is_contiguous() const;
  // True when both share one storage (a view of the other, or the same tensor).
  bool shares_storage_with(const Tensor& other) const {
    return storage_ && storage_ == other.storage_;
  }
  // True when another tensor also holds this one's storage: for a result just returned by an
  // op, that it is a view of an existing tensor (expand, view, ...) and moved no element.
  bool storage_shared() const { return storage_ && storage_.use_count() > 1; }

  // Pointer to element [0, 0, ...] of this view. Data tensors only.
  template <class T> T* data() { return storage_->data<T>() + offset_; }
  template <class T> const T* data() const { return storage_->data<T>() + offset_; }

  // Base of the storage; pair with for_each_offset, whose offsets already include offset().
  template <class T> T* storage_base() { return storage_->data<T>(); }
  template <class T> const T* storage_base() const { return storage_->data<T>(); }

  // Element at a flat row-major index of this view's logical layout, converted to double.
  double item_as_double(std::int64_t flat_index) const;
  std::int64_t item_as_int(std::int64_t flat_index) const;
  // Storage offset (in elements) of a flat row-major logical index.
  std::int64_t storage_index(std::int64_t flat_index) const;

  // ---- views: share storage exactly where PyTorch shares ----
  Tensor as_strided(Shape shape, Strides strides, std::int64_t offset) const;
  // view(): RuntimeError when the strides cannot express the new shape (PyTorch's message).
  Tensor view(const Shape& shape) const;
  // reshape(): a view when possible, else a contiguous copy.
  Tensor reshape(const Shape& shape) const;
  Tensor transpose(std::int64_t d0, std::int64_t d1) const;
  Tensor permute(const Shape& dims) const;
  Tensor expand(const Shape& shape) const;
  Tensor select(std::int64_t d, std::int64_t index) const;
  // Python slice semantics (step > 0), bounds clamped like PyTorch.
  Tensor slice(std::int64_t d, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
               std::int64_t step = 1) const;
  Tensor squeeze(std::optional<std::int64_t> d = std::nullopt) const;
  Tensor unsqueeze(std::int64_t d) const;

  const std::shared_ptr<const GradFn>& grad_fn() const { return grad_fn_; }
  Tensor with_grad_fn(std::shared_ptr<const GradFn> fn) const {
    Tensor t = *this;
    t.grad_fn_ = std::move(fn);
    return t;
  }

  // ---- copies ----
  Tensor contiguous() const;  // itself when already contiguous
  Tensor clone() const;       // always a fresh contiguous copy
  Tensor to(DType dtype) const;  // itself when dtype matches, else a converted copy
  // Same shape/dtype but without data: the meta twin used by the shapes-first pass.
  Tensor meta() const;

 private:
  // A fresh contiguous tensor (empty, uninitialized); `zero`: zero-fill its data.
  static Tensor fresh(DType dtype, Shape shape, bool meta, bool zero);

  bool defined_ = false;
  DType dtype_ = DType::Float32;
  Shape shape_;
  std::int64_t numel_ = 1;  // shape_numel(shape_), set wherever shape_ is
  Strides strides_;
  std::int64_t offset_ = 0;
  std::shared_ptr<Storage> storage_;
  std::shared_ptr<const GradFn> grad_fn_;
};

// Dim wrapping with PyTorch's message:
// "Dimension out of range (expected to be in range of [-2, 1], but got 2)" (IndexError).
std::int64_t wrap_dim(std::int64_t d, std::int64_t ndim);

// Walk a tensor's elements in row-major logical order, calling f(storage_offset).
template <class F>
void for_each_offset(const Tensor& t, F&& f) {
  const std::int64_t n = t.numel();
  if (n == 0) return;
  const auto nd = static_cast<std::size_t>(t.dim());
  std::vector<std::int64_t> idx(nd, 0);
  std::int64_t off = t.offset();
  const auto& sh = t.shape();
  const auto& st = t.strides();
  for (std::int64_t i = 0; i < n; ++i) {
    f(off);
    for (std::size_t k = nd; k-- > 0;) {
      if (++idx[k] < sh[k]) {
        off += st[k];
        break;
      }
      off -= st[k] * (sh[k] - 1);
      idx[k] = 0;
    }
  }
}

}  // namespace logitlab
