// The URL hash round-trips every piece of state, and never trusts what it reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULT_SCENARIO, scenarioToCode } from '../../web/src/model/scenario.js';
import { DEFAULT_STATE, FIELDS, MAX_CODE, MAX_HASH, hashToState, programOf, stateToHash } from '../../web/src/model/urlstate.js';

const edited = {
  scenario: {
    logitsShape: [32, 12, 50], labelsShape: [32, 12], labelKind: 'indices', numClasses: 12,
    reduction: 'sum', ignoreIndex: -100, labelSmoothing: 0.1, weights: true,
  },
  code: 'import torch\nprint(torch.zeros(2) & 1)  # <b>not html</b>\n',
  hidden: ['trace', 'performance'],
  locked: ['code'],
  theme: 'dark',
};

test('the default state is the empty hash, and the empty hash is the default state', () => {
  assert.equal(stateToHash(DEFAULT_STATE), '');
  const { state, notices } = hashToState('');
  assert.deepEqual(notices, []);
  assert.deepEqual(state.scenario, { ...DEFAULT_SCENARIO, logitsShape: [384, 2971], labelsShape: [864, 2971] });
  assert.equal(programOf(state), scenarioToCode(DEFAULT_SCENARIO));
});

test('every field round-trips through the hash', () => {
  const hash = stateToHash(edited);
  const { state, notices } = hashToState(hash);
  assert.deepEqual(notices, []);
  assert.deepEqual(state.scenario, edited.scenario);
  assert.equal(state.code, edited.code);
  assert.deepEqual(state.hidden, edited.hidden);
  assert.deepEqual(state.locked, edited.locked);
  assert.equal(state.theme, 'dark');
  // every field of the table was exercised by this state
  for (const field of FIELDS) assert.ok(new URLSearchParams(hash.slice(1)).has(field.key), field.key);
});

test('the hash is readable by a person', () => {
  const hash = stateToHash({ scenario: { ...DEFAULT_SCENARIO, labelsShape: [384] , labelKind: 'indices' } });
  assert.equal(hash, '#labels=384&kind=indices');
});

test("the scenario's own program is not repeated in the hash; an edited one is", () => {
  assert.equal(stateToHash({ scenario: DEFAULT_SCENARIO, code: scenarioToCode(DEFAULT_SCENARIO) }), '');
  assert.match(stateToHash({ code: 'print(1)\n' }), /^#code=print%281%29%0A$/);
});

test('unknown keys, malformed values and repeats are ignored with a notice', () => {
  const { state, notices } = hashToState('#logits=384x-1&kind=<script>&evil=1&theme=dark&theme=light&smoothing=abc&hide=output,nope');
  assert.deepEqual(state.scenario.logitsShape, [384, 2971]);
  assert.equal(state.scenario.labelKind, DEFAULT_SCENARIO.labelKind);
  assert.equal(state.theme, 'dark');
  assert.deepEqual(state.hidden, []);
  assert.equal(notices.length, 6, notices.join('\n'));
  assert.ok(notices.some((n) => n.includes('unknown setting "evil"')));
  assert.ok(notices.some((n) => n.includes('repeated "theme"')));
});

test('hostile content stays data: HTML in code is kept as text, long values are cut in notices', () => {
  const html = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  const { state } = hashToState(`#code=${encodeURIComponent(html)}`);
  assert.equal(state.code, html); // the page shows it with textContent, in the editor
  const long = 'x'.repeat(100000);
  const big = hashToState(`#kind=${long}`);
  assert.equal(big.notices.length, 1);
  assert.ok(big.notices[0].includes(`more than ${MAX_HASH}`));
  const longish = hashToState(`#kind=${'<'.repeat(5000)}`);
  assert.ok(longish.notices[0].length < 200, longish.notices[0]);
  const tooMuchCode = hashToState(`#code=${'a'.repeat(MAX_CODE + 1)}`);
  assert.equal(tooMuchCode.state.code, null);
  assert.equal(tooMuchCode.notices.length, 1);
});

test('a scenario that does not hold together is adjusted, with a notice', () => {
  const { state, notices } = hashToState('#kind=onehot&labels=384x7');
  assert.deepEqual(state.scenario.labelsShape, [384, 2971]);
  assert.ok(notices.some((n) => n.startsWith("Adjusted the link's scenario")));
});

test('odd inputs are not trusted', () => {
  for (const hash of [undefined, null, 42, '#', '#&&&', '#=', '#%E0%A4%A', '#logits=1e9', '#classes=99999999999']) {
    const { state } = hashToState(hash);
    assert.ok(Array.isArray(state.scenario.logitsShape));
  }
});
