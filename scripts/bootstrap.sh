#!/usr/bin/env bash
# Installs what the build and the tests need; quiet and quick when everything is there.
#   Debian packages: toolchains, header-only libraries, Catch2, Chromium, Node.
#   npm packages:    `npm ci` when node_modules is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ emscripten binaryen wabt xtensor-dev xtl-dev libxsimd-dev
          nlohmann-json3-dev catch2 chromium
          clang-14 libclang-rt-14-dev)  # clang's libFuzzer and sanitizer runtimes (fuzz/run.sh)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Node may come from Debian or from elsewhere (e.g. NodeSource, whose nodejs bundles npm).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: please install these Debian packages (or their equivalents): ${missing[*]}" >&2
    exit 1
  fi
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "bootstrap: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
   || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  echo "bootstrap: installing npm packages"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
fi
