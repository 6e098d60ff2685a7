// The wasm boundary: one request JSON in, one response JSON out, both UTF-8 C strings.
// Everything else (parsing, running, error handling) is the core's run_text().
#include <cstdlib>
#include <cstring>
#include <string>

#include <emscripten/emscripten.h>
#include <nlohmann/json.hpp>

#include "logitlab/api.hpp"

namespace {

char* copy_to_heap(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

}  // namespace

// Returns a malloc'd response; the caller frees it with logitlab_free. A malformed request
// answers {"request_error": "<message>"}. Returns null only when memory is exhausted.
extern "C" EMSCRIPTEN_KEEPALIVE char* logitlab_run(const char* request) {
  try {
    const auto result = logitlab::run_text(request ? request : "");
    if (result.ok) return copy_to_heap(result.text);
    const nlohmann::json error{{"request_error", result.text}};
    return copy_to_heap(error.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (...) {
    // run_text catches everything it knows of; this is the last guard against an abort.
    return copy_to_heap(R"({"request_error": "Logit Lab failed internally"})");
  }
}

extern "C" EMSCRIPTEN_KEEPALIVE void logitlab_free(char* response) { std::free(response); }
