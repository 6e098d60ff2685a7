// web/src/explain/diagram.js: the shape diagram is an SVG built only from numbers and escaped
// text, it highlights the disagreeing dimension by shape and words (not colour alone), shows
// what a fix did, and has a plain-text twin for screen readers.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { esc, shapeDiagram } from '../../web/src/explain/diagram.js';
import { FIXES } from '../../web/src/explain/fixes.js';
import { DEFAULT_SCENARIO, scenarioToCode, validateScenario } from '../../web/src/model/scenario.js';
import { loadRows, torchResponse } from './core.mjs';

const fixes = await loadRows('fixes.jsonl');
const row = (scenario, fix) => fixes.find((r) => r.scenario === scenario && r.fix === fix);

const ELEMENTS = new Set(['svg', 'g', 'rect', 'line', 'path', 'polygon', 'text', 'tspan', 'title', 'desc', 'defs', 'marker', 'pattern']);
const ATTRIBUTES = new Set(['xmlns', 'viewBox', 'width', 'height', 'role', 'aria-labelledby', 'font-family', 'id', 'x', 'y',
  'x1', 'y1', 'x2', 'y2', 'd', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'text-anchor',
  'font-size', 'font-weight', 'patternUnits', 'patternTransform']);

// Every tag is an allowed drawing element with allowed attributes; no text contains a raw '<'.
function assertSafeSvg(svg, label) {
  assert.ok(svg.startsWith('<svg ') && svg.endsWith('</svg>'), label);
  const tags = [...svg.matchAll(/<(\/?)([A-Za-z][\w-]*)([^>]*)>/g)];
  let rest = svg;
  for (const [whole, , name, attrs] of tags) {
    assert.ok(ELEMENTS.has(name), `${label}: element <${name}>`);
    for (const [, attr, value] of attrs.matchAll(/\s([\w:-]+)="([^"]*)"/g)) {
      assert.ok(ATTRIBUTES.has(attr), `${label}: attribute ${attr} on <${name}>`);
      assert.ok(!/[<>]|javascript:/i.test(value), `${label}: value ${value}`);
    }
    const leftover = attrs.replace(/\s[\w:-]+="[^"]*"/g, '').replace(/\s*\/?$/, '');
    assert.equal(leftover.trim(), '', `${label}: stray attribute text ${leftover}`);
    rest = rest.replace(whole, '');
  }
  assert.ok(!rest.includes('<') && !rest.includes('>'), `${label}: raw angle bracket in text`);
}

