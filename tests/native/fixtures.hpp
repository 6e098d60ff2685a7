#pragma once
// Golden fixtures from real PyTorch (tests/fixtures/*.jsonl): loading and comparison.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace logitlab::testing {

struct Fixture {
  std::string file;
  std::string name;
  nlohmann::json request;  // "fill" shortcuts already expanded into "data"
  nlohmann::json expected;
  nlohmann::json grad;     // null when absent
};

// Every fixture of one .jsonl file in LOGITLAB_FIXTURE_DIR (empty if the file is missing).
const std::vector<Fixture>& load_fixtures(const std::string& file);

// Differences between a response and the expected one, one line each; empty when they agree:
// stdout, error type/message/line/col exactly; values' dtype and shape exactly and data to
// 1e-5 relative (plus 1e-6 absolute).
std::vector<std::string> compare_response(const nlohmann::json& actual, const nlohmann::json& expected);

// Replaces every input's "fill" shortcut in a request by its "data" (tests/fixtures/README.md).
void expand_fills(nlohmann::json& request);
// Elementwise comparison of flat data lists with the same tolerance.
std::vector<std::string> compare_data(const nlohmann::json& actual, const nlohmann::json& expected,
                                      double rel = 1e-5, double abs = 1e-6);

}  // namespace logitlab::testing
