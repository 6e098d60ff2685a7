// Gradients of the losses against central finite differences, for every argument combination.
// (Values, printed text and error messages are checked against PyTorch in test_fixtures.cpp.)
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "logitlab/error.hpp"
#include "logitlab/ops/losses.hpp"

using namespace logitlab;

namespace {

Tensor random_tensor(DType dtype, const Shape& shape, std::mt19937& rng, double scale = 2.0) {
  std::normal_distribution<double> dist(0.0, scale);
  Tensor t = Tensor::empty(dtype, shape);
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    if (dtype == DType::Float64) t.data<double>()[i] = dist(rng);
    else t.data<float>()[i] = static_cast<float>(dist(rng));
  }
  return t;
}

double weighted_sum(const Tensor& out, const Tensor& r) {
  double s = 0.0;
  for (std::int64_t i = 0; i < out.numel(); ++i) s += out.item_as_double(i) * r.item_as_double(i);
  return s;
}

// Checks d/dx sum(f(x) * r) against central differences in float64.
template <class Forward, class Backward>
void check_gradient(const Tensor& x, Forward forward, Backward backward, std::mt19937& rng) {
  const Tensor out = forward(x);
  const Tensor r = random_tensor(DType::Float64, out.shape(), rng, 1.0);
  const Tensor analytic = backward(r, x);
  REQUIRE(analytic.shape() == x.shape());
  const double eps = 1e-6;
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    Tensor plus = x.clone(), minus = x.clone();
    plus.data<double>()[i] += eps;
    minus.data<double>()[i] -= eps;
    const double numeric = (weighted_sum(forward(plus), r) - weighted_sum(forward(minus), r)) / (2 * eps);
    INFO("element " << i);
    CHECK(analytic.item_as_double(i) == Approx(numeric).margin(1e-6).epsilon(1e-5));
  }
}

Tensor class_targets(std::int64_t n, std::int64_t classes, std::int64_t ignore_every, std::int64_t ignore_index) {
  Tensor t = Tensor::empty(DType::Int64, {n});
  for (std::int64_t i = 0; i < n; ++i)
    t.data<std::int64_t>()[i] = (ignore_every > 0 && i % ignore_every == 1) ? ignore_index : (i * 3 + 1) % classes;
  return t;
}

Tensor prob_targets(const Shape& shape, std::int64_t class_dim, std::mt19937& rng) {
  Tensor raw = random_tensor(DType::Float64, shape, rng, 1.0);
  return softmax(raw, class_dim);
}

}  // namespace

TEST_CASE("cross_entropy gradients match finite differences for every argument combination") {
  std::mt19937 rng(1234);
  const std::vector<Shape> shapes = {{5}, {4, 5}, {3, 4, 2}, {2, 3, 2, 2}, {2, 3, 2, 1, 2}};
  for (const Shape& shape : shapes) {
    const std::int64_t class_dim = shape.size() == 1 ? 0 : 1;
    const std::int64_t C = shape[static_cast<std::size_t>(class_dim)];
    Shape target_shape = shape;
    target_shape.erase(target_shape.begin() + class_dim);
    for (bool prob : {false, true})
      for (bool weighted : {false, true})
        for (Reduction red : {Reduction::None, Reduction::Mean, Reduction::Sum})
          for (double ls : {0.0, 0.3})
            for (bool ignore : {false, true}) {
              if (prob && ignore) continue;  // PyTorch rejects ignore_index with probability targets
              LossOptions o;
              o.reduction = red;
              o.label_smoothing = ls;
              o.ignore_index = ignore ? 2 : -100;
              if (weighted) o.weight = random_tensor(DType::Float64, {C}, rng, 1.0).to(DType::Float64);
              if (weighted)
                for (std::int64_t c = 0; c < C; ++c) o.weight.data<double>()[c] = 0.5 + 0.25 * static_cast<double>(c);
              Tensor target;
              if (prob) {
                target = prob_targets(shape, class_dim, rng);
              } else {
                const std::int64_t n = shape_numel(target_shape);
                target = class_targets(n, C, ignore ? 3 : 0, o.ignore_index).reshape(target_shape);
              }
              const Tensor x = random_tensor(DType::Float64, shape, rng);
              INFO("shape " << shape_str(shape) << " prob " << prob << " weight " << weighted << " reduction "
                            << static_cast<int>(red) << " label_smoothing " << ls << " ignore " << ignore);
              check_gradient(
                  x, [&](const Tensor& in) { return cross_entropy(in, target, o); },
                  [&](const Tensor& g, const Tensor& in) { return cross_entropy_backward(g, in, target, o); }, rng);
            }
  }
}

TEST_CASE("nll_loss gradients match finite differences") {
  std::mt19937 rng(99);
  for (Reduction red : {Reduction::None, Reduction::Mean, Reduction::Sum})
    for (bool weighted : {false, true}) {
      LossOptions o;
      o.reduction = red;
      if (weighted) o.weight = Tensor::from_vector<double>({0.5, 1.0, 2.0, 0.25}, {4});
      const Tensor x = random_tensor(DType::Float64, {6, 4}, rng);
      const Tensor target = class_targets(6, 4, 4, o.ignore_index);
      check_gradient(
          x, [&](const Tensor& in) { return nll_loss(in, target, o); },
          [&](const Tensor& g, const Tensor& in) { return nll_loss_backward(g, in, target, o); }, rng);
    }
}

TEST_CASE("log_softmax and softmax gradients match finite differences along every dim") {
  std::mt19937 rng(7);
  const Tensor x = random_tensor(DType::Float64, {2, 3, 4}, rng);
  for (std::int64_t dim : {0, 1, 2, -1}) {
    check_gradient(
        x, [&](const Tensor& in) { return log_softmax(in, dim); },
        [&](const Tensor& g, const Tensor& in) { return log_softmax_backward(g, in, dim); }, rng);
    check_gradient(
        x, [&](const Tensor& in) { return softmax(in, dim); },
        [&](const Tensor& g, const Tensor& in) { return softmax_backward(g, in, dim); }, rng);
  }
}

TEST_CASE("losses check shapes on meta tensors without data") {
  const Tensor logits = Tensor::empty(DType::Float32, {100000, 100000}, /*meta=*/true);
  const Tensor labels = Tensor::empty(DType::Int64, {5}, /*meta=*/true);
  try {
    cross_entropy(logits, labels, {});
    FAIL("expected a ValueError");
  } catch (const PyError& e) {
    CHECK(e.type() == "ValueError");
    CHECK(e.message() == "Expected input batch_size (100000) to match target batch_size (5).");
  }
  const Tensor ok = cross_entropy(logits, Tensor::empty(DType::Int64, {100000}, true), {});
  CHECK(ok.is_meta());
  CHECK(ok.shape().empty());
  LossOptions none;
  none.reduction = Reduction::None;
  CHECK(cross_entropy(logits, Tensor::empty(DType::Int64, {100000}, true), none).shape() == Shape{100000});
}

TEST_CASE("cross_entropy is stable for large logits (max-subtracted)") {
  const Tensor x = Tensor::from_vector<float>({1000.f, 0.f, -1000.f}, {1, 3});
  const Tensor t = Tensor::from_vector<std::int64_t>({0}, {1});
  const Tensor loss = cross_entropy(x, t, {});
  CHECK(loss.item_as_double(0) == Approx(0.0).margin(1e-6));
  const Tensor t2 = Tensor::from_vector<std::int64_t>({1}, {1});
  CHECK(cross_entropy(x, t2, {}).item_as_double(0) == Approx(1000.0));
}
