// Loads a kernel harness module (tests/wasm/kernel_harness.cpp; logitlab_kernel_harness_simd or
// _nosimd, built beside the production modules in build/wasm/) in Node or in a browser.
//   const harness = await loadHarness('simd', new URL('../../build/wasm/', import.meta.url));
//   harness.selftest()  -> the kernel checks' report
//   harness.benchCe(rows, classes, mode, { warmupMs, samples, sampleMs })  -> a timing
const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

export async function loadHarness(flavour, dir) {
  const name = `logitlab_kernel_harness_${flavour}`;
  const { default: create } = await import(new URL(`${name}.mjs`, dir));
  let wasmBinary;
  if (isNode) {
    // Emscripten 3.1.6 would fetch() a file: URL under Node, which fails: read the file instead.
    const { readFile } = await import('node:fs/promises');
    wasmBinary = await readFile(new URL(`${name}.wasm`, dir));
  }
  const module = await create(wasmBinary ? { wasmBinary } : {});
  return {
    name,
    selftest: () => JSON.parse(module.UTF8ToString(module._logitlab_selftest_kernels())),
    benchCe: (rows, classes, mode, { warmupMs = 200, samples = 21, sampleMs = 20 } = {}) =>
      JSON.parse(module.UTF8ToString(module._logitlab_bench_ce(rows, classes, mode === 'forward' ? 0 : 1, warmupMs, samples, sampleMs))),
  };
}
