// web/src/explain/explain.js (through index.js): the error card. Cases come from tests/fixtures/web/explain.jsonl
// (generate_fixes.py: what real PyTorch 1.13 raised, with the id a person expects), and are run
// again through Logit Lab's core when it is built.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CATALOG, FIXES, explain } from '../../web/src/explain/index.js';
import { DEFAULT_SCENARIO, scenarioToCode } from '../../web/src/model/scenario.js';
import { NO_CORE, coreRunner, loadRows, torchResponse } from './core.mjs';

const cases = await loadRows('explain.jsonl');
const byName = Object.fromEntries(cases.map((c) => [c.name, c]));

test('the catalog has unique ids, a meaning and a reason for each, and names only existing fixes', () => {
  const ids = CATALOG.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length);
  const fixIds = new Set(FIXES.map((f) => f.id));
  for (const e of CATALOG) {
    assert.match(e.id, /^[a-z0-9-]+$/);
    for (const field of ['title', 'meaning', 'why']) assert.ok(e[field] && e[field].length > 10, `${e.id}.${field}`);
    for (const f of [...e.works, ...e.doesNotWork]) assert.ok(fixIds.has(f), `${e.id} names unknown fix ${f}`);
  }
});

test('the fixture covers every kind of error the issue asks for', () => {
  const expected = new Set(cases.map((c) => c.expectedId));
  for (const id of ['batch-mismatch', 'int-target-like-logits', 'invalid-reshape', 'target-out-of-bounds',
    'spatial-target-size', 'target-dtype', 'logits-dtype', 'weight-size', 'view-non-contiguous',
    'silent-broadcast', 'view-not-permute', 'silent-truncation']) {
    assert.ok(expected.has(id), id);
  }
});

test('each PyTorch error and warning case is recognised from PyTorch\'s own response (no trace)', () => {
  for (const c of cases) {
    const e = explain(torchResponse(c), { code: c.code });
    assert.equal(e ? e.id : null, c.expectedId, `${c.name}: ${JSON.stringify(c.error)}`);
    if (!e) continue;
    assert.equal(e.severity, c.error ? 'error' : 'warning', c.name);
    assert.ok(CATALOG.some((entry) => entry.id === e.id), c.name);
    for (const field of ['title', 'summary']) assert.equal(typeof e[field], 'string', `${c.name}.${field}`);
    for (const field of ['details', 'causes', 'dims', 'fixIds']) assert.ok(Array.isArray(e[field]), `${c.name}.${field}`);
  }
});

test('the core raises PyTorch\'s exact error for each case, and the card is the same', async (t) => {
  const core = await coreRunner();
  if (!core) return t.skip(NO_CORE);
  const responses = await core.run(cases.map((c) => c.code));
  for (const [i, c] of cases.entries()) {
    const r = responses[i];
    assert.deepEqual(r.error && { type: r.error.type, message: r.error.message }, c.error && { type: c.error.type, message: c.error.message }, c.name);
    assert.deepEqual(r.warnings ?? [], c.warnings, `${c.name}: PyTorch's UserWarnings`);
    const e = explain(r, { code: c.code });
    assert.equal(e ? e.id : null, c.expectedId, `${c.name} through ${core.name}`);
  }
});

test('the article\'s error names the batch dimension of both tensors and reads 384 = 32×12, 864 = 32×27', () => {
  const c = byName['article-batch'];
  const e = explain(torchResponse(c), { code: c.code, scenario: DEFAULT_SCENARIO });
  assert.match(e.summary, /384/);
  assert.match(e.summary, /864/);
  assert.ok(e.causes.some((x) => x.includes('384 = 32×12') && x.includes('864 = 32×27')), e.causes.join('\n'));
  assert.deepEqual(e.dims.filter((d) => d.conflict).map((d) => [d.tensor, d.axis, d.size, d.role]),
    [['logits', 0, 384, 'batch'], ['labels', 0, 864, 'batch']]);
  assert.deepEqual(e.dims.filter((d) => !d.conflict).map((d) => [d.tensor, d.role]), [['logits', 'classes'], ['labels', 'classes']]);
  assert.ok(e.details.some((x) => /read as probabilities/.test(x)), 'mentions the second problem of these labels');
  assert.ok(e.fixIds.includes('same-batch'));
  assert.ok(e.avoidFixIds.includes('truncate') && e.avoidFixIds.includes('reshape-split'));
});

test('the generated default program gets the same card as the article\'s code', () => {
  const code = scenarioToCode(DEFAULT_SCENARIO);
  const c = byName['article-batch'];
  const line = code.split('\n').findIndex((l) => l.startsWith('loss =')) + 1;
  const response = { ...torchResponse(c), error: { ...c.error, line } };
  assert.equal(explain(response, { code, scenario: DEFAULT_SCENARIO }).id, 'batch-mismatch');
});

