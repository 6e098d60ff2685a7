// The native side of `npm run bench` (bench/run.mjs runs it once per round): the core's
// cross-entropy with each kernel variant this CPU supports, and one protocol request end to end.
//   logitlab_bench [--warmup-ms 200] [--samples 21] [--sample-ms 20] [--shapes 384x2971,...]
//                  [--request file.json]...   (protocol requests timed end to end, in-process)
// Prints one JSON object: {"cpu": ..., "variants": [...], "results": [{"impl", "shape", "mode", timing}],
// "e2e": [{"request": index, timing}]}.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ce_workload.hpp"
#include "logitlab/api.hpp"
#include "logitlab/kernels/dispatch.hpp"

namespace {

using nlohmann::json;
namespace bench = logitlab::bench;

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

json timing_json(const bench::Timing& t) { return json::parse(bench::to_json(t)); }

// logitlab::run_text(request) end to end: parse the request, run the program, write the answer.
json time_request(const std::string& request, double warmup_ms, int samples, double sample_ms) {
  return timing_json(bench::time_calls([&] { return static_cast<double>(logitlab::run_text(request).text.size()); },
                                       warmup_ms, samples, sample_ms));
}

}  // namespace

int main(int argc, char** argv) {
  double warmup_ms = 200, sample_ms = 20;
  int samples = 21;
  std::vector<std::pair<std::int64_t, std::int64_t>> shapes = {{384, 2971}, {4096, 1000}, {64, 50257}, {8, 10}};
  std::vector<std::string> requests;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--warmup-ms") warmup_ms = std::atof(value.c_str());
    else if (flag == "--samples") samples = std::atoi(value.c_str());
    else if (flag == "--sample-ms") sample_ms = std::atof(value.c_str());
    else if (flag == "--shapes") {
      shapes.clear();
      for (std::size_t at = 0; at < value.size();) {
        const std::size_t comma = std::min(value.find(',', at), value.size());
        const std::string s = value.substr(at, comma - at);
        shapes.emplace_back(std::atoll(s.c_str()), std::atoll(s.substr(s.find('x') + 1).c_str()));
        at = comma + 1;
      }
    } else if (flag == "--request") {  // a file holding one protocol request, timed end to end
      std::ifstream in(value);
      requests.emplace_back(std::string(std::istreambuf_iterator<char>(in), {}));
    } else {
      std::cerr << "logitlab_bench: unknown flag " << flag << "\n";
      return 2;
    }
  }
  json out{{"cpu", cpu_model()}, {"variants", json::array()}, {"results", json::array()}, {"e2e", json::array()}};
  const auto best = logitlab::kernels::best_f32_isa();
  for (const auto& k : logitlab::kernels::f32_variants()) {
    out["variants"].push_back({{"name", k.name}, {"supported", logitlab::kernels::supported(k.isa)}});
    if (!logitlab::kernels::use_f32_kernels(k.isa)) continue;
    for (const auto& [rows, classes] : shapes) {
      const bench::Workload w = bench::make_workload(rows, classes);
      for (const auto mode : {bench::Mode::Forward, bench::Mode::ForwardBackward}) {
        json r = timing_json(bench::time_ce(w, mode, warmup_ms, samples, sample_ms));
        r["impl"] = std::string("native ") + k.name;
        r["shape"] = {rows, classes};
        r["mode"] = mode == bench::Mode::Forward ? "forward" : "forward+backward";
        out["results"].push_back(std::move(r));
      }
    }
  }
  logitlab::kernels::use_f32_kernels(best);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    json r = time_request(requests[i], warmup_ms, samples, sample_ms);
    r["request"] = i;
    out["e2e"].push_back(std::move(r));
  }
  std::cout << out.dump() << "\n";
}
