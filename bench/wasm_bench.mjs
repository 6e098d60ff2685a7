// Our two wasm builds, in Node or in a browser: the core's cross-entropy through the harness
// modules (tests/wasm/harness.mjs; timed inside wasm by bench/ce_workload.cpp), and protocol
// requests end to end through the production modules and their loader (logitlab.mjs, run()),
// all from the wasm build folder (build/wasm/, or $LOGITLAB_WASM_BUILD_DIR).
//   node --no-experimental-fetch bench/wasm_bench.mjs '{"shapes": [...], "requests": [...], ...}'
// bench/browser.html imports runWasmBench for the same in Chromium.
import { loadHarness } from '../tests/wasm/harness.mjs';
import { timeCalls } from './timing.mjs';

const FLAVOURS = [
  ['simd', 'wasm simd128'],
  ['nosimd', 'wasm scalar'],
];

// where: "Node" or "Chromium"; wasmDir: the URL of the wasm build folder.
export async function runWasmBench({ shapes, requests = [], warmupMs, samples, sampleMs }, { where, wasmDir }) {
  const timing = { warmupMs, samples, sampleMs };
  const results = [];
  const e2e = [];
  const { loadLogitLab } = await import(new URL('logitlab.mjs', wasmDir));
  for (const [flavour, label] of FLAVOURS) {
    const harness = await loadHarness(flavour, wasmDir);
    for (const [rows, classes] of shapes)
      for (const mode of ['forward', 'forward+backward'])
        results.push({ impl: `${label} (${where})`, shape: [rows, classes], mode, ...harness.benchCe(rows, classes, mode, timing) });
    const lab = await loadLogitLab({ simd: flavour === 'simd' });
    requests.forEach((request, index) => {
      const text = JSON.stringify(request);
      e2e.push({ impl: `${label} (${where})`, request: index, ...timeCalls(() => lab.run(text).stdout.length, timing) });
    });
  }
  return { results, e2e };
}

if (typeof process === 'object' && import.meta.url === `file://${process.argv[1]}`) {
  const { pathToFileURL } = await import('node:url');
  const wasmDir = process.env.LOGITLAB_WASM_BUILD_DIR
    ? pathToFileURL(process.env.LOGITLAB_WASM_BUILD_DIR.replace(/\/?$/, '/'))
    : new URL('../build/wasm/', import.meta.url);
  const out = await runWasmBench(JSON.parse(process.argv[2]), { where: 'Node', wasmDir });
  console.log(JSON.stringify(out));
}
