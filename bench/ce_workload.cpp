#include "ce_workload.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <vector>

#include "logitlab/ops/losses.hpp"

namespace logitlab::bench {
namespace {

double now_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

Workload make_workload(std::int64_t rows, std::int64_t classes) {
  Workload w{Tensor::empty(DType::Float32, {rows, classes}), Tensor::empty(DType::Int64, {rows})};
  float* x = w.logits.data<float>();
  for (std::int64_t i = 0; i < rows * classes; ++i) {
    const std::uint32_t h = static_cast<std::uint32_t>(i) * 2654435761u;
    x[i] = static_cast<float>(8.0 * static_cast<double>(h) / 4294967296.0 - 4.0);
  }
  std::int64_t* t = w.labels.data<std::int64_t>();
  for (std::int64_t r = 0; r < rows; ++r) t[r] = (7 * r + 3) % classes;
  return w;
}

double run_once(const Workload& w, Mode mode) {
  const LossOptions options;
  if (mode == Mode::Forward) return cross_entropy(w.logits, w.labels, options).item_as_double(0);
  return cross_entropy_with_grad(w.logits, w.labels, options).loss.item_as_double(0);
}

Timing time_calls(const std::function<double()>& call, double warmup_ms, int samples, double sample_ms) {
  Timing t;
  // Warm-up, which also measures one call to size the samples.
  const double start = now_us();
  int calls = 0;
  do {
    t.loss = call();
    ++calls;
  } while (now_us() - start < warmup_ms * 1000.0);
  const double per_call = (now_us() - start) / calls;
  t.calls_per_sample = std::max(1, static_cast<int>(sample_ms * 1000.0 / std::max(per_call, 1e-3)));
  std::vector<double> times;
  for (int s = 0; s < samples; ++s) {
    const double t0 = now_us();
    for (int c = 0; c < t.calls_per_sample; ++c) t.loss = call();
    times.push_back((now_us() - t0) / t.calls_per_sample);
  }
  std::sort(times.begin(), times.end());
  t.samples = samples;
  t.median_us = times[times.size() / 2];
  t.min_us = times.front();
  t.max_us = times.back();
  return t;
}

Timing time_ce(const Workload& w, Mode mode, double warmup_ms, int samples, double sample_ms) {
  return time_calls([&] { return run_once(w, mode); }, warmup_ms, samples, sample_ms);
}

std::string to_json(const Timing& t) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"median_us\": %.3f, \"min_us\": %.3f, \"max_us\": %.3f, \"samples\": %d, "
                "\"calls_per_sample\": %d, \"loss\": %.9g}",
                t.median_us, t.min_us, t.max_us, t.samples, t.calls_per_sample, t.loss);
  return buf;
}

}  // namespace logitlab::bench
