#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*.cpp) with clang-14, ASan and UBSan in build/fuzz, seeds
# them from the fixtures and runs each for a fixed time. Any crash, sanitizer report, leak,
# timeout or out-of-memory fails the run and leaves the reproducer in build/fuzz/findings/.
#
#   bash fuzz/run.sh [seconds-per-target]     (default 60; LOGITLAB_FUZZ_SECONDS also works)
#   bash fuzz/run.sh --regress                 only replay fuzz/regressions/ (fixed findings)
#   LOGITLAB_FUZZ_TARGETS="fuzz_parse" bash fuzz/run.sh 600      one target, longer
#
# Reproduce a finding:  build/fuzz/fuzz_run build/fuzz/findings/fuzz_run-crash-<sha1>
# The corpus each target grows stays in build/fuzz/corpus/<target>/ between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${LOGITLAB_FUZZ_SECONDS:-60}
regress_only=0
case "${1:-}" in
  --regress) regress_only=1 ;;
  "") ;;
  *) seconds=$1 ;;
esac
targets=(${LOGITLAB_FUZZ_TARGETS:-fuzz_request fuzz_parse fuzz_run})
dir=build/fuzz
cxx=${LOGITLAB_FUZZ_CXX:-clang++-14}
cc=${LOGITLAB_FUZZ_CC:-clang-14}
sanitize=(-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

command -v "$cxx" >/dev/null || { echo "fuzz: $cxx not found (Debian packages clang-14 libclang-rt-14-dev)" >&2; exit 1; }

# The core, instrumented for coverage and built with both sanitizers (LOGITLAB_SANITIZE).
if [ ! -f "$dir/CMakeCache.txt" ]; then
  CC=$cc CXX=$cxx cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" -DLOGITLAB_SANITIZE=ON \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link" >/dev/null
fi
cmake --build "$dir" --target logitlab_core

# The targets: small files, linked against the core with libFuzzer's main.
launcher=()
command -v ccache >/dev/null && launcher=(ccache)
for t in "${targets[@]}"; do
  if [ ! -x "$dir/$t" ] || [ "fuzz/$t.cpp" -nt "$dir/$t" ] || [ fuzz/fuzz_common.hpp -nt "$dir/$t" ] \
     || [ "$dir/liblogitlab_core.a" -nt "$dir/$t" ]; then
    echo "fuzz: building $t"
    "${launcher[@]}" "$cxx" -std=c++20 -O1 -g "${sanitize[@]}" -Icore/include -Icore/src \
      -isystem "$dir/third_party/include" -c "fuzz/$t.cpp" -o "$dir/$t.o"
    "$cxx" "${sanitize[@]}" "$dir/$t.o" "$dir/liblogitlab_core.a" -o "$dir/$t"
  fi
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Fixed findings stay fixed: each reproducer in fuzz/regressions/<target>/ runs once.
for t in "${targets[@]}"; do
  if compgen -G "fuzz/regressions/$t/*" >/dev/null; then
    echo "fuzz: $t: replaying $(ls "fuzz/regressions/$t" | wc -l) regression inputs"
    "$dir/$t" -rss_limit_mb=2560 -timeout=20 fuzz/regressions/$t/* >"$dir/$t.regress.log" 2>&1 \
      || { tail -40 "$dir/$t.regress.log" >&2; echo "fuzz: $t: a fixed finding came back (log: $dir/$t.regress.log)" >&2; exit 1; }
  fi
done
[ "$regress_only" -eq 0 ] || exit 0

node --no-experimental-fetch fuzz/make_corpus.mjs "$dir/seeds"
mkdir -p "$dir/findings"
status=0
for t in "${targets[@]}"; do
  case "$t" in
    fuzz_request) seeds=$dir/seeds/request max_len=16384 ;;
    *) seeds=$dir/seeds/code max_len=8192 ;;
  esac
  mkdir -p "$dir/corpus/$t"
  log=$dir/$t.log
  echo "fuzz: $t for $seconds s (log: $log)"
  t0=$SECONDS
  # -timeout: one input running longer is a hang; -rss_limit_mb: more memory is an OOM (the
  # budgets keep a program far below both). New inputs go to the corpus dir, findings to
  # findings/ with the target's name.
  if "$dir/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -max_len="$max_len" \
       -dict=fuzz/logitlab.dict -print_final_stats=1 -artifact_prefix="$dir/findings/$t-" \
       "$dir/corpus/$t" "$seeds" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  # libFuzzer's last status line: "#<execs> DONE cov: <edges> ft: <features> corp: ..."
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  echo "fuzz: $t: $result in $((SECONDS - t0)) s: ${execs:-?} executions, ${cov:-?} edges, ${ft:-?} features"
  if [ "$result" = FAILED ]; then
    grep -E 'ERROR|SUMMARY|logitlab fuzz finding|Test unit written' "$log" | head -20 >&2 || true
    echo "fuzz: $t: reproducer(s) in $dir/findings/ (rerun: $dir/$t <file>); full log $log" >&2
  fi
done
exit $status
