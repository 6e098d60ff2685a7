// web/src/model/scenario.js: the scenario <-> program round trip and the validation of controls.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  DEFAULT_SCENARIO, LABEL_KINDS, codeToScenario, scenarioToCode, setClasses, setLabelKind, validateScenario,
} from '../../web/src/model/scenario.js';

// A small deterministic generator, so a failing case can be reproduced from its index.
function lcg(seed) {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

function randomScenario(rand) {
  const rank = 1 + rand(4);
  const logitsShape = Array.from({ length: rank }, () => 1 + rand(50));
  const s = {
    ...DEFAULT_SCENARIO,
    logitsShape,
    labelsShape: [1 + rand(50)],
    numClasses: logitsShape[rank === 1 ? 0 : 1],
    reduction: ['mean', 'sum', 'none'][rand(3)],
    ignoreIndex: [null, -100, 0, 3][rand(4)],
    labelSmoothing: [0, 0.1, 0.25, 1.5][rand(4)],
    weights: rand(2) === 1,
  };
  return setLabelKind(s, LABEL_KINDS[rand(4)]);
}

test('the default scenario is the article\'s: logits [384, 2971], integer labels [864, 2971]', () => {
  assert.deepEqual([...DEFAULT_SCENARIO.logitsShape], [384, 2971]);
  assert.deepEqual([...DEFAULT_SCENARIO.labelsShape], [864, 2971]);
  assert.equal(DEFAULT_SCENARIO.labelKind, 'indices-like-logits');
  assert.equal(DEFAULT_SCENARIO.reduction, 'mean');
  assert.deepEqual(validateScenario(DEFAULT_SCENARIO).problems, []);
});

test('the default program creates both tensors and calls F.cross_entropy without options', () => {
  const code = scenarioToCode(DEFAULT_SCENARIO);
  assert.match(code, /^import torch$/m);
  assert.match(code, /^import torch\.nn\.functional as F$/m);
  assert.match(code, /^logits = torch\.randn\(384, 2971\)$/m);
  assert.match(code, /^labels = torch\.randint\(0, 2971, \(864, 2971\)\)$/m);
  assert.match(code, /^loss = F\.cross_entropy\(logits, labels\)$/m);
  assert.match(code, /^print\(loss\)$/m);
});

test('each label kind is written the way a learner writes it', () => {
  const base = { ...DEFAULT_SCENARIO, labelsShape: [384, 2971], numClasses: 2971 };
  const line = (kind) => scenarioToCode(setLabelKind(base, kind)).split('\n').find((l) => l.startsWith('labels ='));
  assert.equal(line('indices'), 'labels = torch.randint(0, 2971, (384,))');
  assert.equal(line('indices-like-logits'), 'labels = torch.randint(0, 2971, (384, 2971))');
  assert.equal(line('onehot'), 'labels = F.one_hot(torch.randint(0, 2971, (384,)), num_classes=2971).float()');
  assert.equal(line('probs'), 'labels = torch.softmax(torch.randn(384, 2971), dim=1)');
});

test('options appear as keyword arguments only when they differ from PyTorch\'s defaults', () => {
  const code = scenarioToCode({ ...DEFAULT_SCENARIO, weights: true, ignoreIndex: -100, reduction: 'sum', labelSmoothing: 1 });
  assert.match(code, /^weight = torch\.rand\(2971\)$/m);
  assert.match(code, /^loss = F\.cross_entropy\(logits, labels, weight=weight, ignore_index=-100, reduction='sum', label_smoothing=1\.0\)$/m);
});

test('code -> scenario -> code is the identity for 300 generated scenarios of 1 to 4 dimensions', () => {
  const rand = lcg(4);
  for (let i = 0; i < 300; i++) {
    const s = randomScenario(rand);
    const code = scenarioToCode(s);
    const back = codeToScenario(code);
    assert.ok(back, `case ${i}: could not read back\n${code}`);
    assert.deepEqual(back.logitsShape, s.logitsShape, `case ${i}`);
    assert.deepEqual(back.labelsShape, s.labelsShape, `case ${i}`);
    assert.equal(back.labelKind, s.labelKind, `case ${i}`);
    assert.equal(back.reduction, s.reduction, `case ${i}`);
    assert.equal(back.ignoreIndex, s.ignoreIndex, `case ${i}`);
    assert.equal(back.labelSmoothing, s.labelSmoothing, `case ${i}`);
    assert.equal(back.weights, s.weights, `case ${i}`);
    assert.equal(scenarioToCode(back), code, `case ${i}`);
  }
});

test('codeToScenario tolerates spacing, comments, other spellings and line breaks', () => {
  const code = [
    '# my experiment',
    'import torch',
    'from torch.nn import functional as F',
    'torch.manual_seed(1)',
    'logits=torch.randn( ( 8 , 5 ) )   # model output',
    'labels = torch.randint(5, [8], dtype=torch.long)',
    'w = torch.ones(5)',
    'print(logits.shape, "# not a comment")',
    'loss = F.cross_entropy(',
    '    logits, labels,',
    '    reduction="none", weight=w, label_smoothing=0.2,',
    ')',
    'print(loss.sum())',
  ].join('\n');
  assert.deepEqual(codeToScenario(code), {
    logitsShape: [8, 5], labelsShape: [8], labelKind: 'indices', numClasses: 5, reduction: 'none',
    ignoreIndex: null, labelSmoothing: 0.2, weights: true,
  });
});

test('codeToScenario reads one-hot and probability labels back, with any number of dims', () => {
  const s = codeToScenario('logits = torch.randn(2, 7, 3, 4)\nlabels = F.one_hot(torch.randint(0, 7, (2, 3, 4)), 7).float()\nloss = F.cross_entropy(logits, labels)');
  assert.deepEqual(s.labelsShape, [2, 3, 4, 7]);
  assert.equal(s.labelKind, 'onehot');
  const p = codeToScenario('logits = torch.randn(6)\nlabels = torch.randn(6).softmax(dim=0)\nloss = F.cross_entropy(logits, labels)');
  assert.deepEqual(p.labelsShape, [6]);
  assert.equal(p.labelKind, 'probs');
});

test('codeToScenario gives null for programs the controls cannot express', () => {
  const base = scenarioToCode(DEFAULT_SCENARIO);
  const cases = {
    'a truncation line': base.replace('\nloss =', '\nlabels = labels[:384]\nloss ='),
    'an if block': base.replace('loss = F.cross_entropy(logits, labels)', 'if True:\n    loss = F.cross_entropy(logits, labels)'),
    'a cut inside try': base.replace('loss = F.cross_entropy(logits, labels)', 'try:\n    labels = labels[:384]\n    loss = F.cross_entropy(logits, labels)\nexcept Exception as e:\n    print(e)'),
    'labels with a non-zero low': base.replace('randint(0, 2971', 'randint(1, 2971'),
    'a softmax over the wrong axis': 'logits = torch.randn(4, 5)\nlabels = torch.softmax(torch.randn(4, 5), dim=0)\nloss = F.cross_entropy(logits, labels)',
    'arguments swapped': base.replace('cross_entropy(logits, labels)', 'cross_entropy(labels, logits)'),
    'an unknown keyword': base.replace('cross_entropy(logits, labels)', 'cross_entropy(logits, labels, foo=1)'),
    'a weight of another class count': base.replace('\nloss = F.cross_entropy(logits, labels)', '\nweight = torch.rand(10)\nloss = F.cross_entropy(logits, labels, weight=weight)'),
    'no loss': 'logits = torch.randn(2, 3)\nlabels = torch.randint(0, 3, (2,))',
    'a float size': 'logits = torch.randn(2.5, 3)\nlabels = torch.randint(0, 3, (2,))\nloss = F.cross_entropy(logits, labels)',
    'an empty program': '',
    'not a string': 42,
  };
  for (const [name, code] of Object.entries(cases)) assert.equal(codeToScenario(code), null, name);
});

test('validateScenario repairs bad input and says what it changed', () => {
  const { scenario, problems } = validateScenario({
    logitsShape: [4, -1, 'x'], labelsShape: 'no', labelKind: 'bogus', numClasses: 0, reduction: 'avg',
    ignoreIndex: 1.5, labelSmoothing: NaN, weights: 'yes',
  });
  assert.deepEqual(scenario.logitsShape, [4, 1, 1]);
  assert.deepEqual(scenario.labelsShape, [864, 2971]);
  assert.equal(scenario.reduction, 'mean');
  assert.equal(scenario.ignoreIndex, null);
  assert.equal(scenario.labelSmoothing, 0);
  assert.equal(scenario.weights, false);
  assert.ok(problems.length >= 7, problems.join('\n'));
  assert.ok(validateScenario(null).problems.length > 0);
  assert.ok(validateScenario({ logitsShape: new Array(50).fill(1) }).scenario.logitsShape.length <= 6);
  assert.equal(validateScenario({ logitsShape: [1e12] }).scenario.logitsShape[0], 1_000_000);
});

test('setClasses and setLabelKind keep the scenario consistent', () => {
  const s = setClasses(DEFAULT_SCENARIO, 10);
  assert.deepEqual(s.logitsShape, [384, 10]);
  assert.deepEqual(s.labelsShape, [864, 10]);
  assert.equal(s.numClasses, 10);
  const oh = setLabelKind(s, 'onehot');
  assert.deepEqual(oh.labelsShape, [864, 10]);
  assert.deepEqual(setLabelKind(oh, 'indices').labelsShape, [864]);
  const k = setLabelKind({ ...DEFAULT_SCENARIO, logitsShape: [32, 10, 12] }, 'indices');
  assert.deepEqual(k.labelsShape, [864, 12]);
});

test('DEFAULT_RESPONSE is what PyTorch and the core answer for the default program', async (t) => {
  const { DEFAULT_RESPONSE } = await import('../../web/src/model/default-response.js');
  const { coreRunner, loadRows } = await import('./core.mjs');
  const code = scenarioToCode(DEFAULT_SCENARIO);
  const torch = (await loadRows('fixes.jsonl')).find((r) => r.scenario === 'article' && r.fix === 'original');
  assert.equal(torch.code, code);
  assert.deepEqual({ type: DEFAULT_RESPONSE.error.type, message: DEFAULT_RESPONSE.error.message, line: DEFAULT_RESPONSE.error.line }, torch.error);
  assert.deepEqual(DEFAULT_RESPONSE.variables, torch.variables);
  const core = await coreRunner();
  if (!core) return t.skip('no core built: checked against PyTorch only');
  const [fresh] = await core.run([code]);
  assert.deepEqual(JSON.parse(JSON.stringify(DEFAULT_RESPONSE)), fresh);
});

test('codeToScenario reads a tutorial-style program with try/except around the loss', () => {
  const code = [
    'import torch', 'import torch.nn.functional as F', '',
    'logits = torch.randn(384, 2971)',
    'labels = torch.randint(0, 10, (864, 2971))  # only ten classes in use', '',
    'try:', '    loss = F.cross_entropy(logits, labels)', '    print("Loss:", loss)',
    'except Exception as e:', '    print("Error:", e)',
  ].join('\n');
  assert.deepEqual(codeToScenario(code), {
    logitsShape: [384, 2971], labelsShape: [864, 2971], labelKind: 'indices-like-logits', numClasses: 10,
    reduction: 'mean', ignoreIndex: null, labelSmoothing: 0, weights: false,
  });
});

test('codeToScenario reads the nn.CrossEntropyLoss module form', () => {
  const code = [
    'import torch', 'import torch.nn as nn', '',
    'logits = torch.randn(16, 5)', 'labels = torch.randint(0, 5, (16,))', 'w = torch.rand(5)',
    "criterion = nn.CrossEntropyLoss(weight=w, reduction='sum', ignore_index=-100)",
    'loss = criterion(logits, labels)', 'print(loss)',
  ].join('\n');
  assert.deepEqual(codeToScenario(code), {
    logitsShape: [16, 5], labelsShape: [16], labelKind: 'indices', numClasses: 5,
    reduction: 'sum', ignoreIndex: -100, labelSmoothing: 0, weights: true,
  });
  assert.equal(codeToScenario(code.replace('criterion(logits, labels)', 'other(logits, labels)')), null);
  assert.equal(codeToScenario(code.replace('CrossEntropyLoss(', 'CrossEntropyLoss(foo=1, ')), null);
});
