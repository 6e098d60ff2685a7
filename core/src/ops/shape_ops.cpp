#include "logitlab/ops/shape_ops.hpp"

#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"
#include "logitlab/ops/factories.hpp"

namespace logitlab::ops {

Shape infer_size(const Shape& shape, std::int64_t numel) {
  std::int64_t newsize = 1;
  std::optional<std::size_t> infer;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer) raise_runtime("only one dimension can be inferred");
      infer = i;
    } else if (shape[i] >= 0) {
      newsize *= shape[i];
    } else {
      raise_runtime(cat("invalid shape dimension ", shape[i]));
    }
  }
  if (numel == newsize || (infer && newsize > 0 && numel % newsize == 0)) {
    Shape out = shape;
    if (infer) {
      if (newsize == 0)
        raise_runtime(cat("cannot reshape tensor of 0 elements into shape ", ShapeStr{shape},
                          " because the unspecified dimension size -1 can be any value and is ambiguous"));
      out[*infer] = numel / newsize;
    }
    return out;
  }
  raise_runtime(cat("shape '", ShapeStr{shape}, "' is invalid for input of size ", numel));
}

Tensor reshape(const Tensor& t, const Shape& shape) { return t.reshape(infer_size(shape, t.numel())); }
Tensor view(const Tensor& t, const Shape& shape) { return t.view(infer_size(shape, t.numel())); }

Tensor flatten(const Tensor& t, std::int64_t start_dim, std::int64_t end_dim) {
  const std::int64_t s = wrap_dim(start_dim, t.dim());
  const std::int64_t e = wrap_dim(end_dim, t.dim());
  if (s > e) raise_runtime("flatten() has invalid args: start_dim cannot come after end_dim");
  if (t.dim() == 0) return t.reshape({1});
  if (s == e) return t;
  Shape sh;
  std::int64_t n = 1;
  for (std::int64_t i = 0; i < t.dim(); ++i) {
    const std::int64_t d = t.shape()[static_cast<std::size_t>(i)];
    if (i < s || i > e) sh.push_back(d);
    else {
      n *= d;
      if (i == e) sh.push_back(n);
    }
  }
  return t.reshape(sh);
}

Tensor repeat(const Tensor& t, const Shape& repeats) {
  if (static_cast<std::int64_t>(repeats.size()) < t.dim())
    raise_runtime("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  const std::size_t pad = repeats.size() - static_cast<std::size_t>(t.dim());
  Shape padded(pad, 1), target(repeats.size());
  for (auto d : t.shape()) padded.push_back(d);
  for (std::size_t i = 0; i < repeats.size(); ++i) target[i] = padded[i] * repeats[i];
  check_size(target);
  const bool meta = result_is_meta(target, t.is_meta());
  Tensor out = Tensor::empty(t.dtype(), target, meta);
  if (meta || out.numel() == 0) return out;
  const Tensor src = t.reshape(padded);
  const Strides ost = contiguous_strides(target);
  dispatch(t.dtype(), [&]<class T>() {
    T* po = out.data<T>();
    const auto nd = target.size();
    std::vector<std::int64_t> idx(nd, 0);
    for (std::int64_t i = 0; i < out.numel(); ++i) {
      std::int64_t flat = 0;
      for (std::size_t k = 0; k < nd; ++k) flat = flat * padded[k] + idx[k] % padded[k];
      po[i] = static_cast<T>(src.item_as_double(flat));
      if constexpr (!std::is_floating_point_v<T>) po[i] = static_cast<T>(src.item_as_int(flat));
      for (std::size_t k = nd; k-- > 0;) {
        if (++idx[k] < target[k]) break;
        idx[k] = 0;
      }
    }
  });
  (void)ost;
  return out;
}

Tensor concatenate(const std::vector<Tensor>& tensors, std::int64_t dim) {
  if (tensors.empty()) raise_runtime("torch.cat(): expected a non-empty list of Tensors");
  // Legacy rule: 1-D empty tensors are skipped.
  const Tensor* ref = nullptr;
  DType dtype = tensors[0].dtype();
  bool meta = false;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    if (tensors[i].dim() == 0)
      raise_runtime(cat("zero-dimensional tensor (at position ", i, ") cannot be concatenated"));
    dtype = promote_types(dtype, tensors[i].dtype());
    meta = meta || tensors[i].is_meta();
  }
  for (const auto& t : tensors)
    if (!(t.dim() == 1 && t.numel() == 0)) {
      ref = &t;
      break;
    }
  if (!ref) return Tensor::empty(dtype, {0}, meta);
  const std::int64_t d = wrap_dim(dim, ref->dim());
  Shape out_shape = ref->shape();
  std::int64_t total = 0;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (t.dim() == 1 && t.numel() == 0) continue;
    if (t.dim() != ref->dim())
      raise_runtime(cat("Tensors must have same number of dimensions: got ", ref->dim(), " and ", t.dim()));
    for (std::int64_t k = 0; k < t.dim(); ++k) {
      if (k == d) continue;
      const auto ku = static_cast<std::size_t>(k);
      if (t.shape()[ku] != ref->shape()[ku])
        raise_runtime(cat("Sizes of tensors must match except in dimension ", d, ". Expected size ",
                          ref->shape()[ku], " but got size ", t.shape()[ku], " for tensor number ", i,
                          " in the list."));
    }
    total += t.shape()[static_cast<std::size_t>(d)];
  }
  out_shape[static_cast<std::size_t>(d)] = total;
  meta = result_is_meta(out_shape, meta);
  Tensor out = Tensor::empty(dtype, out_shape, meta);
  if (meta) return out;
  std::int64_t at = 0;
  for (const auto& t : tensors) {
    if (t.dim() == 1 && t.numel() == 0) continue;
    const std::int64_t len = t.shape()[static_cast<std::size_t>(d)];
    Tensor dst = out.slice(d, at, at + len);
    const Tensor src = t.to(dtype);
    dispatch(dtype, [&]<class T>() {
      T* base = dst.storage_base<T>();
      const T* sb = src.storage_base<T>();
      std::vector<std::int64_t> so;
      so.reserve(static_cast<std::size_t>(src.numel()));
      for_each_offset(src, [&](std::int64_t o) { so.push_back(o); });
      std::size_t k = 0;
      for_each_offset(dst, [&](std::int64_t o) { base[o] = sb[so[k++]]; });
    });
    at += len;
  }
  return out;
}

Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim) {
  if (tensors.empty()) raise_runtime("stack expects a non-empty TensorList");
  const std::int64_t d = wrap_dim(dim, tensors[0].dim() + 1);
  for (std::size_t i = 1; i < tensors.size(); ++i)
    if (tensors[i].shape() != tensors[0].shape())
      raise_runtime(cat("stack expects each tensor to be equal size, but got ", ShapeStr{tensors[0].shape()},
                        " at entry 0 and ", ShapeStr{tensors[i].shape()}, " at entry ", i));
  std::vector<Tensor> parts;
  for (const auto& t : tensors) parts.push_back(t.unsqueeze(d));
  return concatenate(parts, d);
}

