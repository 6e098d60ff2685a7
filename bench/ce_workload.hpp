#pragma once
// The benchmark's workload and clock, shared by the native benchmark (native_bench.cpp) and the
// wasm harness (tests/wasm/kernel_harness.cpp): F.cross_entropy(logits, labels) with mean
// reduction through the core's ops, forward alone or with the gradient, on data every
// contender (PyTorch, TensorFlow.js, plain JavaScript) generates the same way:
//   logits[i] = 8 * ((i * 2654435761) mod 2^32) / 2^32 - 4     (uniform in [-4, 4))
//   labels[r] = (7 r + 3) mod classes
// Timing protocol (bench/timing.mjs and bench/torch_bench.py follow it too): warm up for
// `warmup_ms`, then `samples` samples, each the mean of enough back-to-back calls to last at
// least `sample_ms`; report the median sample.
#include <functional>
#include <string>

#include "logitlab/tensor.hpp"

namespace logitlab::bench {

struct Workload {
  Tensor logits;  // float32 [rows, classes]
  Tensor labels;  // int64 [rows]
};

Workload make_workload(std::int64_t rows, std::int64_t classes);

enum class Mode { Forward, ForwardBackward };

// One call; returns the loss, so the work cannot be optimised away.
double run_once(const Workload& w, Mode mode);

struct Timing {
  double median_us = 0, min_us = 0, max_us = 0;
  int samples = 0, calls_per_sample = 0;
  double loss = 0;
};

// Times call() (which returns the loss, or anything) by the protocol above.
Timing time_calls(const std::function<double()>& call, double warmup_ms, int samples, double sample_ms);
Timing time_ce(const Workload& w, Mode mode, double warmup_ms, int samples, double sample_ms);

// {"median_us": ..., "min_us": ..., "max_us": ..., "samples": ..., "calls_per_sample": ..., "loss": ...}
std::string to_json(const Timing& t);

}  // namespace logitlab::bench
