// The limits in WebAssembly (DESIGN.md "Limits"): the programs the issue names end in a clear
// error from the built module, as natively (tests/native/test_limits.cpp), and running out of the
// module's memory (-sMAXIMUM_MEMORY) is a MemoryError response, after which the module still
// answers. Run with: node --no-experimental-fetch --test tests/wasm/
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

// Where scripts/build.sh puts the modules and their loader (override: LOGITLAB_WASM_DIR).
const WASM_DIR = process.env.LOGITLAB_WASM_DIR
  ? pathToFileURL(process.env.LOGITLAB_WASM_DIR.replace(/\/?$/, '/'))
  : new URL('../../web/dist/', import.meta.url);

async function load(simd) {
  const { loadLogitLab } = await import(new URL('logitlab.mjs', WASM_DIR));
  const build = simd ? 'logitlab_simd' : 'logitlab_nosimd';
  const wasmBinary = await readFile(new URL(`${build}.wasm`, WASM_DIR));
  return loadLogitLab({ simd, wasmBinary });
}

// The four programs, and what each must answer.
const PROGRAMS = [
  {
    name: 'torch.randn(10**6, 10**6)',
    code: 'import torch\nx = torch.randn(10**6, 10**6)\n',
    type: 'MemoryError',
    message: /max_elements = 67108864/,
  },
  {
    name: '100,000 nested parentheses',
    code: `x = ${'('.repeat(100000)}1${')'.repeat(100000)}\n`,
    type: 'SyntaxError',
    message: /^too many nested parentheses$/,
  },
  {
    name: 'a million-line program',
    code: 'x = 1\n'.repeat(1000000),
    type: 'MemoryError',
    message: /max_code_tokens = 1048576/,
  },
  {
    name: 'a 10 MB line',
    code: `x = ${'1+'.repeat(5000000)}1\n`,
    type: 'MemoryError',
    message: /max_code_tokens = 1048576/,
  },
];

for (const simd of [true, false]) {
  describe(simd ? 'limits: wasm simd128 build' : 'limits: wasm build without SIMD', () => {
    let lab;
    before(async () => {
      lab = await load(simd);
    });

    for (const program of PROGRAMS) {
      test(program.name, () => {
        const t0 = performance.now();
        const response = lab.run({ code: program.code });
        const ms = performance.now() - t0;
        assert.ok(!('request_error' in response), `refused: ${response.request_error}`);
        assert.ok(response.error, 'expected an error');
        assert.equal(response.error.type, program.type, JSON.stringify(response.error).slice(0, 300));
        assert.match(response.error.message, program.message);
        // Measured, not asserted (a shared machine's timing is noise): see the test's output.
        console.log(`# ${simd ? 'simd' : 'nosimd'}: ${program.name}: ${ms.toFixed(0)} ms`);
      });
    }

    test('the printed output stops at max_output_bytes', () => {
      const response = lab.run({ code: "print('ab' * 100)", max_output_bytes: 50 });
      assert.equal(response.error?.type, 'MemoryError');
      assert.match(response.error.message, /max_output_bytes = 50/);
      assert.equal(response.stdout, 'ab'.repeat(25));
    });

    test('a program longer than max_code_bytes', () => {
      const response = lab.run({ code: 'x = 1\n'.repeat(10), max_code_bytes: 59 });
      assert.equal(response.error?.type, 'MemoryError');
      assert.match(response.error.message, /max_code_bytes = 59/);
    });

    // The module may grow to 2 GB (-sMAXIMUM_MEMORY); past it, allocation fails and the core
    // answers MemoryError instead of aborting, and the module keeps working. (The kernels are
    // not involved: checked on the simd128 build only, these allocate gigabytes.)
    if (!simd) return;
    for (const [name, code] of [
      ['one 2 GiB tensor', 'import torch\nx = torch.zeros(2**29)\n'],
      ['tensors adding up past 2 GB', 'import torch\nx = torch.zeros(2**27)\ny = torch.ones(2**27)\nz = x + y\nw = z + y\n'],
      ['a tensor larger than the 32-bit address space', 'import torch\nx = torch.zeros(2**31)\n'],
      ['a string past 2 GB', "s = 'ab' * 2**30\n"],
    ]) {
      test(`memory exhaustion is a MemoryError: ${name}`, () => {
        const response = lab.run({ code, max_elements: 2 ** 40, max_work: 2 ** 50 });
        assert.ok(!('request_error' in response), `refused: ${response.request_error}`);
        assert.equal(response.error?.type, 'MemoryError', JSON.stringify(response.error));
        const after = lab.run({ code: 'print(1 + 1)' });
        assert.equal(after.stdout, '2\n');
        assert.equal(after.error, null);
      });
    }
  });
}
