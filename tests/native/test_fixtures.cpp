// Every golden fixture from real PyTorch, through the same run() the CLI and wasm module use.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

#include "fixtures.hpp"
#include "logitlab/api.hpp"
#include "logitlab/lang/interpreter.hpp"

using logitlab::testing::compare_data;
using logitlab::testing::compare_response;
using logitlab::testing::load_fixtures;
using nlohmann::json;

namespace {

// Programs whose answer needs Python integers beyond 64 bits, which Logit Lab does not have:
// it must say so (NotImplementedError), never print a wrong number.
const std::set<std::string> kBeyond64BitInts = {"lang_print_big_ints", "factory_tensor_overflow"};

void check_file(const std::string& file, std::size_t at_least) {
  const auto& fixtures = load_fixtures(file);
  REQUIRE(fixtures.size() >= at_least);
  for (const auto& f : fixtures) {
    INFO(f.file << ": " << f.name << "\n" << f.request["code"].get<std::string>());
    const json response = logitlab::run(f.request);
    if (kBeyond64BitInts.count(f.name)) {
      INFO(response.dump());
      REQUIRE(response["error"].is_object());
      CHECK(response["error"]["type"] == "NotImplementedError");
      continue;
    }
    const auto diffs = compare_response(response, f.expected);
    for (const auto& d : diffs) FAIL_CHECK(d);
    CHECK(diffs.empty());
  }
}

}  // namespace

TEST_CASE("loss fixtures: run() answers what PyTorch answers") { check_file("losses.jsonl", 150); }

TEST_CASE("printing fixtures: print() shows what PyTorch shows") { check_file("printing.jsonl", 80); }

TEST_CASE("program fixtures: pasted programs answer what PyTorch answers") { check_file("programs.jsonl", 330); }

TEST_CASE("loss fixtures: gradients agree with PyTorch's autograd") {
  std::size_t checked = 0;
  for (const auto& f : load_fixtures("losses.jsonl")) {
    if (f.grad.is_null()) continue;
    INFO(f.name << "\n" << f.request["code"].get<std::string>());
    logitlab::lang::Interpreter interp({});
    for (const auto& [name, spec] : f.request["inputs"].items())
      interp.bind(name, logitlab::parse_input(name, spec, 1 << 26));
    const auto r = interp.exec(f.request["code"]);
    REQUIRE_FALSE(r.error.has_value());
    const auto grad = interp.gradient(f.grad["output"], f.grad["of"]);
    REQUIRE(grad.has_value());
    json data = json::array();
    for (std::int64_t i = 0; i < grad->numel(); ++i) {
      const double g = grad->item_as_double(i);
      if (std::isnan(g)) data.push_back("nan");
      else if (std::isinf(g)) data.push_back(g > 0 ? "inf" : "-inf");
      else data.push_back(g);
    }
    const auto diffs = compare_data(data, f.grad["data"], 1e-4, 1e-6);
    for (const auto& d : diffs) FAIL_CHECK(d);
    ++checked;
  }
  CHECK(checked >= 100);
}
