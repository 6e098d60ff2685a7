// The limits of one run (DESIGN.md "Limits"): every budget has a default, is enforced by the core
// and ends the program with an error that names it. The programs the issue names (a 10**6 x 10**6
// tensor, 100,000 nested parentheses, a million-line program, a 10 MB line) each end in a clear
// error; their times are measured by hand (see fuzz/README.md), not asserted here.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "logitlab/api.hpp"
#include "logitlab/lang/interpreter.hpp"
#include "logitlab/lang/parser.hpp"

using nlohmann::json;

namespace {

json run_code(const std::string& code, json extra = json::object()) {
  json request = {{"code", code}};
  for (auto& [k, v] : extra.items()) request[k] = v;
  return logitlab::run(request);
}

std::string repeat(const std::string& s, std::size_t times) {
  std::string out;
  out.reserve(s.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += s;
  return out;
}

bool contains(const json& v, const std::string& needle) {
  return v.is_string() && v.get<std::string>().find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("limits: defaults") {
  const logitlab::lang::Limits limits;
  CHECK(limits.max_elements == 64 * 1024 * 1024);
  CHECK(limits.max_ops == 100000);
  CHECK(limits.max_code_bytes == 16 * 1024 * 1024);
  CHECK(limits.max_output_bytes == 1024 * 1024);
  CHECK(limits.max_work == 536870912);
  CHECK(logitlab::lang::kMaxTokens == 1048576);
  CHECK(logitlab::lang::kMaxExpressionDepth == 200);
  CHECK(logitlab::kMaxRequestBytes == 64u * 1024 * 1024);
}

TEST_CASE("limits: torch.randn(10**6, 10**6) is over max_elements") {
  const json r = run_code("import torch\nx = torch.randn(10**6, 10**6)\n");
  INFO(r.dump());
  REQUIRE(r["error"].is_object());
  CHECK(r["error"]["type"] == "MemoryError");
  CHECK(contains(r["error"]["message"], "max_elements = 67108864"));
  CHECK(r["error"]["line"] == 2);
  // Its shape is still known: shapes are checked before any data is touched.
  CHECK(r["variables"]["x"]["shape"] == json({1000000, 1000000}));
}

TEST_CASE("limits: max_elements from the request") {
  const json r = run_code("import torch\nx = torch.zeros(10, 11)\nprint(x.sum())\n", {{"max_elements", 100}});
  INFO(r.dump());
  REQUIRE(r["error"].is_object());
  CHECK(r["error"]["type"] == "MemoryError");
  CHECK(contains(r["error"]["message"], "max_elements = 100"));
}

TEST_CASE("limits: max_elements counts tensors wherever they are kept") {
  const json budget = {{"max_elements", 100}};
  // In a list or a tuple, not only in variables (found by the page's out-of-memory test: five
  // float64 8000x8000 tensors in one list used to pass the budget and exhaust wasm's memory).
  for (const char* code : {"a = [torch.zeros(60), torch.zeros(60)]\n", "a = (torch.zeros(60), torch.zeros(60))\n",
                           "a = [torch.zeros(60)]\nb = [a, torch.zeros(60)]\n"}) {
    INFO(code);
    const json r = run_code(code, budget);
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "MemoryError");
    CHECK(contains(r["error"]["message"], "live tensor elements"));
    CHECK(contains(r["error"]["message"], "max_elements = 100"));
  }
  // Under the budget, and a view, which holds no elements of its own.
  for (const char* code : {"a = [torch.zeros(40), torch.zeros(40)]\n", "x = torch.zeros(60)\nv = [x.view(6, 10), x[:30]]\n"}) {
    INFO(code);
    CHECK(run_code(code, budget)["error"].is_null());
  }
  // Elements freed when the last name lets go of them no longer count.
  CHECK(run_code("a = [torch.zeros(60)]\na = None\nb = [torch.zeros(60)]\n", budget)["error"].is_null());
  // A view larger than the budget is refused as it is made: anything reading it would read all.
  const json r = run_code("x = torch.zeros(1).expand(10 ** 10)\ny = x.sum()\n");
  REQUIRE(r["error"].is_object());
  CHECK(r["error"]["type"] == "MemoryError");
  CHECK(r["error"]["line"] == 1);
  CHECK(contains(r["error"]["message"], "max_elements = 67108864"));
}

TEST_CASE("limits: 100,000 nested parentheses") {
  const std::string code = "x = " + repeat("(", 100000) + "1" + repeat(")", 100000) + "\n";
  const json r = run_code(code);
  INFO(r["error"].dump());
  REQUIRE(r["error"].is_object());
  // CPython 3.11's own answer (its tokenizer allows 200 levels).
  CHECK(r["error"]["type"] == "SyntaxError");
  CHECK(r["error"]["message"] == "too many nested parentheses");
  CHECK(r["error"]["line"] == 1);
}

TEST_CASE("limits: expression depth without brackets") {
  const json r = run_code("x = " + repeat("-", 100000) + "1\n");
  INFO(r["error"].dump());
  REQUIRE(r["error"].is_object());
  CHECK(r["error"]["type"] == "SyntaxError");
  CHECK(contains(r["error"]["message"], "Logit Lab allows 200 levels"));
}

TEST_CASE("limits: a million-line program is over max_code_tokens") {
  const json r = run_code(repeat("x = 1\n", 1000000));
  INFO(r["error"].dump());
  REQUIRE(r["error"].is_object());
  CHECK(r["error"]["type"] == "MemoryError");
  CHECK(contains(r["error"]["message"], "max_code_tokens = 1048576"));
  CHECK(r["error"]["line"] == 262145);  // 4 tokens a line: x = 1 NEWLINE
  CHECK(r["stdout"] == "");             // nothing ran
}

TEST_CASE("limits: a program under max_code_tokens but over max_ops") {
  const json r = run_code(repeat("x = 1\n", 200000));
  INFO(r["error"].dump());
  REQUIRE(r["error"].is_object());
  CHECK(r["error"]["type"] == "TimeoutError");
  CHECK(contains(r["error"]["message"], "max_ops = 100000"));
  CHECK(r["error"]["line"] == 100001);
}

TEST_CASE("limits: max_ops from the request, not catchable") {
  const json r = run_code("try:\n    x = 1\n    x = 2\n    x = 3\nexcept Exception:\n    print('caught')\n",
                          {{"max_ops", 3}});
  INFO(r.dump());
  REQUIRE(r["error"].is_object());
  CHECK(r["error"]["type"] == "TimeoutError");
  CHECK(contains(r["error"]["message"], "max_ops = 3"));
  CHECK(r["error"]["line"] == 4);
  CHECK(r["stdout"] == "");
}

TEST_CASE("limits: max_work bounds few but heavy operations") {
  SECTION("default: 2**29 elements read and written") {
    // Each line reads 16 Mi elements and writes 16 Mi: the 17th line passes 2**29.
    std::string code = "import torch\nx = torch.ones(4096, 4096)\n";
    for (int i = 0; i < 40; ++i) code += "y = x * 2\n";
    const json r = run_code(code);
    INFO(r["error"].dump());
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "TimeoutError");
    CHECK(contains(r["error"]["message"], "max_work = 536870912"));
    CHECK(r["error"]["line"] == 18);
  }
  SECTION("from the request, calls and operators alike, not catchable") {
    const json r = run_code("import torch\ntry:\n    x = torch.ones(10, 10)\n    y = F.softmax(x, dim=1)\n    z = x + y\n"
                            "except Exception:\n    print('caught')\n",
                            {{"max_work", 350}});
    INFO(r.dump());
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "TimeoutError");
    CHECK(contains(r["error"]["message"], "max_work = 350"));
    CHECK(r["error"]["line"] == 5);  // 100 + 200 + 300 elements
    CHECK(r["stdout"] == "");
  }
}

