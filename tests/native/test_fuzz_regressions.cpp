// Findings of the fuzzers (fuzz/README.md), each fixed and kept here with PyTorch 1.13's answer.
// Their reproducers also stay in fuzz/regressions/<target>/, which fuzz/run.sh replays.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "logitlab/api.hpp"

using nlohmann::json;

namespace {

json run_code(const std::string& code) { return logitlab::run(json{{"code", code}, {"seed", 0}}); }

}  // namespace

// fuzz_request: int64 overflow (UB) computing the strides of the repeated shape.
TEST_CASE("fuzz regression: repeat to a shape whose size overflows") {
  const json r = run_code("import torch\nx = torch.zeros(3).repeat(10 ** 9, 12 ** 9)");
  INFO(r.dump());
  REQUIRE(r["error"].is_object());
  CHECK(r["error"]["type"] == "RuntimeError");
  CHECK(r["error"]["message"] == "Storage size calculation overflowed with sizes=[1000000000, 15479341056]");
  CHECK(r["error"]["line"] == 2);
}

TEST_CASE("fuzz regression: shapes whose size in bytes overflows") {
  // PyTorch 1.13: torch.zeros(2**60, 4) and torch.zeros(2**61, 4, dtype=torch.bool) raise; a
  // shape with a 0 holds nothing and is fine.
  json r = run_code("import torch\nx = torch.zeros(2**60, 4)");
  CHECK(r["error"]["message"] == "Storage size calculation overflowed with sizes=[1152921504606846976, 4]");
  r = run_code("import torch\nx = torch.zeros(2**61, 4, dtype=torch.bool)");
  CHECK(r["error"]["message"] == "Storage size calculation overflowed with sizes=[2305843009213693952, 4]");
  r = run_code("import torch\nx = torch.zeros(0, 2**62, 2**62)\nprint(x.shape)");
  CHECK(r["error"].is_null());
  CHECK(r["stdout"] == "torch.Size([0, 4611686018427387904, 4611686018427387904])\n");
}
