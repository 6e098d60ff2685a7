#include "logitlab/ops/indexing.hpp"

#include "logitlab/error.hpp"
#include "logitlab/ops/elementwise.hpp"

namespace logitlab::ops {

Tensor index_select(const Tensor& t, std::int64_t dim, const Tensor& index) {
  const std::int64_t d = wrap_dim(dim, t.dim());
  if (index.dim() > 1) raise_index("index_select(): Index is supposed to be a vector");
  if (index.dtype() != DType::Int64 && index.dtype() != DType::Int32)
    raise_runtime("index_select(): Expected dtype int32 or int64 for index");
  Shape out_shape = t.shape();
  if (t.dim() > 0) out_shape[static_cast<std::size_t>(d)] = index.numel();
  const bool meta = result_is_meta(out_shape, t.is_meta() || index.is_meta());
  if (meta) return Tensor::empty(t.dtype(), out_shape, true);
  const std::int64_t n = t.dim() == 0 ? 1 : t.shape()[static_cast<std::size_t>(d)];
  for (std::int64_t i = 0; i < index.numel(); ++i) {
    const std::int64_t k = index.item_as_int(i);
    if (k < 0 || k >= n) raise_index("index out of range in self");
  }
  if (t.dim() == 0) return t.clone();
  std::vector<Tensor> parts;
  Tensor out = Tensor::empty(t.dtype(), out_shape);
  for (std::int64_t i = 0; i < index.numel(); ++i) {
    const Tensor src = t.select(d, index.item_as_int(i));
    Tensor dst = out.select(d, i);
    dispatch(t.dtype(), [&]<class T>() {
      const T* sb = src.storage_base<T>();
      T* db = dst.storage_base<T>();
      std::vector<std::int64_t> so;
      for_each_offset(src, [&](std::int64_t o) { so.push_back(o); });
      std::size_t k = 0;
      for_each_offset(dst, [&](std::int64_t o) { db[o] = sb[so[k++]]; });
    });
  }
  return out;
}

Tensor advanced_index(const Tensor& t, const std::vector<std::optional<Tensor>>& indices_in) {
  // Expand bool masks into one long index per masked dim (nonzero), as PyTorch does.
  std::vector<std::optional<Tensor>> idx;
  std::size_t dim = 0;
  for (const auto& ix : indices_in) {
    if (!ix) {
      idx.push_back(std::nullopt);
      ++dim;
      continue;
    }
    if (ix->dtype() == DType::Bool) {
      for (std::int64_t k = 0; k < ix->dim(); ++k) {
        const auto ku = static_cast<std::size_t>(k);
        if (dim + ku >= t.shape().size() || ix->shape()[ku] != t.shape()[dim + ku])
          raise_index(cat("The shape of the mask ", ShapeStr{ix->shape()}, " at index ", k,
                          " does not match the shape of the indexed tensor ", ShapeStr{t.shape()}, " at index ",
                          dim + ku));
      }
      if (ix->is_meta() || t.is_meta())
        raise_playground("MemoryError",
                         cat("Logit Lab cannot index with a boolean mask of a shape-only tensor (it exceeded the "
                             "max_elements budget of ", element_budget(), ")"));
      std::vector<std::vector<std::int64_t>> coords(static_cast<std::size_t>(std::max<std::int64_t>(ix->dim(), 1)));
      const Strides st = contiguous_strides(ix->shape());
      for (std::int64_t i = 0; i < ix->numel(); ++i)
        if (ix->item_as_int(i)) {
          std::int64_t rem = i;
          for (std::size_t k = 0; k < static_cast<std::size_t>(ix->dim()); ++k) {
            coords[k].push_back(rem / st[k]);
            rem %= st[k];
          }
        }
      if (ix->dim() == 0) raise_not_implemented("Logit Lab does not support indexing with a 0-d boolean tensor yet");
      for (auto& c : coords) {
        const auto n = static_cast<std::int64_t>(c.size());
        idx.push_back(Tensor::from_vector(c, {n}));
      }
      dim += static_cast<std::size_t>(ix->dim());
      continue;
    }
    if (ix->dtype() != DType::Int64)
      raise_index("tensors used as indices must be long, byte or bool tensors");
    idx.push_back(*ix);
    ++dim;
  }
  if (idx.size() > static_cast<std::size_t>(t.dim()))
    raise_index(cat("too many indices for tensor of dimension ", t.dim()));
  while (idx.size() < static_cast<std::size_t>(t.dim())) idx.push_back(std::nullopt);
  // Broadcast the index tensors.
  Shape bshape;
  bool first = true, meta = t.is_meta();
  std::vector<std::size_t> adv_dims;
  for (std::size_t i = 0; i < idx.size(); ++i)
    if (idx[i]) {
      adv_dims.push_back(i);
      meta = meta || idx[i]->is_meta();
      if (first) bshape = idx[i]->shape();
      else {
        try {
          bshape = broadcast_shapes(bshape, idx[i]->shape());
        } catch (const PyError&) {
          std::string shapes;
          for (const auto& j : idx)
            if (j) shapes += (shapes.empty() ? "" : ", ") + cat(ShapeStr{j->shape()});
          raise_index(cat("shape mismatch: indexing tensors could not be broadcast together with shapes ", shapes));
        }
      }
      first = false;
    }
  bool adjacent = true;
  for (std::size_t k = 1; k < adv_dims.size(); ++k) adjacent = adjacent && adv_dims[k] == adv_dims[k - 1] + 1;
  // Result shape: advanced dims replaced by bshape, at the first one if adjacent, else in front.
  Shape out_shape;
  std::vector<std::size_t> rest;  // t's sliced dims in order
  for (std::size_t i = 0; i < idx.size(); ++i)
    if (!idx[i]) rest.push_back(i);
  const std::size_t insert_at = adjacent ? adv_dims[0] : 0;
  std::size_t before = 0;
  for (std::size_t i : rest) if (i < insert_at) ++before;
  for (std::size_t k = 0; k < before; ++k) out_shape.push_back(t.shape()[rest[k]]);
  for (auto s : bshape) out_shape.push_back(s);
  for (std::size_t k = before; k < rest.size(); ++k) out_shape.push_back(t.shape()[rest[k]]);
  if (!meta) {
    for (std::size_t i : adv_dims) {
      const std::int64_t n = t.shape()[i];
      for (std::int64_t k = 0; k < idx[i]->numel(); ++k) {
        const std::int64_t v = idx[i]->item_as_int(k);
        if (v < -n || v >= n) raise_index(cat("index ", v, " is out of bounds for dimension ", i, " with size ", n));
      }
    }
  }
  meta = result_is_meta(out_shape, meta);
  Tensor out = Tensor::empty(t.dtype(), out_shape, meta);
  if (meta || out.numel() == 0) return out;
  std::vector<Tensor> bidx;
  for (std::size_t i : adv_dims) bidx.push_back(materialize(*idx[i], bshape, DType::Int64));
  const auto nb = bshape.size();
  const auto nd = out_shape.size();
  std::vector<std::int64_t> o(nd, 0);
  dispatch(t.dtype(), [&]<class T>() {
    T* po = out.data<T>();
    const T* base = t.storage_base<T>();
    const Strides bst = contiguous_strides(bshape);
    for (std::int64_t flat = 0; flat < out.numel(); ++flat) {
      std::int64_t bflat = 0;
      for (std::size_t k = 0; k < nb; ++k) bflat += o[before + k] * bst[k];
      std::int64_t off = t.offset();
      std::size_t ai = 0, ri = 0;
      for (std::size_t i = 0; i < idx.size(); ++i) {
        const auto st = t.strides()[i];
        if (idx[i]) {
          std::int64_t v = bidx[ai++].data<std::int64_t>()[bflat];
          if (v < 0) v += t.shape()[i];
          off += v * st;
        } else {
          const std::size_t pos = ri < before ? ri : ri + nb;
          off += o[pos] * st;
          ++ri;
        }
      }
      po[flat] = base[off];
      for (std::size_t k = nd; k-- > 0;) {
        if (++o[k] < out_shape[k]) break;
        o[k] = 0;
      }
    }
  });
  return out;
}

Tensor one_hot(const Tensor& t, std::int64_t num_classes) {
  if (t.dtype() != DType::Int64) raise_runtime("one_hot is only applicable to index tensor.");
  if (t.numel() == 0) {
    if (num_classes == -1) raise_runtime("Can not infer total number of classes from empty tensor.");
    Shape sh = t.shape();
    sh.push_back(num_classes);
    return Tensor::empty(DType::Int64, sh, t.is_meta());
  }
  if (t.is_meta())
    raise_playground("MemoryError", cat("Logit Lab cannot compute one_hot of a shape-only tensor (it exceeded the "
                                        "max_elements budget of ", element_budget(), ")"));
  std::int64_t mn = t.item_as_int(0), mx = mn;
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    mn = std::min(mn, t.item_as_int(i));
    mx = std::max(mx, t.item_as_int(i));
  }
  if (mn < 0) raise_runtime("Class values must be non-negative.");
  if (num_classes == -1) num_classes = mx + 1;
  else if (mx >= num_classes) raise_runtime("Class values must be smaller than num_classes.");
  Shape sh = t.shape();
  sh.push_back(num_classes);
  const bool meta = result_is_meta(sh);
  Tensor out = Tensor::empty(DType::Int64, sh, meta);
  if (meta) return out;
  std::int64_t* p = out.data<std::int64_t>();
  for (std::int64_t i = 0; i < t.numel(); ++i) p[i * num_classes + t.item_as_int(i)] = 1;
  return out;
}

}  // namespace logitlab::ops