TEST_CASE("limits: 10 MB lines") {
  SECTION("a chain of additions: over max_code_tokens") {
    const json r = run_code("x = " + repeat("1+", 5000000) + "1\n");
    INFO(r["error"].dump());
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "MemoryError");
    CHECK(contains(r["error"]["message"], "max_code_tokens"));
  }
  SECTION("one 10 MB name: Python's NameError") {
    const json r = run_code("x = " + repeat("a", 10000000) + "\n");
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "NameError");
  }
  SECTION("10 MB of open parentheses: CPython's SyntaxError") {
    const json r = run_code(repeat("(", 10000000));
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "SyntaxError");
    CHECK(r["error"]["message"] == "too many nested parentheses");
  }
  SECTION("a 10 MB list literal: over max_code_tokens") {
    const json r = run_code("x = [" + repeat("1,", 5000000) + "]\n");
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "MemoryError");
    CHECK(contains(r["error"]["message"], "max_code_tokens"));
  }
}

TEST_CASE("limits: max_code_bytes") {
  SECTION("default: 16 MiB") {
    const json r = run_code(repeat("#", 16 * 1024 * 1024 + 1));
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "MemoryError");
    CHECK(r["error"]["message"] ==
          "the program is 16777217 bytes long, more than Logit Lab's limit of max_code_bytes = 16777216");
  }
  SECTION("from the request") {
    const json r = run_code("print('hello')", {{"max_code_bytes", 10}});
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "MemoryError");
    CHECK(contains(r["error"]["message"], "max_code_bytes = 10"));
    CHECK(r["stdout"] == "");
  }
  SECTION("exactly at the limit runs") {
    const json r = run_code("print('hi')", {{"max_code_bytes", 11}});
    CHECK(r["error"].is_null());
    CHECK(r["stdout"] == "hi\n");
  }
}

