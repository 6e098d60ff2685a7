// Both wasm builds under Node answer every golden fixture as real PyTorch did, and survive
// malformed requests. Run with: node --no-experimental-fetch --test tests/wasm/
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { checkFixture, loadFixtures, requestOf } from './protocol.mjs';

// Programs whose answer needs Python integers beyond 64 bits, which Logit Lab does not have:
// the module must say so (NotImplementedError), never print a wrong number.
const BEYOND_64_BIT_INTS = new Set(['factory_tensor_overflow', 'lang_print_big_ints']);

// Where scripts/build.sh puts the modules and their loader (override: LOGITLAB_WASM_DIR).
const WASM_DIR = process.env.LOGITLAB_WASM_DIR
  ? pathToFileURL(process.env.LOGITLAB_WASM_DIR.replace(/\/?$/, '/'))
  : new URL('../../web/dist/', import.meta.url);

const fixtures = loadFixtures();

async function load(simd) {
  const { loadLogitLab } = await import(new URL('logitlab.mjs', WASM_DIR));
  const build = simd ? 'logitlab_simd' : 'logitlab_nosimd';
  const wasmBinary = await readFile(new URL(`${build}.wasm`, WASM_DIR));
  return loadLogitLab({ simd, wasmBinary });
}

test('there are golden fixtures to check', () => {
  assert.ok(fixtures.length > 0, 'tests/fixtures/*.jsonl holds no fixture');
});

for (const simd of [true, false]) {
  describe(simd ? 'wasm simd128 build' : 'wasm build without SIMD', () => {
    let lab;
    before(async () => {
      lab = await load(simd);
    });

    test('loads the requested build', () => {
      assert.equal(lab.build, simd ? 'logitlab_simd' : 'logitlab_nosimd');
    });

    // A request must never kill the module; if one does, that fixture fails and the next one
    // gets a fresh module, so one crash does not fail every later fixture too.
    async function runFresh(request) {
      try {
        return lab.run(request);
      } catch (error) {
        lab = await load(simd);
        throw new Error(`the module failed: ${error}`);
      }
    }

    for (const fixture of fixtures) {
      test(`${fixture.file}: ${fixture.name}`, async () => {
        const response = await runFresh(requestOf(fixture));
        if (BEYOND_64_BIT_INTS.has(fixture.name)) {
          assert.equal(response.error?.type, 'NotImplementedError', JSON.stringify(response));
          return;
        }
        const diffs = checkFixture(response, fixture);
        const code = fixture.request?.code ?? '';
        assert.deepEqual(diffs, [], `${fixture.name}\n${code.slice(0, 500)}\n${diffs.join('\n')}`);
      });
    }

    test('a malformed request answers request_error and the module keeps working', () => {
      const malformed = [
        ['not JSON', '{"code": '],
        ['JSON without code', { inputs: {} }],
        ['code that is not a string', { code: 42 }],
        ['a request that is not an object', '[1, 2, 3]'],
      ];
      for (const [what, request] of malformed) {
        const response = lab.run(request);
        assert.equal(typeof response.request_error, 'string', `${what}: ${JSON.stringify(response)}`);
        assert.ok(response.request_error.length > 0, what);
        assert.equal(response.stdout, undefined, what);
      }
      const response = lab.run({ code: 'x = 3\nprint(x)', outputs: ['x'] });
      assert.equal(response.request_error, undefined, JSON.stringify(response));
      assert.equal(response.error, null, JSON.stringify(response.error));
      assert.equal(response.stdout, '3\n');
      assert.deepEqual(response.values.x, { dtype: 'py_int', shape: null, data: 3 });
    });

    test('accepts the request as a JSON string or an object alike', () => {
      const request = { code: 'y = 42\nprint(y)', outputs: ['y'] };
      assert.deepEqual(lab.run(JSON.stringify(request)), lab.run(request));
    });
  });
}
