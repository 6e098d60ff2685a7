// web/src/explain/fixes.js: every fix of the gallery, applied to the scenarios of
// tests/fixtures/web/fixes.jsonl (generate_fixes.py ran the same programs in real PyTorch 1.13).
// The verdict from PyTorch's answer is the expected one; the core must give the same verdict
// and the same exception, word for word.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FIXES, fixById, judge } from '../../web/src/explain/fixes.js';
import { scenarioToCode, validateScenario } from '../../web/src/model/scenario.js';
import { NO_CORE, coreRunner, loadRows, torchResponse } from './core.mjs';

const rows = await loadRows('fixes.jsonl');
const row = (scenario, fix) => rows.find((r) => r.scenario === scenario && r.fix === fix);

const programOf = (row) => {
  const scenario = validateScenario(row.scenarioFields).scenario;
  return row.fix === 'original' ? scenarioToCode(scenario) : fixById(row.fix).apply({ scenario });
};

test('every fix has an id, a title, a summary and produces a program for any scenario', () => {
  assert.ok(FIXES.length >= 10);
  assert.equal(new Set(FIXES.map((f) => f.id)).size, FIXES.length);
  for (const fix of FIXES) {
    assert.ok(fix.title && fix.summary, fix.id);
    for (const scenario of [undefined, {}, { logitsShape: [5], labelsShape: [] }, { logitsShape: [2, 3, 4, 5] }, { logitsShape: 'bad' }]) {
      const code = fix.apply({ scenario });
      assert.match(code, /F\.cross_entropy\(/, `${fix.id} ${JSON.stringify(scenario)}`);
    }
  }
});

test('the fixture is up to date with the fixes (else run tests/fixtures/generate_fixes.py)', () => {
  for (const row of rows) assert.equal(programOf(row), row.code, `${row.scenario} / ${row.fix}`);
  for (const fix of FIXES) assert.ok(rows.some((r) => r.fix === fix.id), `no fixture row for ${fix.id}`);
});

// What real PyTorch says for the article's scenario, as the issue states it.
const ARTICLE = {
  original: ['raises', 'ValueError: Expected input batch_size (384) to match target batch_size (864).'],
  truncate: ['raises', 'RuntimeError: Expected floating point type for target with class probabilities, got Long'],
  'reshape-split': ['raises', "RuntimeError: shape '[2, 384, 2971]' is invalid for input of size 2566944"],
  'cast-to-float': ['silent', /class indices read as probabilities/],
  'class-indices': ['works', /^Runs and prints tensor\(/],
  probabilities: ['works', /^Runs and prints tensor\(/],
  'argmax-onehot': ['raises', 'ValueError: Expected input batch_size (384) to match target batch_size (864).'],
  'same-batch': ['works', /^Runs/],
  flatten: ['works', /^Runs/],
  permute: ['works', /^Runs/],
  'view-not-permute': ['silent', /view only regroups/],
  'pad-ignore-index': ['works', /^Runs/],
};

test('with PyTorch\'s answers, the article\'s scenario gets the verdicts the issue expects', () => {
  for (const row of rows.filter((r) => r.scenario === 'article')) {
    const [verdict, message] = ARTICLE[row.fix];
    const j = judge(row.fix, torchResponse(row));
    assert.equal(j.verdict, verdict, row.fix);
    if (typeof message === 'string') assert.equal(j.message, message, row.fix);
    else assert.match(j.message, message, row.fix);
  }
});

test('truncating class-index labels runs but is silently wrong: it drops 480 of 864 label rows', () => {
  const row = rows.find((r) => r.scenario === 'indices-864' && r.fix === 'truncate');
  const j = judge('truncate', torchResponse(row));
  assert.equal(j.verdict, 'silent');
  assert.match(j.message, /drops 480 of 864 label rows/);
});

test('the reshape split runs when the rows divide evenly, and is then silently wrong', () => {
  const row = rows.find((r) => r.scenario === 'indices-768-of-10' && r.fix === 'reshape-split');
  const j = judge('reshape-split', torchResponse(row));
  assert.equal(j.verdict, 'silent');
  assert.match(j.message, /first 384 of 768 label rows/);
});

test('argmax turns same-batch one-hot labels into indices that work', () => {
  const row = rows.find((r) => r.scenario === 'onehot-same-batch' && r.fix === 'argmax-onehot');
  assert.equal(judge('argmax-onehot', torchResponse(row)).verdict, 'works');
});

test('the core gives every fix program PyTorch\'s exception and PyTorch\'s verdict', async (t) => {
  const core = await coreRunner();
  if (!core) return t.skip(NO_CORE);
  const responses = await core.run(rows.map((r) => r.code));
  for (const [i, row] of rows.entries()) {
    const r = responses[i];
    const name = `${row.scenario} / ${row.fix} through ${core.name}`;
    assert.deepEqual(r.error && { type: r.error.type, message: r.error.message },
      row.error && { type: row.error.type, message: row.error.message }, name);
    if (row.error) assert.equal(r.error.line, row.error.line, name);
    const ours = judge(row.fix, r);
    const theirs = judge(row.fix, torchResponse(row));
    assert.equal(ours.verdict, theirs.verdict, name);
    if (theirs.verdict === 'raises') assert.equal(ours.message, theirs.message, name);
    for (const [name2, v] of Object.entries(row.variables)) {
      assert.deepEqual(r.variables[name2]?.shape, v.shape, `${name}: shape of ${name2}`);
    }
  }
});

test('judge never throws on odd responses', () => {
  for (const r of [null, {}, { error: null }, { error: { type: 'X', message: 'y' } }, { stdout: 'tensor(nan)\n', error: null }]) {
    const j = judge(FIXES[0], r);
    assert.ok(['works', 'raises', 'silent'].includes(j.verdict));
    assert.equal(typeof j.message, 'string');
  }
  assert.equal(judge('class-indices', { stdout: 'tensor(nan)\n', error: null }).verdict, 'silent');
});

test('a fix that raises says why: the article\'s truncation and reshape', () => {
  const scenario = validateScenario({}).scenario;
  const cut = judge('truncate', torchResponse(row('article', 'truncate')), { scenario });
  assert.equal(cut.explanationId, 'int-target-like-logits');
  assert.match(cut.why, /class probabilities/);
  assert.match(cut.why, /dropped 480 of 864 label rows/);
  const split = judge('reshape-split', torchResponse(row('article', 'reshape-split')), { scenario });
  assert.equal(split.explanationId, 'invalid-reshape');
  assert.match(split.why, /864 is not a multiple of 384/);
});

test('the catalog\'s "works" and "does not work" lists agree with the verdicts PyTorch gives', async () => {
  const { CATALOG } = await import('../../web/src/explain/catalog.js');
  const { explain } = await import('../../web/src/explain/explain.js');
  for (const scenario of ['article', 'indices-864', 'indices-768-of-10', 'sequence-btc']) {
    const original = row(scenario, 'original');
    const card = explain(torchResponse(original), { code: original.code });
    const entry = CATALOG.find((e) => e.id === card.id);
    for (const id of entry.works) assert.equal(judge(id, torchResponse(row(scenario, id))).verdict, 'works', `${scenario}: ${card.id} says ${id} works`);
    for (const id of entry.doesNotWork) assert.notEqual(judge(id, torchResponse(row(scenario, id))).verdict, 'works', `${scenario}: ${card.id} says ${id} does not work`);
  }
});

// 60 random small scenarios, each with its own program and every fix, through the core: every
// error that arises gets a specific card (never the generic one), and nothing throws.
test('every error the scenario space produces in the core has a specific card', async (t) => {
  const core = await coreRunner();
  if (!core) return t.skip(NO_CORE);
  const { explain } = await import('../../web/src/explain/explain.js');
  const { shapeDiagram } = await import('../../web/src/explain/diagram.js');
  const { DEFAULT_SCENARIO, LABEL_KINDS, setLabelKind } = await import('../../web/src/model/scenario.js');
  let x = 7;
  const rand = (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return (x >>> 16) % n;
  };
  const programs = [];
  for (let i = 0; i < 60; i++) {
    const rank = 1 + rand(4);
    const logitsShape = Array.from({ length: rank }, () => 1 + rand(12));
    let s = { ...DEFAULT_SCENARIO, logitsShape, labelsShape: [1 + rand(12), 1 + rand(6)].slice(0, 1 + rand(2)),
      numClasses: [logitsShape[rank === 1 ? 0 : 1], 1 + rand(12)][rand(2)], reduction: ['mean', 'sum', 'none'][rand(3)],
      ignoreIndex: [null, -100, 0][rand(3)], labelSmoothing: [0, 0, 0.1, 0, 0, 1.5][rand(6)], weights: rand(2) === 1 };
    s = setLabelKind(s, LABEL_KINDS[rand(4)]);
    if (rand(3) === 0) s = { ...s, labelsShape: [1 + rand(12), ...s.labelsShape.slice(1)] };
    s = validateScenario(s).scenario;
    programs.push({ s, fix: null, code: scenarioToCode(s) });
    for (const fix of FIXES) programs.push({ s, fix, code: fix.apply({ scenario: s }) });
  }
  const responses = await core.run(programs.map((p) => p.code));
  const seen = new Set();
  for (const [i, { s, fix, code }] of programs.entries()) {
    const r = responses[i];
    const e = explain(r, { code, scenario: s });
    if (r.error) {
      assert.ok(e && !['other-error', 'python-error', 'playground-limit'].includes(e.id), `${r.error.type}: ${r.error.message}\n${code}`);
      seen.add(e.id);
    }
    assert.ok(['works', 'raises', 'silent'].includes(judge(fix ?? 'none', r, { scenario: s }).verdict));
    assert.ok(shapeDiagram(r, { scenario: s, fix, code }).svg.startsWith('<svg'));
  }
  assert.ok(seen.size >= 8, [...seen].join(', '));
});