TEST_CASE("limits: max_output_bytes") {
  SECTION("default: 1 MiB, the output is cut there") {
    const json r = run_code("s = 'ab' * 300000\nprint(s)\nprint(s)\nprint('never')\n");
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "MemoryError");
    CHECK(contains(r["error"]["message"], "max_output_bytes = 1048576"));
    CHECK(r["error"]["line"] == 3);
    CHECK(r["stdout"].get<std::string>().size() == 1048576);
  }
  SECTION("from the request, cut at a character boundary, not catchable") {
    const json r = run_code("try:\n    print('\xc3\xa9' * 100)\nexcept Exception:\n    print('caught')\n",
                            {{"max_output_bytes", 51}});
    REQUIRE(r["error"].is_object());
    CHECK(r["error"]["type"] == "MemoryError");
    CHECK(contains(r["error"]["message"], "max_output_bytes = 51"));
    CHECK(r["stdout"] == repeat("\xc3\xa9", 25));
  }
  SECTION("up to the limit is fine") {
    const json r = run_code("print('abc')", {{"max_output_bytes", 4}});
    CHECK(r["error"].is_null());
    CHECK(r["stdout"] == "abc\n");
  }
}

TEST_CASE("limits: request fields must be positive integers") {
  for (const char* key : {"max_elements", "max_ops", "max_code_bytes", "max_output_bytes", "max_work"}) {
    INFO(key);
    for (const json& bad : {json(0), json(-1), json("10"), json(1.5)}) {
      const auto r = logitlab::run_text(json({{"code", "x = 1"}, {key, bad}}).dump());
      CHECK_FALSE(r.ok);
      CHECK(r.text == std::string(key) + " must be a positive integer");
    }
  }
}

TEST_CASE("limits: max_request_bytes") {
  std::string request = R"({"code": "x = 1", "pad": ")";
  request += std::string(logitlab::kMaxRequestBytes, 'a');
  request += R"("})";
  const auto r = logitlab::run_text(request);
  CHECK_FALSE(r.ok);
  CHECK(r.text.find("max_request_bytes") != std::string::npos);
  CHECK(r.text.find("67108864") != std::string::npos);
}