test('esc escapes the five HTML-special characters', () => {
  assert.equal(esc(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('the article\'s error: both blocks, the batch conflict in words and by a dashed edge, 480 unmatched rows', () => {
  const r = row('article', 'original');
  const { svg, text } = shapeDiagram(torchResponse(r), { scenario: DEFAULT_SCENARIO, code: r.code });
  assertSafeSvg(svg, 'article');
  assert.match(svg, /logits \[384, 2971\]/);
  assert.match(svg, /labels \[864, 2971\]/);
  assert.match(svg, /≠ 384 rows \(batch\)/);
  assert.match(svg, /≠ 864 rows \(batch\)/);
  assert.match(svg, /stroke-dasharray="6 3"/, 'the conflicting edge is dashed, not only coloured');
  assert.match(svg, /url\(#ll-diagram-\d+-hatch\)/, 'unmatched rows are hatched');
  assert.match(svg, /480 of 864 label rows have no logits row/);
  assert.match(text, /Logits \[384, 2971\]: 384 rows \(batch\) of 2971 classes\./);
  assert.match(text, /480 of 864 label rows have no logits row/);
});

test('block heights are proportional to the batch: 864 rows draw 2.25 times as tall as 384', () => {
  const r = row('article', 'original');
  const { svg } = shapeDiagram(torchResponse(r), { scenario: DEFAULT_SCENARIO, code: r.code });
  const heights = [...svg.matchAll(/<rect x="[\d.]+" y="64" width="[\d.]+" height="([\d.]+)" fill="var\(--(?:accent|ok),[^"]*" fill-opacity/g)].map((m) => Number(m[1]));
  assert.equal(heights.length, 2);
  assert.ok(Math.abs(heights[1] / heights[0] - 864 / 384) < 0.02, heights.join(' '));
});

test('after truncation the diagram shows the dropped label rows', () => {
  const r = row('indices-864', 'truncate');
  const s = validateScenario(r.scenarioFields).scenario;
  const { svg, text } = shapeDiagram(torchResponse(r), { scenario: s, fix: FIXES.find((f) => f.id === 'truncate'), code: r.code });
  assertSafeSvg(svg, 'truncate');
  assert.match(svg, /-dropped\)/);
  assert.match(text, /480 of 864 label rows dropped/);
});

test('after view-not-permute the logits are marked as scrambled, after permute the axes are named', () => {
  const v = row('sequence-btc', 'view-not-permute');
  const sv = validateScenario(v.scenarioFields).scenario;
  assert.match(shapeDiagram({ ...torchResponse(v), variables: { ...v.variables, logits: { dtype: 'float32', shape: [32, 50, 12] } } },
    { scenario: sv, fix: 'view-not-permute', code: v.code }).text, /mixes positions and classes/);
  const p = row('sequence-btc', 'permute');
  const text = shapeDiagram({ ...torchResponse(p), variables: { ...p.variables, logits: { dtype: 'float32', shape: [32, 50, 12] } } },
    { scenario: sv, fix: 'permute', code: p.code }).text;
  assert.match(text, /Axes permuted/);
});

test('hostile strings from the response, the code or a fix never reach the SVG unescaped', () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(1)>"\'&';
  const response = {
    stdout: evil, error: { type: evil, message: `Expected input batch_size (3) to match target batch_size (4).${evil}`, line: 1 },
    variables: { [evil]: { dtype: evil, shape: [1, 2] }, logits: { dtype: evil, shape: [3, 5] }, labels: { dtype: evil, shape: [4] } },
    trace: [{ line: 1, op: 'cross_entropy', args: [{ shape: [3, 5], dtype: evil }, { shape: [4], dtype: evil, name: evil }], error: { type: evil, message: evil } }],
  };
  const scenarios = [DEFAULT_SCENARIO, { logitsShape: [evil, 3], labelsShape: [evil], labelKind: evil }, { logitsShape: ['3<4', 2] }];
  const fixesToTry = [undefined, evil, { id: evil, title: evil }, ...FIXES];
  for (const scenario of scenarios) {
    for (const fix of fixesToTry) {
      const { svg, text } = shapeDiagram(response, { scenario, fix, code: evil });
      assertSafeSvg(svg, `fix ${typeof fix === 'object' ? fix.id : fix}`);
      assert.ok(!svg.includes('<script') && !svg.includes('<img'), 'hostile markup');
      assert.equal(typeof text, 'string');
    }
  }
  // A hostile error type/message that explain() would title is escaped in <title>/<desc> too.
  const other = shapeDiagram({ error: { type: evil, message: evil }, trace: [], variables: {} },
    { scenario: DEFAULT_SCENARIO, code: `loss = F.cross_entropy(logits, labels)  # ${evil}` });
  assertSafeSvg(other.svg, 'other error');
  assert.ok(other.svg.includes('&lt;script&gt;'), 'the hostile message is shown, escaped');
  assert.ok(other.text.includes('<script>'), 'the plain text keeps it verbatim (the page inserts it with textContent)');
});

test('odd inputs still give a diagram: no response, 1-D logits, 0-d labels, 5-D logits, huge sizes', () => {
  const cases = [
    [null, DEFAULT_SCENARIO],
    [undefined, { logitsShape: [5], labelsShape: [], labelKind: 'indices' }],
    [{ error: null, trace: [], variables: {} }, { logitsShape: [2, 3, 4, 5, 6], labelsShape: [2, 4, 5, 6], labelKind: 'indices' }],
    [{ error: null, trace: [], variables: {} }, { logitsShape: [1_000_000, 1_000_000], labelsShape: [1], labelKind: 'indices' }],
  ];
  for (const [response, scenario] of cases) {
    const { svg, text } = shapeDiagram(response, { scenario, code: 'loss = F.cross_entropy(logits, labels)' });
    assertSafeSvg(svg, JSON.stringify(scenario));
    assert.ok(!/NaN|Infinity|undefined/.test(svg), svg);
    assert.ok(text.length > 10);
  }
  const { svg } = shapeDiagram(null, { scenario: DEFAULT_SCENARIO, code: scenarioToCode(DEFAULT_SCENARIO) });
  assert.match(svg, /480 of 864/);
});

test('after a reshape split that runs, the diagram marks the blocks and the dropped rows', () => {
  const r = row('indices-768-of-10', 'reshape-split');
  const s = validateScenario(r.scenarioFields).scenario;
  const { svg, text } = shapeDiagram(torchResponse(r), { scenario: s, fix: 'reshape-split', code: r.code });
  assertSafeSvg(svg, 'reshape-split');
  assert.match(svg, /block 0 kept/);
  assert.match(text, /384 of 768 label rows dropped/);
});

test('no diagram (null) when the program never reached a loss call', () => {
  const ran = { error: null, stdout: '3\n', trace: [], variables: { x: { dtype: 'int64', shape: [3] } } };
  assert.equal(shapeDiagram(ran, { scenario: DEFAULT_SCENARIO, code: 'x = torch.arange(3)\nprint(len(x))' }), null);
  const syntax = { error: { type: 'SyntaxError', message: "'(' was never closed", line: 1 }, trace: [], variables: {} };
  assert.equal(shapeDiagram(syntax, { scenario: DEFAULT_SCENARIO, code: 'loss = F.cross_entropy(logits, labels' }), null);
  assert.ok(shapeDiagram(undefined, { scenario: DEFAULT_SCENARIO }), 'before any run: the scenario');
});
