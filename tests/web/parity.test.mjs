// The parity badge's data (scripts/parity.mjs) against the fixture files themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { parity, GOLDEN_FILES } from '../../scripts/parity.mjs';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

test('case counts equal the line counts of the golden fixture files', async () => {
  const data = await parity();
  assert.deepEqual(Object.keys(data.files).sort(), [...GOLDEN_FILES].sort());
  let total = 0;
  for (const name of GOLDEN_FILES) {
    // wc -l counts newline characters; every fixture line ends with one
    const lines = Number(execFileSync('wc', ['-l', `${FIXTURES}${name}`], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
    assert.ok(lines > 0, name);
    assert.equal(data.files[name], lines, name);
    total += lines;
  }
  assert.equal(data.cases, total);
});

test('the version is the one the generators recorded, and it is PyTorch 1.13', async () => {
  const data = await parity();
  const versions = JSON.parse(readFileSync(`${FIXTURES}versions.json`, 'utf8'));
  for (const name of GOLDEN_FILES) assert.equal(versions[name].pytorch, data.pytorch);
  assert.equal(data.pytorchShort, '1.13');
});

test('hostile programs are not counted as golden cases', async () => {
  const data = await parity();
  assert.ok(!('hostile_programs.jsonl' in data.files));
});
