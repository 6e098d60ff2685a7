// Fuzz target: the whole run(request) with the interpreter, the input bytes being the program,
// with the inputs the fixtures' programs use most (logits, target, labels, x, w) bound.
// The budgets are small (max_elements 2^16, max_ops 2000) so that each execution is quick; the
// limits themselves are tested in tests/native/test_limits.cpp. The response must always be a
// well-formed protocol response whose error, if any, is a Python exception type: an
// "InternalError" (a C++ exception escaping the interpreter) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "logitlab/api.hpp"
#include "fuzz_common.hpp"

namespace {

nlohmann::json tensor(const char* dtype, nlohmann::json shape, nlohmann::json data) {
  return {{"dtype", dtype}, {"shape", std::move(shape)}, {"data", std::move(data)}};
}

const nlohmann::json& inputs() {
  static const nlohmann::json j = {
      {"logits", tensor("float32", {4, 5}, {0.5, -1.25, 2.0, 0.0, 3.5, 1.0, 1.0, -0.5, 0.25, -2.0,
                                            -3.0, 0.75, 1.5, 2.5, -0.125, 0.0, 4.0, -1.0, 1.0, 0.5})},
      {"target", tensor("int64", {4}, {0, 4, 2, 1})},
      {"labels", tensor("int64", {4}, {3, 0, 1, 4})},
      {"x", tensor("float32", {2, 3}, {1.0, -2.0, 0.5, "nan", "inf", -0.0})},
      {"w", tensor("float32", {3}, {0.25, 1.0, 2.0})}};
  return j;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string code(reinterpret_cast<const char*>(data), size);
  nlohmann::json request = {{"code", code},
                            {"seed", 0},
                            {"max_elements", 1 << 16},
                            {"max_ops", 2000},
                            {"outputs", {"x", "y", "loss", "logits", "labels"}},
                            {"inputs", inputs()}};
  nlohmann::json response;
  try {
    response = logitlab::run(request);
  } catch (const logitlab::RequestError& e) {
    logitlab_fuzz::fail("run() refused a request whose only variable part is the code: " + e.message, code);
  }
  logitlab_fuzz::check_response_text(response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), code);
  return 0;
}
