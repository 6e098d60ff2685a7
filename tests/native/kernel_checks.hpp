#pragma once
// Checks of the float32 kernel variants (core/src/kernels/) against the scalar kernel and a
// float64 reference. Each check's name is its specification. They run natively under Catch2
// (test_kernels.cpp) and in the wasm builds under Node (tests/wasm/kernel_selftest.cpp, through
// tests/wasm/kernels.test.mjs), so they use nothing but the standard library and the core.
//
// Tolerances against float64, for every variant including the scalar one:
//   loss of a row and log_softmax: 1e-6 relative, or an absolute floor for values near 0 of
//     2.4e-7 (two float ulps at 1: log of a float sum near 1 cannot do better) plus the random
//     walk of the float sum of exps, 6e-8 * sqrt(classes / 8) (4.7e-6 at 50257 classes);
//   the summed loss of a batch: 1e-6 relative;
//   gradient: 1e-5 relative per element, or 1e-6 of the row's gradient scale (the target's
//     entry, softmax - 1, cancels when the prediction is confident);
//   softmax: 1e-5 relative or 1e-7 absolute.
// A variant and the scalar kernel must each meet these; NaN must match NaN.
#include <functional>
#include <string>
#include <vector>

#include "logitlab/kernels/dispatch.hpp"

namespace logitlab::kernel_checks {

struct Outcome {
  bool ok = true;
  std::string failure;  // the first failure, with the numbers
  std::size_t compared = 0;
  void fail(const std::string& what) {
    if (ok) failure = what;
    ok = false;
  }
};

struct Check {
  std::string name;
  std::function<Outcome(const kernels::F32Kernels&)> run;
};

// Every check, in a stable order.
const std::vector<Check>& checks();

}  // namespace logitlab::kernel_checks
