// Runs programs through Logit Lab's core for the web tests: the native CLI
// (build/native-release/logitlab, override with LOGITLAB_CLI) in --jsonl mode, else the wasm
// module from web/dist under Node. coreRunner() returns null when neither is built, and says why.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const CLI = process.env.LOGITLAB_CLI ?? fileURLToPath(new URL('../../build/native-release/logitlab', import.meta.url));
const DIST = new URL('../../web/dist/', import.meta.url);

export const NO_CORE = 'neither build/native-release/logitlab nor web/dist/logitlab.mjs is built ' +
  '(run scripts/build.sh native or wasm); skipping the checks against the core';

// { name, run(codes: string[]) -> Promise<response[]> } or null.
export async function coreRunner() {
  if (existsSync(CLI)) {
    return {
      name: `native CLI ${CLI}`,
      async run(codes) {
        const input = codes.map((code) => JSON.stringify({ code })).join('\n') + '\n';
        const r = spawnSync(CLI, ['run', '--jsonl'], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
        if (r.error) throw r.error;
        if (r.status !== 0) throw new Error(`logitlab run --jsonl exited ${r.status}: ${r.stderr}`);
        return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
      },
    };
  }
  if (existsSync(new URL('logitlab.mjs', DIST)) && existsSync(new URL('logitlab_nosimd.wasm', DIST))) {
    const { loadLogitLab } = await import(new URL('logitlab.mjs', DIST));
    const wasmBinary = await readFile(new URL('logitlab_nosimd.wasm', DIST));
    const lab = await loadLogitLab({ simd: false, wasmBinary });
    return {
      name: 'wasm module web/dist/logitlab_nosimd.wasm',
      async run(codes) {
        return codes.map((code) => {
          const out = lab.run(JSON.stringify({ code }));
          return typeof out === 'string' ? JSON.parse(out) : out;
        });
      },
    };
  }
  return null;
}

// A response as the protocol would carry it, from a line of tests/fixtures/web/*.jsonl (what
// real PyTorch did). PyTorch has no trace; explain() must cope without one.
export function torchResponse(row) {
  return { stdout: row.stdout, error: row.error, values: {}, variables: row.variables, trace: [], warnings: row.warnings ?? [] };
}

export function loadRows(file) {
  return readFile(new URL(`../fixtures/web/${file}`, import.meta.url), 'utf8')
    .then((text) => text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)));
}
