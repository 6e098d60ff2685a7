// The native CLI `logitlab run [--jsonl]` speaks the protocol on stdin/stdout (DESIGN.md).
// Uses build/native-release/logitlab (override: LOGITLAB_CLI).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { mod, wave } from './protocol.mjs';

const CLI = process.env.LOGITLAB_CLI ?? fileURLToPath(new URL('../../build/native-release/logitlab', import.meta.url));

function cli(args, input) {
  const result = spawnSync(CLI, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.error) throw result.error;
  return result;
}

const lines = (text) => text.split('\n').filter((line) => line !== '');

// PyTorch 1.13 prints tensor(1.7048) for this loss; loss.item() is 1.7047743797302246.
const SMALL_REQUEST = {
  code: 'loss = F.cross_entropy(logits, labels)\nprint(loss)',
  inputs: {
    logits: { dtype: 'float32', shape: [2, 3], data: [0.1, 0.2, 0.3, 1.0, 2.0, 3.0] },
    labels: { dtype: 'int64', shape: [2], data: [2, 0] },
  },
  outputs: ['loss'],
};

test('run: one request on stdin, one response JSON line on stdout, exit 0', () => {
  const { status, stdout, stderr } = cli(['run'], JSON.stringify(SMALL_REQUEST));
  assert.equal(status, 0, stderr);
  assert.equal(stderr, '');
  assert.ok(stdout.endsWith('\n'));
  assert.equal(lines(stdout).length, 1);
  const response = JSON.parse(stdout);
  for (const field of ['stdout', 'error', 'values', 'variables', 'trace']) assert.ok(field in response, field);
  assert.equal(response.error, null, JSON.stringify(response.error));
  assert.equal(response.stdout, 'tensor(1.7048)\n');
  assert.equal(response.values.loss.dtype, 'float32');
  assert.deepEqual(response.values.loss.shape, []);
  assert.ok(Math.abs(response.values.loss.data[0] - 1.7047743797302246) < 1e-5, JSON.stringify(response.values.loss));
});

test('run: the motivating batch-size mismatch raises PyTorch\'s ValueError, exit 0', () => {
  const request = {
    code: 'loss = F.cross_entropy(logits, labels)',
    inputs: {
      logits: { dtype: 'float32', shape: [384, 2971], data: wave(384 * 2971) },
      labels: { dtype: 'int64', shape: [864, 2971], data: mod(864 * 2971, 10) },
    },
    outputs: ['loss'],
  };
  const { status, stdout, stderr } = cli(['run'], JSON.stringify(request));
  assert.equal(status, 0, stderr);
  const response = JSON.parse(stdout);
  assert.deepEqual(response.error, {
    type: 'ValueError',
    message: 'Expected input batch_size (384) to match target batch_size (864).',
    line: 1,
    col: 8,
  });
  assert.equal(response.values.loss, null);
  assert.deepEqual(response.variables.logits, { dtype: 'float32', shape: [384, 2971] });
});

test('run: a malformed request exits non-zero with one line on stderr and nothing on stdout', () => {
  for (const input of ['{"code": ', '{"inputs": {}}', '{"code": 42}', '']) {
    const { status, stdout, stderr } = cli(['run'], input);
    assert.equal(status, 2, `input ${JSON.stringify(input)}`);
    assert.equal(stdout, '');
    assert.equal(lines(stderr).length, 1, stderr);
    assert.match(stderr, /^logitlab: malformed request: .+\n$/);
  }
});

test('run --jsonl: one response per request line; a malformed line is named on stderr', () => {
  const input = [
    JSON.stringify({ code: 'x = 1', outputs: ['x'] }),
    'this is not JSON',
    JSON.stringify({ code: 'y = 2', outputs: ['y'] }),
  ].join('\n') + '\n';
  const { status, stdout, stderr } = cli(['run', '--jsonl'], input);
  assert.notEqual(status, 0);
  const responses = lines(stdout).map((line) => JSON.parse(line));
  assert.equal(responses.length, 2);
  assert.deepEqual(responses[0].values.x, { dtype: 'py_int', shape: null, data: 1 });
  assert.deepEqual(responses[1].values.y, { dtype: 'py_int', shape: null, data: 2 });
  assert.equal(lines(stderr).length, 1, stderr);
  assert.match(stderr, /line 2/);
});

test('usage errors exit 2 with the usage on stderr; --help prints it on stdout', () => {
  for (const args of [[], ['frobnicate'], ['run', '--json'], ['run', '--jsonl', 'extra']]) {
    const { status, stdout, stderr } = cli(args, '');
    assert.equal(status, 2, args.join(' '));
    assert.equal(stdout, '');
    assert.match(stderr, /^usage: logitlab run/);
  }
  const { status, stdout } = cli(['--help'], '');
  assert.equal(status, 0);
  assert.match(stdout, /^usage: logitlab run/);
});