test('causes are read from the numbers', () => {
  const causes = (name) => explain(torchResponse(byName[name]), { code: byName[name].code }).causes.join('\n');
  assert.match(causes('batch-onehot-flattened'), /160 = 16×10.*one-hot/is);
  assert.match(causes('batch-transposed'), /transposed/);
  assert.match(causes('batch-labels-flattened-logits-not'), /28 = 4×7/);
  assert.match(causes('batch-last-batch'), /last batch/);
  assert.match(causes('target-too-large'), /count from 1/);
  assert.match(causes('target-negative'), /ignore_index/);
  assert.match(causes('sequence-btc-unpermuted'), /permute\(0, 2, 1\)/);
  assert.match(causes('article-reshape'), /864 is not a multiple of 384/);
});

test('an nn.CrossEntropyLoss call (not traced) still gets the shapes from the variables', () => {
  const c = byName['batch-module'];
  const e = explain(torchResponse(c), { code: c.code });
  assert.deepEqual(e.dims.map((d) => d.size), [384, 10, 864]);
});

test('warnings give the numbers: 480 of 864 rows dropped', () => {
  const code = 'logits = torch.randn(384, 10)\nlabels = torch.randint(0, 10, (864,))\nlabels_cut = labels[:logits.shape[0]]\nloss = F.cross_entropy(logits, labels_cut)\nprint(loss)';
  const response = { stdout: 'tensor(2.3)\n', error: null, trace: [],
    variables: { logits: { dtype: 'float32', shape: [384, 10] }, labels: { dtype: 'int64', shape: [864] }, labels_cut: { dtype: 'int64', shape: [384] } } };
  const e = explain(response, { code });
  assert.equal(e.id, 'silent-truncation');
  assert.match(e.summary, /drops 480 of 864 label rows/);
});

test('explain never throws and answers null when there is nothing to say', () => {
  for (const r of [null, undefined, 42, 'x', {}, { error: null }, { error: { type: 'ValueError' } },
    { error: { type: 'X', message: 7 }, trace: 'no', variables: null }, { error: null, trace: [{}], variables: { a: 1 } }]) {
    const e = explain(r, { code: 'x = (' });
    if (e !== null) assert.equal(typeof e.id, 'string');
  }
  assert.equal(explain({ stdout: 'tensor(1.2)\n', error: null, trace: [], variables: {} }, { code: 'print(1)' }), null);
});

test('the article\'s truncation card says the cut also dropped 480 of 864 label rows', () => {
  const c = byName['article-truncation'];
  const e = explain(torchResponse(c), { code: c.code });
  assert.equal(e.id, 'int-target-like-logits');
  assert.ok(e.causes.some((x) => /dropped 480 of 864 label rows/.test(x)), e.causes.join('\n'));
  assert.ok(e.fixIds.includes('class-indices') && e.avoidFixIds.includes('cast-to-float'));
});

test('every catalog entry with an example program is in the fixture, and the example is up to date', () => {
  for (const entry of CATALOG) {
    if (!entry.example) continue;
    const c = byName[`catalog:${entry.id}`];
    assert.ok(c, `no fixture for the example of ${entry.id} (run tests/fixtures/generate_fixes.py)`);
    assert.equal(c.code, entry.example, `${entry.id}: example changed, regenerate the fixture`);
  }
  assert.ok(CATALOG.filter((e) => e.example).length >= 25);
});

test('the failing line\'s operands win over an earlier successful loss call', () => {
  const code = 'a = torch.randn(8, 5)\nb = torch.randint(0, 5, (8,))\nok = F.cross_entropy(a, b)\nlogits = torch.randn(4, 5)\nlabels = torch.randint(0, 5, (6,))\nloss = criterion(logits, labels)';
  const response = {
    stdout: '', error: { type: 'ValueError', message: 'Expected input batch_size (4) to match target batch_size (6).', line: 6 },
    variables: { a: { dtype: 'float32', shape: [8, 5] }, b: { dtype: 'int64', shape: [8] },
      logits: { dtype: 'float32', shape: [4, 5] }, labels: { dtype: 'int64', shape: [6] } },
    trace: [{ line: 3, op: 'cross_entropy', args: [{ dtype: 'float32', shape: [8, 5] }, { dtype: 'int64', shape: [8] }], error: null }],
  };
  assert.deepEqual(explain(response, { code }).dims.map((d) => d.size), [4, 5, 6]);
});

test('100 kB of hostile code is read quickly (no catastrophic regular-expression backtracking)', async () => {
  const { shapeDiagram } = await import('../../web/src/explain/diagram.js');
  const { codeToScenario } = await import('../../web/src/model/scenario.js');
  const batch = { error: { type: 'ValueError', message: 'Expected input batch_size (3) to match target batch_size (4).', line: 1 }, trace: [], variables: {} };
  const ran = { error: null, trace: [], variables: {}, stdout: '' };
  for (const code of ['a'.repeat(99_000), `x = ${'a'.repeat(99_000)}(b, c`, Array(200).fill(`x = ${'a'.repeat(490)}`).join('\n'),
    Array(200).fill(`x = y.view(${'1,'.repeat(240)})`).join('\n'), `F.cross_entropy(${'a,'.repeat(40_000)}`, '('.repeat(90_000)]) {
    const t0 = performance.now();
    codeToScenario(code);
    explain(batch, { code });
    explain(ran, { code });
    shapeDiagram(batch, { code });
    const ms = performance.now() - t0;
    assert.ok(ms < 5000, `${code.slice(0, 30)}…: ${ms.toFixed(0)} ms`);
  }
});
