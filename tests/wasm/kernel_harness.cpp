// A test-and-benchmark module beside each wasm build (logitlab_kernel_harness_simd / _nosimd):
// the same core library with two extra entry points, so the production modules stay lean.
//   logitlab_selftest_kernels()  runs tests/native/kernel_checks.cpp on every variant in the
//                                build and answers a JSON report (tests/wasm/kernels.test.mjs);
//   logitlab_bench_ce(...)       times the core's cross-entropy (bench/ce_workload.hpp) and
//                                answers the timing as JSON (bench/run.mjs).
// Both return a pointer to a string that stays valid until the next call.
#include <string>

#include <emscripten/emscripten.h>
#include <nlohmann/json.hpp>

#include "../../bench/ce_workload.hpp"
#include "../native/kernel_checks.hpp"
#include "logitlab/kernels/dispatch.hpp"

namespace {

std::string answer;

}  // namespace

// {"active": "wasmsimd", "variants": [{"name", "supported", "checks": [{"name", "ok", "failure", "compared"}]}]}
extern "C" EMSCRIPTEN_KEEPALIVE const char* logitlab_selftest_kernels() {
  nlohmann::json report{{"active", logitlab::kernels::f32_kernels().name}, {"variants", nlohmann::json::array()}};
  for (const auto& k : logitlab::kernels::f32_variants()) {
    nlohmann::json variant{{"name", k.name}, {"supported", logitlab::kernels::supported(k.isa)},
                           {"checks", nlohmann::json::array()}};
    if (logitlab::kernels::supported(k.isa))
      for (const auto& check : logitlab::kernel_checks::checks()) {
        const auto outcome = check.run(k);
        variant["checks"].push_back(
            {{"name", check.name}, {"ok", outcome.ok}, {"failure", outcome.failure}, {"compared", outcome.compared}});
      }
    report["variants"].push_back(std::move(variant));
  }
  answer = report.dump();
  return answer.c_str();
}

// mode 0: forward, 1: forward and backward.
extern "C" EMSCRIPTEN_KEEPALIVE const char* logitlab_bench_ce(int rows, int classes, int mode, double warmup_ms,
                                                             int samples, double sample_ms) {
  namespace bench = logitlab::bench;
  const bench::Workload w = bench::make_workload(rows, classes);
  const auto timing = bench::time_ce(w, mode == 0 ? bench::Mode::Forward : bench::Mode::ForwardBackward,
                                     warmup_ms, samples, sample_ms);
  answer = bench::to_json(timing);
  return answer.c_str();
}
