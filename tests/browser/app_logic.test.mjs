// The page's own small pieces of logic, under Node (no browser): reading a shape the learner
// typed, printing an exception as Python does, and the speed panel's workload.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { formatShape, parseShape } from '../../web/src/app/controls.js';
import { benchJob } from '../../web/src/app/perf.js';
import { tracebackText } from '../../web/src/app/render.js';

test('parseShape reads the ways a learner writes a shape', () => {
  for (const [text, shape] of [
    ['384, 2971', [384, 2971]], ['384,2971', [384, 2971]], ['[384, 2971]', [384, 2971]], ['(32, 12, 2971)', [32, 12, 2971]],
    ['384 x 2971', [384, 2971]], ['384×2971', [384, 2971]], ['32 12 2971', [32, 12, 2971]], ['7', [7]], ['', []], ['  ', []],
    ['384,', [384]],
  ]) assert.deepEqual(parseShape(text), shape, JSON.stringify(text));
  for (const text of ['384, -1', '3.5', 'abc', '1e3']) assert.equal(parseShape(text), null, text);
  assert.equal(formatShape([384, 2971]), '384, 2971');
});

// The oracle: what CPython prints for the same exceptions (Debian's python3, the one with torch).
function python(code) {
  const file = path.join(tmpdir(), `logitlab-traceback-${process.pid}.py`);
  writeFileSync(file, code);
  try {
    execFileSync('/usr/bin/python3', [file], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return error.stderr.toString().replaceAll(file, 'program.py').trimEnd();
  }
}

// Python 3.11 underlines the failing expression (^^^^) in a traceback; the page does not, since
// the core reports where an error starts but not where it ends.
const withoutUnderline = (text) => text.split('\n').filter((line) => !/^\s*[~^]+\s*$/.test(line)).join('\n');

test('tracebackText prints an exception and a SyntaxError as CPython does', { skip: !pythonAvailable() }, () => {
  const raising = 'x = 1\n  \ny = int("seven")\n';
  assert.equal(
    tracebackText({ type: 'ValueError', message: "invalid literal for int() with base 10: 'seven'", line: 3, col: 5 }, raising),
    withoutUnderline(python(raising)),
  );
  const unclosed = 'import torch\nx = torch.randn(3, 4\nprint(x)\n';
  assert.equal(tracebackText({ type: 'SyntaxError', message: "'(' was never closed", line: 2, col: 16 }, unclosed), python(unclosed));
});

function pythonAvailable() {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'pass']);
    return true;
  } catch {
    return false;
  }
}

test('the speed panel times cross-entropy on the logits flattened to [rows, classes]', () => {
  const article = benchJob([384, 2971]);
  assert.equal(article.rows, 384);
  assert.equal(article.classes, 2971);
  assert.match(article.job.setup, /torch\.randn\(384, 2971\)/);
  assert.match(article.job.setup, /torch\.randint\(0, 2971, \(384,\)\)/);
  assert.equal(article.job.measured.split('F.cross_entropy').length - 1, article.job.calls);
  const sequence = benchJob([32, 2971, 12]);  // (N, C, d1): classes on axis 1
  assert.deepEqual([sequence.rows, sequence.classes], [384, 2971]);
  const huge = benchJob([100000, 5000]);
  assert.ok(huge.rows * huge.classes <= 1 << 24);
  assert.match(huge.note, /capped/);
});
