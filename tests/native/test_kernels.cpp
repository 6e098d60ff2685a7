// The kernel variants (core/src/kernels/) against the scalar kernel and float64, the run-time
// dispatch, and the golden fixtures through the whole core with each variant in turn.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "kernel_checks.hpp"
#include "logitlab/api.hpp"
#include "logitlab/kernels/dispatch.hpp"

using logitlab::kernels::F32Kernels;
using logitlab::kernels::Isa;

namespace {

// Restores the best variant when a test that forced another one ends, however it ends.
struct ForcedVariant {
  explicit ForcedVariant(Isa isa) { REQUIRE(logitlab::kernels::use_f32_kernels(isa)); }
  ~ForcedVariant() { logitlab::kernels::use_f32_kernels(logitlab::kernels::best_f32_isa()); }
};

// Whether a fixture's program reaches the kernels and completes (one that raises stops at the
// checks, before any kernel runs).
bool exercises_kernels(const logitlab::testing::Fixture& f) {
  if (!f.expected["error"].is_null()) return false;
  const std::string code = f.request["code"];
  for (const char* op : {"softmax", "cross_entropy", "nll_loss", "CrossEntropyLoss", "NLLLoss"})
    if (code.find(op) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("every kernel variant this CPU runs passes every kernel check") {
  for (const F32Kernels& k : logitlab::kernels::f32_variants()) {
    if (!logitlab::kernels::supported(k.isa)) {
      static bool warned = false;  // Catch2 reruns this test case once per section
      if (!warned) WARN("kernel variant " << k.name << " is compiled in but this CPU cannot run it: not tested here");
      warned = true;
      continue;
    }
    for (const auto& check : logitlab::kernel_checks::checks()) {
      DYNAMIC_SECTION(k.name << ": " << check.name) {
        const auto outcome = check.run(k);
        INFO(outcome.failure);
        CHECK(outcome.ok);
        CHECK(outcome.compared > 0);
      }
    }
  }
}

TEST_CASE("the core uses the best kernel variant the CPU supports") {
  const F32Kernels& active = logitlab::kernels::f32_kernels();
  CHECK(active.isa == logitlab::kernels::best_f32_isa());
  CHECK(logitlab::kernels::supported(active.isa));
  for (const F32Kernels& k : logitlab::kernels::f32_variants())
    if (logitlab::kernels::supported(k.isa)) CHECK(static_cast<int>(k.isa) <= static_cast<int>(active.isa));
#if defined(__x86_64__)
  CHECK(logitlab::kernels::supported(Isa::Sse2));  // part of x86-64
#endif
}

TEST_CASE("an inexact variant leaves problems under kExactBelow elements to the exact scalar kernel") {
  using logitlab::kernels::f32_kernels_for;
  using logitlab::kernels::kExactBelow;
  for (const F32Kernels& k : logitlab::kernels::f32_variants()) {
    if (!logitlab::kernels::supported(k.isa)) continue;
    ForcedVariant forced(k.isa);
    INFO(k.name);
    CHECK(f32_kernels_for(kExactBelow).isa == k.isa);
    CHECK(f32_kernels_for(kExactBelow - 1).isa == (k.exact ? k.isa : Isa::Scalar));
    CHECK(f32_kernels_for(10).exact);
  }
  CHECK(logitlab::kernels::f32_variants()[0].exact);
}

TEST_CASE("a kernel variant the build or the CPU lacks cannot be forced") {
  CHECK_FALSE(logitlab::kernels::use_f32_kernels(Isa::WasmSimd));  // natively never compiled in
  CHECK(logitlab::kernels::use_f32_kernels(Isa::Scalar));
  CHECK(logitlab::kernels::f32_kernels().isa == Isa::Scalar);
  CHECK(logitlab::kernels::use_f32_kernels(logitlab::kernels::best_f32_isa()));
}

// test_fixtures.cpp runs every fixture with the best variant, and exact variants give the
// scalar kernel's results bit for bit (kernel_checks.cpp); so here the inexact variants (with
// small problems left to the scalar kernel) run the fixtures that exercise the kernels.
TEST_CASE("the golden fixtures print and compute the same with every kernel variant") {
  for (const F32Kernels& k : logitlab::kernels::f32_variants()) {
    if (!logitlab::kernels::supported(k.isa) || k.exact || k.isa == logitlab::kernels::best_f32_isa()) continue;
    ForcedVariant forced(k.isa);
    for (const char* file : {"losses.jsonl", "printing.jsonl", "programs.jsonl"}) {
      for (const auto& f : logitlab::testing::load_fixtures(file)) {
        if (!exercises_kernels(f)) continue;
        INFO(k.name << ": " << f.file << ": " << f.name);
        const auto diffs = logitlab::testing::compare_response(logitlab::run(f.request), f.expected);
        for (const auto& d : diffs) FAIL_CHECK(d);
      }
    }
  }
}
