// The core tensor: views share storage exactly where PyTorch shares, copies where it copies.
#include <catch2/catch.hpp>

#include "logitlab/error.hpp"
#include "logitlab/tensor.hpp"

using namespace logitlab;

namespace {
Tensor arange(std::int64_t n, Shape shape) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = static_cast<float>(i);
  return Tensor::from_vector(v, std::move(shape));
}

std::vector<double> values(const Tensor& t) {
  std::vector<double> v;
  for (std::int64_t i = 0; i < t.numel(); ++i) v.push_back(t.item_as_double(i));
  return v;
}

template <class F>
void require_error(F f, const std::string& type, const std::string& message) {
  try {
    f();
    FAIL("expected " << type);
  } catch (const PyError& e) {
    CHECK(e.type() == type);
    CHECK(e.message() == message);
  }
}
}  // namespace

TEST_CASE("view, slicing, transpose and expand share storage") {
  const Tensor x = arange(12, {3, 4});
  CHECK(x.view({4, 3}).shares_storage_with(x));
  CHECK(x.slice(1, 1, 3).shares_storage_with(x));
  CHECK(x.transpose(0, 1).shares_storage_with(x));
  CHECK(x.select(0, 1).expand({2, 4}).shares_storage_with(x));
  CHECK(values(x.slice(1, 1, 3)) == std::vector<double>{1, 2, 5, 6, 9, 10});
  CHECK(values(x.transpose(0, 1)) == std::vector<double>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
  CHECK(values(x.select(0, -1)) == std::vector<double>{8, 9, 10, 11});
  CHECK(values(x.slice(0, std::nullopt, std::nullopt, 2).select(1, 3)) == std::vector<double>{3, 11});
}

TEST_CASE("reshape of a non-contiguous tensor copies, of a contiguous one views") {
  const Tensor x = arange(6, {2, 3});
  CHECK(x.reshape({3, 2}).shares_storage_with(x));
  const Tensor t = x.transpose(0, 1);
  const Tensor r = t.reshape({6});
  CHECK_FALSE(r.shares_storage_with(x));
  CHECK(values(r) == std::vector<double>{0, 3, 1, 4, 2, 5});
  CHECK(x.clone().shares_storage_with(x) == false);
  CHECK(x.contiguous().shares_storage_with(x));
}

TEST_CASE("view of a transposed tensor raises PyTorch's error") {
  const Tensor x = arange(6, {2, 3});
  require_error([&] { x.transpose(0, 1).view({6}); }, "RuntimeError",
                "view size is not compatible with input tensor's size and stride (at least one dimension spans "
                "across two contiguous subspaces). Use .reshape(...) instead.");
}

TEST_CASE("dimension wrapping raises PyTorch's IndexError") {
  const Tensor x = arange(6, {2, 3});
  require_error([&] { x.size(2); }, "IndexError", "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  require_error([&] { x.unsqueeze(4); }, "IndexError", "Dimension out of range (expected to be in range of [-3, 2], but got 4)");
  require_error([&] { x.select(0, 5); }, "IndexError", "index 5 is out of bounds for dimension 0 with size 2");
}

TEST_CASE("expand follows PyTorch's rules and messages") {
  const Tensor v = arange(3, {3});
  CHECK(v.expand({2, 3}).strides() == Strides{0, 1});
  require_error([&] { v.expand({4}); }, "RuntimeError",
                "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0.  "
                "Target sizes: [4].  Tensor sizes: [3]");
  require_error([&] { arange(6, {2, 3}).expand({3}); }, "RuntimeError",
                "expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or "
                "equal to the number of dimensions in the tensor (2)");
}

TEST_CASE("permute checks its dims like PyTorch") {
  const Tensor x = arange(24, {2, 3, 4});
  CHECK(x.permute({2, 0, 1}).shape() == Shape{4, 2, 3});
  require_error([&] { x.permute({0, 1, 1}); }, "RuntimeError", "permute(): duplicate dims are not allowed.");
}

TEST_CASE("meta tensors carry shapes without storage") {
  const Tensor m = Tensor::empty(DType::Float32, {100000, 100000}, /*meta=*/true);
  CHECK(m.is_meta());
  CHECK(m.numel() == 10000000000LL);
  CHECK(m.transpose(0, 1).shape() == Shape{100000, 100000});
  CHECK(m.to(DType::Float64).is_meta());
}

TEST_CASE("dtype conversion copies and converts") {
  const Tensor x = Tensor::from_vector<float>({1.5f, -2.7f, 0.f}, {3});
  const Tensor l = x.to(DType::Int64);
  CHECK(l.dtype() == DType::Int64);
  CHECK(values(l) == std::vector<double>{1, -2, 0});
  CHECK(values(x.to(DType::Bool)) == std::vector<double>{1, 1, 0});
}
