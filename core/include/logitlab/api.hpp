#pragma once
// The request/response entry point shared by the native CLI and the wasm module.
// See DESIGN.md "The request/response protocol".
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "logitlab/tensor.hpp"

namespace logitlab {

// A request that is not a valid protocol request (bad JSON, missing "code", wrong field types).
// This is an error of the caller, not of the program: a program that raises is a normal response.
struct RequestError {
  std::string message;
};

// Runs one parsed request. Throws RequestError when the request itself is malformed.
// Never throws for anything the program does.
nlohmann::json run(const nlohmann::json& request);

// Text in, text out. On success `ok` is true and `text` is the response JSON (one line).
// On a malformed request `ok` is false and `text` is a one-line description of the problem.
// One request input ({"dtype", "shape", "data"}) as a tensor; without "data", a shape-only
// (meta) tensor. Throws RequestError naming `inputs.<name>` when it is malformed.
Tensor parse_input(const std::string& name, const nlohmann::json& spec, std::int64_t max_elements);

// The longest request run_text() reads (max_request_bytes); a longer one is refused unparsed.
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024 * 1024;

struct RunTextResult {
  bool ok;
  std::string text;
};
RunTextResult run_text(std::string_view request_json);

}  // namespace logitlab
