// Fuzz target: the protocol's text entry point, run_text(), with arbitrary bytes as the request
// (budgets capped: see kCaps).
// Most inputs are not JSON; the seed corpus (fuzz/make_corpus.mjs) holds every fixture's request,
// so mutations explore the request's fields (inputs, shapes, dtypes, limits) and, through "code",
// the interpreter. Any crash, sanitizer report, leak, timeout or out-of-memory is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "logitlab/api.hpp"
#include "fuzz_common.hpp"

namespace {

// A request may raise its own budgets without bound (the caller decides what to spend), and the
// defaults allow programs that take seconds under the sanitizers. The fuzzer keeps every run
// quick: a request that is a JSON object gets budgets no larger than these (smaller ones it sets
// stay), and is sent re-serialised; anything else is sent as its raw bytes. The limits
// themselves are tested by tests/native/test_limits.cpp.
constexpr std::pair<const char*, std::int64_t> kCaps[] = {
    {"max_elements", std::int64_t{1} << 18}, {"max_work", std::int64_t{1} << 23},
    {"max_ops", 5000},                       {"max_code_bytes", std::int64_t{1} << 20},
    {"max_output_bytes", std::int64_t{1} << 20}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  std::string capped;
  auto j = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    for (const auto& [key, cap] : kCaps)
      if (!j.contains(key) || (j[key].is_number_integer() && j[key].get<std::int64_t>() > cap)) j[key] = cap;
    capped = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  const std::string_view request = j.is_object() ? std::string_view(capped) : raw;
  const logitlab::RunTextResult result = logitlab::run_text(request);
  if (result.text.empty()) logitlab_fuzz::fail("run_text answered with empty text", request);
  if (result.ok) logitlab_fuzz::check_response_text(result.text, request);
  else logitlab_fuzz::check_refusal(result.text, request);
  return 0;
}
