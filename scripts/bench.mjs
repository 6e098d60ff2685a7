// Placeholder benchmark (npm run bench): times the native CLI on one cross-entropy request with
// logits [384, 2971]. A later issue replaces this with the real benchmark suite (native SSE/AVX2
// and wasm simd128 kernels against the scalar reference).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { mod, wave } from '../tests/wasm/protocol.mjs';

const CLI = fileURLToPath(new URL('../build/native-release/logitlab', import.meta.url));
const N = 384;
const C = 2971;
const request = JSON.stringify({
  code: 'loss = F.cross_entropy(logits, labels)',
  inputs: {
    logits: { dtype: 'float32', shape: [N, C], data: wave(N * C) },
    labels: { dtype: 'int64', shape: [N], data: mod(N, C) },
  },
  outputs: ['loss'],
});

console.log('bench: placeholder only; the real benchmark suite comes with a later issue.');
const runs = 5;
const times = [];
let response;
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint();
  const result = spawnSync(CLI, ['run'], { input: request, encoding: 'utf8', maxBuffer: 1 << 26 });
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (result.status !== 0) {
    console.error(`bench: ${CLI} failed (exit ${result.status}): ${result.stderr}`);
    process.exit(1);
  }
  response = JSON.parse(result.stdout);
}
times.sort((a, b) => a - b);
console.log(`bench: logitlab run, F.cross_entropy on [${N}, ${C}] float32 logits (${(request.length / 1e6).toFixed(1)} MB request)`);
console.log(`bench: median ${times[runs >> 1].toFixed(1)} ms, best ${times[0].toFixed(1)} ms over ${runs} runs (process start + JSON parse + run)`);
console.log(`bench: loss = ${JSON.stringify(response.values.loss?.data ?? response.error)}`);
