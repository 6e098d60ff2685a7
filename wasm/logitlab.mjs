// Loads the Logit Lab core compiled to WebAssembly and runs protocol requests (DESIGN.md).
//
//   const lab = await loadLogitLab();          // picks the simd128 build when the engine has it
//   const response = lab.run({ code: 'x = 1' }); // request object, JSON text or bytes -> response object
//   lab.memoryBytes();                         // the module's memory now (it never shrinks)
//
// A malformed request answers {request_error: "<message>"}; the module keeps working after it.
// This file is copied next to logitlab_simd.{mjs,wasm} and logitlab_nosimd.{mjs,wasm}.

// The smallest module that uses a simd128 instruction: (func (result v128) i32.const 0
// i8x16.splat i8x16.popcnt). Engines without simd128 reject it.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function simdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

export async function loadLogitLab({ simd = simdSupported(), wasmBinary } = {}) {
  const build = simd ? 'logitlab_simd' : 'logitlab_nosimd';
  const { default: createLogitLabModule } = await import(`./${build}.mjs`);
  if (!wasmBinary && isNode) {
    // Emscripten 3.1.6 would fetch() a file: URL under Node, which fails: read the file instead.
    const { readFile } = await import('node:fs/promises');
    wasmBinary = await readFile(new URL(`./${build}.wasm`, import.meta.url));
  }
  const module = await createLogitLabModule(wasmBinary ? { wasmBinary } : {});

  // Copies the request into the wasm heap as a NUL-terminated string; returns its address.
  function copyIn(request) {
    if (request instanceof Uint8Array) {
      const ptr = module._malloc(request.length + 1);
      if (ptr) {
        module.HEAPU8.set(request, ptr);
        module.HEAPU8[ptr + request.length] = 0;
      }
      return ptr;
    }
    const text = typeof request === 'string' ? request : JSON.stringify(request);
    const size = module.lengthBytesUTF8(text) + 1;
    const ptr = module._malloc(size);
    if (ptr) module.stringToUTF8(text, ptr, size);
    return ptr;
  }

  // request: an object, its JSON text, or the exact bytes of the request (Uint8Array).
  function run(request) {
    const requestPtr = copyIn(request);
    if (!requestPtr) return { request_error: 'the request does not fit in memory' };
    let responsePtr = 0;
    try {
      responsePtr = module._logitlab_run(requestPtr);
      if (!responsePtr) return { request_error: 'Logit Lab ran out of memory answering this request' };
      return JSON.parse(module.UTF8ToString(responsePtr));
    } finally {
      module._free(requestPtr);
      if (responsePtr) module._logitlab_free(responsePtr);
    }
  }

  // The size of the module's memory in bytes. A wasm32 memory grows but never shrinks: after a
  // run that needed a lot, the page replaces the worker to give the memory back (engine.js).
  const memoryBytes = () => module.HEAPU8.buffer.byteLength;

  return { run, memoryBytes, simd: Boolean(simd), build };
}