Tensor t2(const Tensor& t) {
  if (t.dim() > 2) raise_runtime(cat("t() expects a tensor with <= 2 dimensions, but self is ", t.dim(), "D"));
  if (t.dim() < 2) return t;
  return t.transpose(0, 1);
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  if (a.dim() == 0 || b.dim() == 0)
    raise_runtime(cat("both arguments to matmul need to be at least 1D, but they are ", a.dim(), "D and ", b.dim(), "D"));
  if (a.dtype() != b.dtype())
    raise_runtime(cat("expected scalar type ", scalar_type_name(a.dtype()), " but found ", scalar_type_name(b.dtype())));
  if (a.dim() > 2 || b.dim() > 2) {
    // batched: broadcast the batch dims
    raise_not_implemented("Logit Lab does not support batched matmul (more than 2 dimensions) yet");
  }
  Tensor A = a.dim() == 1 ? a.unsqueeze(0) : a;
  Tensor B = b.dim() == 1 ? b.unsqueeze(1) : b;
  if (a.dim() == 1 && b.dim() == 1 && a.shape()[0] != b.shape()[0])
    raise_runtime(cat("inconsistent tensor size, expected tensor [", a.shape()[0], "] and src [", b.shape()[0],
                      "] to have the same number of elements, but got ", a.shape()[0], " and ", b.shape()[0],
                      " elements respectively"));
  if (A.shape()[1] != B.shape()[0]) {
    if (a.dim() == 2 && b.dim() == 1)
      raise_runtime(cat("size mismatch, got ", A.shape()[0], ", ", A.shape()[0], "x", A.shape()[1], ",", b.shape()[0]));
    raise_runtime(cat("mat1 and mat2 shapes cannot be multiplied (", A.shape()[0], "x", A.shape()[1], " and ",
                      B.shape()[0], "x", B.shape()[1], ")"));
  }
  if (a.dtype() == DType::Bool) raise_runtime("\"addmm_impl_cpu_\" not implemented for 'Bool'");
  Shape out_shape;
  if (a.dim() == 2) out_shape.push_back(A.shape()[0]);
  if (b.dim() == 2) out_shape.push_back(B.shape()[1]);
  const bool meta = result_is_meta(out_shape, a.is_meta() || b.is_meta());
  Tensor out = Tensor::empty(a.dtype(), out_shape, meta);
  if (meta) return out;
  const Tensor x = A.contiguous(), y = B.contiguous();
  const std::int64_t M = A.shape()[0], K = A.shape()[1], N = B.shape()[1];
  dispatch(a.dtype(), [&]<class T>() {
    const T* px = x.data<T>();
    const T* py = y.data<T>();
    T* po = out.data<T>();
    for (std::int64_t i = 0; i < M; ++i)
      for (std::int64_t j = 0; j < N; ++j) {
        using Acc = std::conditional_t<std::is_floating_point_v<T>, double, std::int64_t>;
        Acc acc = 0;
        for (std::int64_t k = 0; k < K; ++k) acc += static_cast<Acc>(px[i * K + k]) * static_cast<Acc>(py[k * N + j]);
        po[i * N + j] = static_cast<T>(acc);
      }
  });
  return out;
}

}  // namespace logitlab::ops
