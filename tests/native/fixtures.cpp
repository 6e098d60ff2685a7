#include "fixtures.hpp"

#include <cmath>
#include <fstream>
#include <map>

#include "logitlab/str.hpp"

namespace logitlab::testing {
namespace {

using nlohmann::json;

// The fixture generator's shortcuts for big inputs (tests/fixtures/README.md).
void expand_fill(json& input) {
  if (!input.contains("fill")) return;
  const json fill = input["fill"];
  input.erase("fill");
  std::int64_t n = 1;
  for (const auto& d : input["shape"]) n *= d.get<std::int64_t>();
  const std::string dtype = input["dtype"];
  json data = json::array();
  const std::string kind = fill["kind"];
  for (std::int64_t i = 0; i < n; ++i) {
    if (kind == "wave") {
      const double v = 3.0 * std::sin(0.7 * static_cast<double>(i) + 0.3);
      data.push_back(dtype == "float32" ? static_cast<double>(static_cast<float>(v)) : v);
    } else if (kind == "mod") {
      data.push_back((7 * i + 3) % fill["modulus"].get<std::int64_t>());
    } else if (kind == "arange") {
      data.push_back(i);
    }
  }
  input["data"] = std::move(data);
}

bool is_special(const json& v) { return v.is_string(); }

}  // namespace

void expand_fills(json& request) {
  if (request.contains("inputs") && request["inputs"].is_object())
    for (auto& [name, spec] : request["inputs"].items()) expand_fill(spec);
}

const std::vector<Fixture>& load_fixtures(const std::string& file) {
  static std::map<std::string, std::vector<Fixture>> cache;
  auto it = cache.find(file);
  if (it != cache.end()) return it->second;
  std::vector<Fixture> out;
  std::ifstream in(std::string(LOGITLAB_FIXTURE_DIR) + "/" + file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json j = json::parse(line);
    Fixture f;
    f.file = file;
    f.name = j["name"];
    f.request = j["request"];
    if (f.request.contains("inputs"))
      for (auto& [name, spec] : f.request["inputs"].items()) expand_fill(spec);
    f.expected = j["expected"];
    f.grad = j.value("grad", json());
    out.push_back(std::move(f));
  }
  return cache.emplace(file, std::move(out)).first->second;
}

std::vector<std::string> compare_data(const json& actual, const json& expected, double rel, double abs) {
  std::vector<std::string> diffs;
  if (!actual.is_array() || !expected.is_array() || actual.size() != expected.size()) {
    diffs.push_back(cat("data: expected ", expected.size(), " values, got ", actual.dump().substr(0, 200)));
    return diffs;
  }
  for (std::size_t i = 0; i < expected.size() && diffs.size() < 5; ++i) {
    const json& a = actual[i];
    const json& e = expected[i];
    bool ok;
    if (is_special(e) || is_special(a) || e.is_boolean() || a.is_boolean()) ok = a == e;
    else if (e.is_number_integer() && a.is_number_integer()) ok = a.get<std::int64_t>() == e.get<std::int64_t>();
    else {
      const double x = a.get<double>(), y = e.get<double>();
      ok = std::fabs(x - y) <= rel * std::max(std::fabs(x), std::fabs(y)) + abs;
    }
    if (!ok) diffs.push_back(cat("data[", i, "]: expected ", e.dump(), ", got ", a.dump()));
  }
  return diffs;
}

std::vector<std::string> compare_response(const json& actual, const json& expected) {
  std::vector<std::string> diffs;
  if (actual.value("stdout", "") != expected["stdout"])
    diffs.push_back(cat("stdout: expected\n", expected["stdout"].get<std::string>(), "\ngot\n",
                        actual.value("stdout", "")));
  const json& ae = actual["error"];
  const json& ee = expected["error"];
  if (ee.is_null() != ae.is_null()) {
    diffs.push_back(cat("error: expected ", ee.dump(), ", got ", ae.dump()));
  } else if (!ee.is_null()) {
    for (const char* key : {"type", "message", "line", "col"})
      if (ae[key] != ee[key]) diffs.push_back(cat("error.", key, ": expected ", ee[key].dump(), ", got ", ae[key].dump()));
  }
  for (const auto& [name, ev] : expected["values"].items()) {
    const json av = actual["values"].value(name, json());
    if (ev.is_null() || av.is_null()) {
      if (ev.is_null() != av.is_null()) diffs.push_back(cat("values.", name, ": expected ", ev.dump(), ", got ", av.dump().substr(0, 200)));
      continue;
    }
    if (av["dtype"] != ev["dtype"] || av["shape"] != ev["shape"]) {
      diffs.push_back(cat("values.", name, ": expected ", ev["dtype"].dump(), ev["shape"].dump(), ", got ",
                          av["dtype"].dump(), av["shape"].dump()));
      continue;
    }
    const json ad = av["data"].is_array() ? av["data"] : json::array({av["data"]});
    const json ed = ev["data"].is_array() ? ev["data"] : json::array({ev["data"]});
    for (auto& d : compare_data(ad, ed)) diffs.push_back(cat("values.", name, ".", d));
  }
  return diffs;
}

}  // namespace logitlab::testing
