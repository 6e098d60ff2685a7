// Malformed and hostile programs and requests (tests/fixtures/hostile_programs.jsonl): each gets
// an acceptable answer — a response with an allowed error type, or a refusal of a malformed
// request — and never a crash or a hang (the sanitizer build runs this too).
#include <catch2/catch.hpp>

#include <fstream>

#include "fixtures.hpp"
#include "logitlab/api.hpp"

using nlohmann::json;

namespace {

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

// The request text to send, with the file's shortcuts expanded.
std::string request_text(const json& c) {
  if (c.contains("request_text")) return c["request_text"].get<std::string>();
  if (c.contains("request_hex")) return from_hex(c["request_hex"].get<std::string>());
  json request = c["request"];
  logitlab::testing::expand_fills(request);
  if (request.contains("code_repeat")) {
    const json r = request["code_repeat"];
    std::string code = r.value("prefix", "");
    const std::string text = r["text"];
    const auto times = r["times"].get<std::int64_t>();
    code.reserve(code.size() + text.size() * static_cast<std::size_t>(times) + 64);
    for (std::int64_t i = 0; i < times; ++i) code += text;
    code += r.value("suffix", "");
    request.erase("code_repeat");
    request["code"] = std::move(code);
  }
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("hostile programs and requests get a clear answer, never a crash") {
  std::ifstream in(std::string(LOGITLAB_FIXTURE_DIR) + "/hostile_programs.jsonl");
  std::string line;
  std::size_t cases = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const json c = json::parse(line);
    const json expect = c["expect"];
    INFO(c["name"].get<std::string>());
    const auto result = logitlab::run_text(request_text(c));
    ++cases;
    if (expect.value("rejects_request", false)) {
      CHECK_FALSE(result.ok);
      CHECK_FALSE(result.text.empty());
      continue;
    }
    if (!result.ok) {
      INFO("refused: " << result.text);
      CHECK(expect.value("may_reject_request", false));
      continue;
    }
    const json response = json::parse(result.text);
    REQUIRE(response.contains("error"));
    const json allowed = expect.value("error_type_any_of", json());
    if (allowed.is_array()) {
      const json got = response["error"].is_null() ? json() : response["error"]["type"];
      INFO("error: " << response["error"].dump().substr(0, 300));
      CHECK(std::find(allowed.begin(), allowed.end(), got) != allowed.end());
    }
    if (c.contains("expected")) {
      const auto diffs = logitlab::testing::compare_response(response, c["expected"]);
      for (const auto& d : diffs) FAIL_CHECK(d);
    }
  }
  CHECK(cases >= 200);
}
