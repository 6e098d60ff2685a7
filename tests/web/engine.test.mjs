// The page's engine (web/src/app/engine.js) under Node, with a stand-in for the Web Worker: a run
// that ran out of memory, or left the module's memory past RECYCLE_BYTES, is answered as usual
// and its worker replaced; the jobs waiting behind it run in the fresh worker; nothing else
// replaces a worker. (The real module's out-of-memory answer is checked against these functions
// in tests/browser/hostile_page.test.mjs.)
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';

import { Engine, RECYCLE_BYTES, isOutOfMemory, recycleReason } from '../../web/src/app/engine.js';

const OOM = {
  stdout: '', error: { type: 'MemoryError', message: 'Logit Lab ran out of memory running this program', line: 0, col: 0 },
  trace: [], warnings: [], values: {}, variables: {},
};
const BUDGET = {
  stdout: '', error: { type: 'MemoryError', message: "this program needs 67117056 live tensor elements, more than Logit Lab's budget of max_elements = 67108864", line: 7, col: 10 },
  trace: [], warnings: [], values: {}, variables: {},
};
const OK = { stdout: '2\n', error: null, trace: [], warnings: [], values: {}, variables: {} };

let workers;
let savedWorker;

class FakeWorker {
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.posted = [];
    this.terminated = false;
    workers.push(this);
  }

  postMessage(message) {
    this.posted.push(message);
  }

  terminate() {
    this.terminated = true;
  }

  // What the real worker would send back.
  send(data) {
    this.onmessage({ data });
  }
}

beforeEach(() => {
  workers = [];
  savedWorker = globalThis.Worker;
  globalThis.Worker = FakeWorker;
});

afterEach(() => {
  globalThis.Worker = savedWorker;
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('recycleReason: the core\'s out-of-memory answer, or a memory past RECYCLE_BYTES; nothing else', () => {
  assert.equal(recycleReason(OOM, 64 << 20), 'out-of-memory');
  assert.equal(recycleReason(OOM, undefined), 'out-of-memory');  // an older loader reports no size
  assert.equal(recycleReason(OK, RECYCLE_BYTES + 65536), 'memory-grown');
  assert.equal(recycleReason(OK, RECYCLE_BYTES), null);
  assert.equal(recycleReason(OK, undefined), null);
  assert.equal(recycleReason(BUDGET, 64 << 20), null);
  assert.equal(recycleReason(undefined, undefined), null);
  // A program's own MemoryError has a line; one with the core's words but a line is the program's.
  assert.equal(isOutOfMemory({ ...OOM, error: { ...OOM.error, line: 3 } }), false);
  assert.equal(isOutOfMemory({ request_error: 'the request does not fit in memory' }), true);
  assert.equal(isOutOfMemory({ request_error: 'code must be a string' }), false);
  assert.equal(isOutOfMemory(null), false);
  assert.equal(isOutOfMemory('MemoryError'), false);
});

test('an out-of-memory answer is shown as usual, its worker is replaced, and the next job runs in the fresh one', async () => {
  const restarts = [];
  const engine = new Engine({ onRestart: (reason) => restarts.push(reason) });
  try {
    const [first] = workers;
    first.send({ type: 'ready', build: 'logitlab_simd', simd: true });
    const exhausting = engine.run({ code: 'xs = [...]', seed: 0 });
    const next = engine.run({ code: 'print(1 + 1)', seed: 0 });  // queued behind it
    assert.equal(first.posted.length, 1);
    first.send({ type: 'response', id: first.posted[0].id, response: OOM, ms: 2000, memoryBytes: 2 ** 31 - 65536 });
    assert.deepEqual(await exhausting, { response: OOM, ms: 2000, restarted: 'memory' });
    assert.equal(first.terminated, true);
    assert.equal(workers.length, 2);
    assert.deepEqual(restarts, ['memory']);
    assert.equal(engine.restarts, 1);

    // The queued job waits for the fresh worker, not the terminated one.
    const fresh = workers[1];
    assert.equal(first.posted.length, 1);
    assert.equal(fresh.posted.length, 0);
    fresh.send({ type: 'ready', build: 'logitlab_simd', simd: true });
    assert.equal(fresh.posted.length, 1);
    assert.equal(fresh.posted[0].request.code, 'print(1 + 1)');
    fresh.send({ type: 'response', id: fresh.posted[0].id, response: OK, ms: 1, memoryBytes: 16 << 20 });
    assert.deepEqual(await next, { response: OK, ms: 1 });
    await flush();
    assert.equal(fresh.terminated, false);
    assert.equal(workers.length, 2);
    assert.equal(engine.restarts, 1);
  } finally {
    engine.terminate();
  }
});

test('a run that succeeds but leaves the memory past RECYCLE_BYTES gets a fresh worker; a budget MemoryError does not', async () => {
  const engine = new Engine();
  try {
    workers[0].send({ type: 'ready', build: 'logitlab_nosimd', simd: false });
    const grown = engine.run({ code: 'big', seed: 0 });
    workers[0].send({ type: 'response', id: workers[0].posted[0].id, response: OK, ms: 900, memoryBytes: RECYCLE_BYTES + (64 << 20) });
    assert.deepEqual(await grown, { response: OK, ms: 900, restarted: 'memory' });
    assert.equal(workers.length, 2);

    workers[1].send({ type: 'ready', build: 'logitlab_nosimd', simd: false });
    const budget = engine.run({ code: 'budget', seed: 0 });
    workers[1].send({ type: 'response', id: workers[1].posted[0].id, response: BUDGET, ms: 5, memoryBytes: 300 << 20 });
    assert.deepEqual(await budget, { response: BUDGET, ms: 5 });
    assert.equal(workers.length, 2);
    assert.equal(workers[1].terminated, false);
    assert.equal(engine.restarts, 1);
  } finally {
    engine.terminate();
  }
});

test('a module that traps mid-run is a crash: answered, replaced, and the next job runs', async () => {
  const engine = new Engine();
  try {
    workers[0].send({ type: 'ready', build: 'logitlab_simd', simd: true });
    const trapped = engine.run({ code: 'x', seed: 0 });
    workers[0].send({ type: 'crash', id: workers[0].posted[0].id, message: 'RuntimeError: Aborted(OOM)' });
    const outcome = await trapped;
    assert.equal(outcome.failure, 'crash');
    assert.match(outcome.message, /crashed while running this program \(RuntimeError: Aborted\(OOM\)\)\. It was restarted\./);
    assert.equal(workers[0].terminated, true);
    assert.equal(engine.restarts, 1);
    workers[1].send({ type: 'ready', build: 'logitlab_simd', simd: true });
    const next = engine.run({ code: 'print(1 + 1)', seed: 0 });
    workers[1].send({ type: 'response', id: workers[1].posted[0].id, response: OK, ms: 1 });
    assert.deepEqual(await next, { response: OK, ms: 1 });
  } finally {
    engine.terminate();
  }
});
