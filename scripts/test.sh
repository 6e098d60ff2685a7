#!/usr/bin/env bash
# The whole test suite (npm test): native Catch2 tests (release and ASan/UBSan), then the CLI,
# both wasm builds under Node and the page in Chromium through node's test runner, whose TAP
# summary ends the output. Each step prints its duration; any failure stops with non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step() {  # name command...
  local name=$1 t0=$SECONDS status=0
  shift
  echo "test: $name ..."
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "test: FAILED: $name (exit $status)" >&2
    exit "$status"
  fi
  echo "test: $name done in $((SECONDS - t0)) s"
}

step "bootstrap" bash scripts/bootstrap.sh
step "build native-release" bash scripts/build.sh native
step "Catch2 tests (release)" build/native-release/logitlab_tests
step "build native-asan" bash scripts/build.sh asan
step "Catch2 tests (ASan + UBSan)" env ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 build/native-asan/logitlab_tests
# libFuzzer targets (fuzz/README.md), 60 s each under ASan + UBSan; a finding fails the run and
# leaves its reproducer in build/fuzz/findings/.
step "fuzz (libFuzzer + ASan + UBSan)" bash fuzz/run.sh "${LOGITLAB_FUZZ_SECONDS:-60}"
step "build wasm" bash scripts/build.sh wasm
step "build the page" node --no-experimental-fetch scripts/build-web.mjs
echo "test: everything built in $((SECONDS - started)) s; node tests: CLI, wasm under Node, page in Chromium"
node --no-experimental-fetch --test --test-reporter=tap tests/wasm/ tests/web/ tests/browser/
