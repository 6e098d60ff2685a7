// logitlab: the core's run(request) on the command line.
//
//   logitlab run            one request JSON on stdin  -> one response JSON line on stdout
//   logitlab run --jsonl    one request per stdin line -> one response per stdout line
//
// A program that raises is a normal response (exit 0). A malformed request is an error of the
// tool: one line on stderr and exit 2 (in --jsonl mode after the remaining lines are answered).
#include <exception>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "logitlab/api.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // the tool itself failed (out of memory, ...)
constexpr int kExitUsage = 2;    // bad command line or malformed request

constexpr std::string_view kUsage =
    "usage: logitlab run [--jsonl]\n"
    "\n"
    "  logitlab run           read one request JSON from stdin, write one response JSON line\n"
    "  logitlab run --jsonl   read one request per line, write one response per line\n"
    "\n"
    "A program that raises is answered normally (exit 0). A malformed request is reported\n"
    "on stderr and the exit status is 2. The protocol is described in DESIGN.md.\n";

int run_one() {
  const std::string request{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  const auto result = logitlab::run_text(request);
  if (!result.ok) {
    std::cerr << "logitlab: malformed request: " << result.text << '\n';
    return kExitUsage;
  }
  std::cout << result.text << '\n';
  return kExitOk;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

int run_lines() {
  int status = kExitOk;
  std::string line;
  for (long number = 1; std::getline(std::cin, line); ++number) {
    if (is_blank(line)) continue;
    const auto result = logitlab::run_text(line);
    if (result.ok) {
      std::cout << result.text << '\n' << std::flush;  // answer each line as it comes
    } else {
      std::cerr << "logitlab: line " << number << ": malformed request: " << result.text << '\n';
      status = kExitUsage;
    }
  }
  return status;
}

int usage_error() {
  std::cerr << kUsage;
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (argc == 2 && (command == "--help" || command == "-h" || command == "help")) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command != "run" || argc > 3) return usage_error();
  const bool jsonl = argc == 3;
  if (jsonl && std::string_view(argv[2]) != "--jsonl") return usage_error();
  try {
    return jsonl ? run_lines() : run_one();
  } catch (const std::exception& e) {
    std::cerr << "logitlab: " << e.what() << '\n';
    return kExitFailure;
  }
}
