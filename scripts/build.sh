#!/usr/bin/env bash
# Builds with the CMake presets. Usage: scripts/build.sh [native|asan|wasm|all]...  (default: all)
#   native  build/native-release: the CLI `logitlab` and the tests `logitlab_tests`
#   asan    build/native-asan:    the same with AddressSanitizer + UBSan
#   wasm    build/wasm:           logitlab_simd and logitlab_nosimd, copied with their loader
#                                 (wasm/logitlab.mjs) to web/dist/, where the page and tests load them
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs  # Debian's emcc loads acorn from there

build_preset() {  # configure-preset [build-preset]
  [ -f "build/$1/CMakeCache.txt" ] || cmake --preset "$1" >/dev/null
  cmake --build --preset "${2:-$1}"
}

build_wasm() {
  build_preset wasm wasm
  mkdir -p web/dist
  cp build/wasm/logitlab.mjs build/wasm/logitlab_simd.{mjs,wasm} build/wasm/logitlab_nosimd.{mjs,wasm} web/dist/
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
for target in "${targets[@]}"; do
  case "$target" in
    native) echo "build: native-release"; build_preset native-release ;;
    asan)   echo "build: native-asan"; build_preset native-asan ;;
    wasm)   echo "build: wasm (simd128 and no-SIMD)"; build_wasm ;;
    all)    "$0" native asan wasm ;;
    *) echo "usage: scripts/build.sh [native|asan|wasm|all]..." >&2; exit 2 ;;
  esac
done
