// The kernel checks of tests/native/kernel_checks.cpp in both wasm builds under Node (through the
// harness modules), and the simd128 build's kernels really are simd128 code (wasm-objdump).
// Run with: node --no-experimental-fetch --test tests/wasm/
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { loadHarness } from './harness.mjs';

// Where CMake builds the wasm modules (override: LOGITLAB_WASM_BUILD_DIR).
const BUILD_DIR = process.env.LOGITLAB_WASM_BUILD_DIR
  ? pathToFileURL(process.env.LOGITLAB_WASM_BUILD_DIR.replace(/\/?$/, '/'))
  : new URL('../../build/wasm/', import.meta.url);

const EXPECTED = {
  simd: { active: 'wasmsimd', variants: ['scalar', 'wasmsimd'] },
  nosimd: { active: 'scalar', variants: ['scalar'] },
};

for (const [flavour, expected] of Object.entries(EXPECTED)) {
  // The report is computed up front: node:test needs the test names before the tests run.
  const harness = await loadHarness(flavour, BUILD_DIR);
  const report = harness.selftest();

  describe(`kernels in the wasm ${flavour === 'simd' ? 'simd128' : 'no-SIMD'} build`, () => {
    test(`the build has the ${expected.variants.join(' and ')} variants and uses ${expected.active}`, () => {
      assert.deepEqual(report.variants.map((v) => v.name), expected.variants);
      assert.equal(report.active, expected.active);
      for (const v of report.variants) assert.ok(v.supported, `${v.name} is not supported by this engine`);
    });

    for (const variant of report.variants) {
      for (const check of variant.checks) {
        test(`${variant.name}: ${check.name}`, () => {
          assert.ok(check.ok, check.failure);
          assert.ok(check.compared > 0, 'the check compared nothing');
        });
      }
    }
  });
}

// wasm-objdump (Debian's wabt) disassembles; a release build has no function names, so this
// counts instructions in the whole module: the exp polynomial and the sums need f32x4 adds,
// multiplies and subtractions and the i32x4 shift that builds 2^n.
function instructionCounts(file) {
  const text = execFileSync('wasm-objdump', ['-d', fileURLToPath(new URL(file, BUILD_DIR))], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const counts = {};
  for (const match of text.matchAll(/\|\s+((?:[if](?:32x4|64x2|8x16|16x8)|v128)\.[a-z_0-9]+)/g)) counts[match[1]] = (counts[match[1]] ?? 0) + 1;
  return counts;
}

describe('wasm-objdump', () => {
  test('the simd128 module contains the kernels\' f32x4 instructions', () => {
    const counts = instructionCounts('logitlab_simd.wasm');
    // rminmax: pmax, pmin, ne (NaN); exp: mul, add, sub, i32x4.shl (2^q), abs + le + all_true
    // (the range check); PyTorch's 8 lanes: two f32x4 accumulators.
    for (const op of ['f32x4.add', 'f32x4.mul', 'f32x4.sub', 'f32x4.pmax', 'f32x4.pmin', 'f32x4.ne', 'i32x4.shl',
      'f32x4.abs', 'f32x4.le', 'i32x4.all_true', 'v128.load', 'v128.store'])
      assert.ok((counts[op] ?? 0) > 0, `no ${op} in logitlab_simd.wasm: ${JSON.stringify(counts)}`);
    assert.ok(counts['f32x4.add'] >= 20, `only ${counts['f32x4.add']} f32x4.add`);
  });

  test('the no-SIMD module contains no SIMD instruction at all', () => {
    assert.deepEqual(instructionCounts('logitlab_nosimd.wasm'), {});
  });
});
