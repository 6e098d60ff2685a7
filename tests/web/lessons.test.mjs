// The lesson data (web/src/lessons/lessons.js): every step's stored answer is what running it gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { CHOICES, LESSON, lessonRequest, validateLesson, verdictOf } from '../../web/src/lessons/lessons.js';
import { NO_CORE } from './core.mjs';

const CLI = process.env.LOGITLAB_CLI ?? fileURLToPath(new URL('../../build/native-release/logitlab', import.meta.url));
const DIST = new URL('../../web/dist/', import.meta.url);

// Whole protocol requests (with outputs), through the native CLI or else the wasm module.
async function runRequests(requests) {
  if (existsSync(CLI)) {
    const r = spawnSync(CLI, ['run', '--jsonl'], { input: requests.map((q) => JSON.stringify(q)).join('\n') + '\n', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`logitlab run --jsonl exited ${r.status}: ${r.stderr}`);
    return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  }
  if (existsSync(new URL('logitlab.mjs', DIST))) {
    const { loadLogitLab } = await import(new URL('logitlab.mjs', DIST));
    const lab = await loadLogitLab({ simd: false });
    return requests.map((q) => lab.run(q));
  }
  return null;
}

test('the lesson is well formed', () => {
  assert.deepEqual(validateLesson(LESSON), []);
  assert.equal(LESSON.steps[0].answer, 'raises', 'it starts from the error');
  assert.equal(LESSON.steps.at(-1).answer, 'runs', 'it ends at a correct fix');
  assert.deepEqual(CHOICES.map((c) => c.id), ['raises', 'runs', 'runs-wrong']);
});

test('validateLesson catches an author\'s mistakes', () => {
  assert.ok(validateLesson({ steps: [] }).length > 0);
  const bad = { steps: [{ id: 'A b', prompt: '', code: 'x = 1', answer: 'maybe', explanation: 'e' },
    { id: 'w', prompt: 'p', code: 'x = 1', answer: 'runs-wrong', explanation: 'e' }] };
  const problems = validateLesson(bad);
  assert.ok(problems.some((p) => p.includes('id is')));
  assert.ok(problems.some((p) => p.includes('prompt')));
  assert.ok(problems.some((p) => p.includes('answer is one of')));
  assert.ok(problems.some((p) => p.includes('needs wrongIf')));
});

test('the probe line is added only for wrongIf, after the program', () => {
  const step = LESSON.steps.find((s) => s.wrongIf);
  const request = lessonRequest(step);
  assert.ok(request.code.startsWith(step.code));
  assert.deepEqual(request.outputs, ['_lesson_wrong']);
  assert.equal(verdictOf(step, { error: { type: 'ValueError' } }), 'raises');
  assert.equal(verdictOf(step, { error: null, values: { _lesson_wrong: { data: true } } }), 'runs-wrong');
  assert.equal(verdictOf(step, { error: null, values: { _lesson_wrong: { data: false } } }), 'runs');
  assert.equal(verdictOf(step, { error: null, values: {} }), null);
});

test('every step\'s stored answer is what running it gives', async (t) => {
  const responses = await runRequests(LESSON.steps.map(lessonRequest));
  if (!responses) {
    t.skip(NO_CORE);
    return;
  }
  for (const [i, step] of LESSON.steps.entries()) {
    const response = responses[i];
    assert.equal(verdictOf(step, response), step.answer, `${step.id}: ${JSON.stringify(response.error)}`);
    if (step.answer === 'raises') assert.equal(response.error.type, step.error, step.id);
    // the probe must not be what raised
    if (response.error) assert.ok(response.error.line <= step.code.split('\n').length, `${step.id}: the error is in the program`);
  }
});
