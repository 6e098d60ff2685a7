// Builds the fuzzers' seed corpora from the fixtures (tests/fixtures/*.jsonl: golden programs,
// losses, printing and the hostile corpus), so that no corpus is committed.
//   node fuzz/make_corpus.mjs <out-dir>
// writes <out-dir>/request/ (whole request texts, for fuzz_request) and <out-dir>/code/ (the
// programs alone, for fuzz_parse and fuzz_run), one file per distinct seed, named by its hash.
// Seeds larger than the fuzzers' -max_len are left out (the hostile corpus's huge programs are
// tested directly by tests/native/test_hostile.cpp and test_limits.cpp).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { loadFixtures, requestOf } from '../tests/wasm/protocol.mjs';

export const MAX_REQUEST_BYTES = 16384;
export const MAX_CODE_BYTES = 8192;

const out = process.argv[2];
if (!out) {
  console.error('usage: node fuzz/make_corpus.mjs <out-dir>');
  process.exit(2);
}

function writeSeeds(dir, seeds) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const names = new Set();
  for (const seed of seeds) {
    const name = createHash('sha1').update(seed).digest('hex');
    if (names.has(name)) continue;
    names.add(name);
    writeFileSync(join(dir, name), seed);
  }
  return names.size;
}

const requests = [];
const codes = [];
for (const fixture of loadFixtures()) {
  let request;
  try {
    request = requestOf(fixture);
  } catch {
    continue;
  }
  const bytes = typeof request === 'string' || request instanceof Uint8Array
    ? Buffer.from(request)
    : Buffer.from(JSON.stringify(request));
  if (bytes.length <= MAX_REQUEST_BYTES) requests.push(bytes);
  let code = null;
  if (typeof request === 'object' && !(request instanceof Uint8Array)) code = request.code;
  else if (typeof request === 'string') {
    try {
      code = JSON.parse(request).code;
    } catch {
      code = null;
    }
  }
  if (typeof code === 'string') {
    const codeBytes = Buffer.from(code);
    if (codeBytes.length <= MAX_CODE_BYTES) codes.push(codeBytes);
  }
}

const nRequests = writeSeeds(join(out, 'request'), requests);
const nCodes = writeSeeds(join(out, 'code'), codes);
console.log(`fuzz corpus: ${nRequests} requests, ${nCodes} programs in ${out}`);
