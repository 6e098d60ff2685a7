// The learner's page in headless Chromium: the article's error shows at once, edits and fixes run
// live in the worker, a runaway program is stopped without freezing the page, output is text, and
// the SIMD build is named. Screenshots of the main states go to build/screenshots/ (or
// $LOGITLAB_SCREENSHOTS).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { fixById, judge } from '../../web/src/explain/fixes.js';
import { loadRows, torchResponse } from '../web/core.mjs';
import {
  ARTICLE_ERROR, openPage, outputText, screenshot, setCode, startBrowser, typeCode, waitForEngine, waitForIdle,
} from './browser.mjs';

let browser;

before(async () => {
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
});

test('the article scenario shows its exact ValueError and error card before the engine loads', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  // Precomputed at build time: present on first paint, whatever the worker is doing.
  await page.locator('#output .out-stderr').waitFor({ timeout: 5_000 });
  const output = await outputText(page);
  assert.ok(output.includes(ARTICLE_ERROR), output);
  assert.match(output, /line \d+, in <module>/);
  const card = await page.locator('#card').textContent();
  assert.match(card, /384/);
  assert.match(card, /864/);
  assert.equal(await page.locator('#card .card-kind').textContent(), '✗Error');
  // The failing line is marked in the editor, with words as well as colour.
  assert.equal(await page.locator('.cm-failing-line').count(), 1);
  assert.match(await page.locator('.cm-failing-line').textContent(), /cross_entropy/);
  assert.match(await page.locator('.cm-failure-note').textContent(), /ValueError raised on line \d+/);
  assert.equal(await page.locator('#diagram svg').count(), 1);
  assert.notEqual((await page.locator('#diagram-text').textContent()).trim(), '');
  assert.equal(await page.locator('#logits-shape').inputValue(), '384, 2971');
  assert.equal(await page.locator('#labels-shape').inputValue(), '864, 2971');

  await waitForEngine(page);
  assert.equal(await page.locator('#engine').getAttribute('data-build'), 'logitlab_simd');
  assert.match(await page.locator('#engine').textContent(), /SIMD/);
  await screenshot(page, 'default-1280x800');
  await screenshot(page, 'default-1280x800-first-screen', { fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test('editing the code runs it again and updates the output, and the controls follow', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  await typeCode(page, 'import torch\nx = torch.zeros(2, 3)\nprint(x.shape)\nprint(x.sum())\n');
  await page.waitForFunction(() => document.getElementById('output').textContent.includes('torch.Size([2, 3])'), null, { timeout: 30_000 });
  await waitForIdle(page);
  assert.equal(await outputText(page), 'torch.Size([2, 3])\ntensor(0.)\n');
  assert.equal(await page.locator('.cm-failing-line').count(), 0);
  assert.match(await page.locator('#sync-status').textContent(), /Your own program/);

  // A shape control writes a new program: one class index per row of the logits, as PyTorch wants.
  const diagramBefore = await page.locator('#diagram-text').textContent();
  await page.locator('#labels-shape').fill('384');
  await page.waitForFunction(() => document.getElementById('output').textContent.startsWith('tensor('), null, { timeout: 30_000 });
  await waitForIdle(page);
  const code = await page.evaluate(() => window.logitLab.editor.getCode());
  assert.match(code, /torch\.randint\(0, 2971, \(384,\)\)/);
  assert.equal(await page.locator('#label-kind').inputValue(), 'indices');
  assert.notEqual(await page.locator('#diagram-text').textContent(), diagramBefore, 'the diagram did not change');
  const output = await outputText(page);
  assert.doesNotMatch(output, /Error/);
  assert.doesNotMatch(await page.locator('#sync-status').textContent(), /Your own program/);

  await page.locator('#reset').click();
  await page.waitForFunction((text) => document.getElementById('output').textContent.includes(text), ARTICLE_ERROR, { timeout: 30_000 });
  assert.equal(await page.locator('#labels-shape').inputValue(), '864, 2971');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the fixes get verdicts from running them, and applying one changes the output', { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  const verdicts = await page.locator('#fixes .verdict').evaluateAll((nodes) => nodes.map((n) => n.className));
  assert.ok(verdicts.length >= 8, `only ${verdicts.length} fixes`);
  assert.ok(verdicts.some((v) => v.includes('verdict-works')), verdicts.join());
  assert.ok(verdicts.some((v) => v.includes('verdict-raises')), verdicts.join());

  // The card's suggestions lead to their fix cards.
  await page.locator('#card .fixes-try button').first().click();
  const focused = await page.evaluate(() => document.activeElement.classList.contains('fix') && document.activeElement.classList.contains('is-suggested'));
  assert.ok(focused, 'a suggested fix did not take the focus');

  const working = page.locator('#fixes .fix', { has: page.locator('.verdict-works') }).first();
  const title = await working.locator('h3').textContent();
  await working.locator('button', { hasText: 'Apply this fix' }).click();
  await page.waitForFunction(() => !document.getElementById('output').textContent.includes('Traceback'), null, { timeout: 30_000 });
  await waitForIdle(page);
  const output = await outputText(page);
  assert.doesNotMatch(output, /Error/, `after applying "${title}"`);
  assert.match(await page.locator('#card .card-kind').textContent(), /Runs|Probably wrong/);
  // The gallery judges the fixes again, now against the fixed program.
  await page.waitForFunction(() => document.querySelectorAll('#fixes .verdict-pending').length === 0, null, { timeout: 120_000 });
  await screenshot(page, 'after-fix-1280x800');
  assert.deepEqual(problems, []);
  await page.close();
});

// Each fix card's verdict, from running the fix in the page's worker, must be the verdict
// judge() gives PyTorch's own answer to the same program (tests/fixtures/web/fixes.jsonl).
test('every fix of the article scenario gets the verdict PyTorch\'s answer gives it, live in the worker', { timeout: 180_000 }, async () => {
  const rows = (await loadRows('fixes.jsonl')).filter((row) => row.scenario === 'article' && row.fix !== 'original');
  assert.ok(rows.length >= 10);
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  // The same program plus a blank line: the gallery judges every fix again in the worker.
  await setCode(page, `${await page.evaluate(() => window.logitLab.editor.getCode())}\n`);
  await page.waitForFunction(() => document.querySelectorAll('#fixes .verdict-pending').length > 0, null, { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelectorAll('#fixes .verdict-pending').length === 0, null, { timeout: 150_000 });
  for (const row of rows) {
    const expected = judge(fixById(row.fix), torchResponse(row));
    const card = page.locator(`#fix-${row.fix}`);
    assert.equal(await card.locator('.fix-code').textContent(), row.code, `${row.fix}: the program the card runs`);
    const verdict = await card.locator('.verdict').getAttribute('class');
    assert.ok(verdict.includes(`verdict-${expected.verdict}`), `${row.fix}: ${verdict}, PyTorch's answer gives ${expected.verdict}`);
    if (expected.verdict === 'raises') assert.equal(await card.locator('.verdict-message').textContent(), expected.message, row.fix);
  }
  await screenshot(page, 'fix-verdicts-1280x800');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a fix that runs but is silently wrong says so in the status line and the card', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  const card = page.locator('#fixes .fix', { has: page.locator('.verdict-silent') }).first();
  await card.locator('button', { hasText: 'Apply this fix' }).click();
  await page.waitForFunction(() => document.getElementById('run-status').classList.contains('is-warning'), null, { timeout: 30_000 });
  assert.match(await page.locator('#run-status').textContent(), /probably wrong/);
  assert.match(await page.locator('#card .card-kind').textContent(), /Probably wrong/);
  assert.doesNotMatch(await outputText(page), /Error/);
  // The diagram tells what the applied fix did to the data.
  assert.match(await page.locator('#diagram-text').textContent(), /After the fix/);
  await screenshot(page, 'silent-fix-1280x800', { fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a program that runs too long is stopped with a clear message and the page stays usable', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  // The page's limit is 3 s; the core's own budgets (max_work, max_ops) stop most heavy programs
  // sooner. A shorter limit makes an ordinary heavy program (well within those budgets, about a
  // second in wasm) run past it, whatever the machine.
  await page.evaluate(() => { window.logitLab.live.timeLimitMs = 200; });
  const slow = ['import torch', 'x = torch.randn(4000, 4000)', ...Array(8).fill('y = torch.softmax(x, dim=1)'), 'print(y.shape)'].join('\n');
  await setCode(page, slow);
  await page.waitForFunction(() => document.getElementById('output-panel').dataset.state === 'timeout', null, { timeout: 30_000 });
  assert.match(await outputText(page), /Stopped after 0\.2 s: the program ran too long\. The engine was restarted/);
  assert.match(await page.locator('#card').textContent(), /did not finish/);
  await screenshot(page, 'timeout-1280x800');

  await page.evaluate(() => { window.logitLab.live.timeLimitMs = 3000; });
  await typeCode(page, 'print(1 + 1)\n');
  await page.waitForFunction(() => document.getElementById('output').textContent === '2\n', null, { timeout: 60_000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a worker that dies mid-run is replaced, with a message, and the next edit runs', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  await setCode(page, 'import torch\nx = torch.randn(2000, 2000)\ny = torch.softmax(x, dim=1)\nprint(y.shape)\n');
  // As soon as the run is in the worker, make the worker fail the way a crashed module does.
  await page.waitForFunction(() => window.logitLab.live.busy, null, { timeout: 10_000, polling: 5 });
  await page.evaluate(() => window.logitLab.live.worker.onerror(new ErrorEvent('error', { message: 'simulated crash', cancelable: true })));
  await page.waitForFunction(() => document.getElementById('output-panel').dataset.state === 'crash', null, { timeout: 10_000 });
  assert.match(await outputText(page), /The engine stopped unexpectedly \(simulated crash\)/);
  await typeCode(page, 'print(6 * 7)\n');
  await page.waitForFunction(() => document.getElementById('output').textContent === '42\n', null, { timeout: 60_000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the address is a link to the scenario: it restores it, hides panels, and follows edits', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.url}#logits=384x2971&labels=384&kind=indices&classes=2971&hide=trace`);
  await waitForEngine(page);
  await page.waitForFunction(() => document.getElementById('output').textContent.startsWith('tensor('), null, { timeout: 30_000 });
  assert.equal(await page.locator('#labels-shape').inputValue(), '384');
  assert.equal(await page.locator('#label-kind').inputValue(), 'indices');
  assert.equal(await page.locator('#trace-panel').isVisible(), false);
  await page.locator('#reduction').selectOption('sum');
  await page.waitForFunction(() => window.location.hash.includes('reduction=sum'), null, { timeout: 30_000 });
  assert.match(page.url(), /labels=384/);
  assert.match(page.url(), /hide=trace/);

  // A teacher's link may lock the program and the controls.
  await page.goto(`${browser.url}#lock=code,controls`);
  await page.waitForFunction(() => document.getElementById('logits-shape').disabled, null, { timeout: 10_000 });
  assert.equal(await page.locator('.cm-content').getAttribute('contenteditable'), 'false');
  assert.equal(await page.locator('#label-kind').isDisabled(), true);
  // Its hint under the editor offers neither controls nor editing.
  assert.match(await page.locator('#sync-status').textContent(), /cannot be edited here/);
  await page.goto(`${browser.url}#hide=controls`);
  await page.waitForFunction(() => document.getElementById('scenario-panel').hidden, null, { timeout: 10_000 });
  assert.doesNotMatch(await page.locator('#sync-status').textContent(), /control/);

  // A hostile link: its program is text in the editor and its output is text.
  const markup = '<img src=x onerror="document.title=1">';
  await page.goto(`${browser.url}#code=${encodeURIComponent(`print('${markup}')\n`)}&bogus=<b>x</b>`);
  await page.waitForFunction(() => document.getElementById('output').textContent.includes('<img'), null, { timeout: 60_000 });
  assert.equal(await outputText(page), `${markup}\n`);
  assert.equal(await page.locator('img').count(), 0);
  assert.match(await page.locator('#scenario-problems').textContent(), /Ignored the unknown setting "bogus"/);
  assert.match(await page.locator('#sync-status').textContent(), /Your own program/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 100 kB link is ignored with a notice and the default scenario shows', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.url}#code=${'%3Cscript%3E'.repeat(10_000)}`);
  await page.waitForFunction(() => /were ignored/.test(document.getElementById('scenario-problems').textContent), null, { timeout: 30_000 });
  assert.match(await page.locator('#scenario-problems').textContent(), /more than 65536/);
  await page.waitForFunction(() => document.getElementById('output').textContent.includes('Expected input batch_size (384)'), null, { timeout: 30_000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a syntax error shows as Python shows it, with no diagram of some other program', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  await typeCode(page, 'import torch\nx = torch.randn(3, 4\nprint(x)\n');
  await page.waitForFunction(() => document.getElementById('output').textContent.includes('SyntaxError'), null, { timeout: 30_000 });
  const output = await outputText(page);
  // Python 3: no "Traceback" header for a SyntaxError; the line, a caret, the message.
  assert.doesNotMatch(output, /Traceback/);
  assert.match(output, /^ {2}File "program\.py", line 2\n {4}x = torch\.randn\(3, 4\n {4}\s*\^\nSyntaxError: /);
  assert.equal(await page.locator('.cm-failing-line').count(), 1);
  assert.equal(await page.locator('#diagram svg').count(), 0);
  assert.match(await page.locator('#diagram').textContent(), /never reached a cross-entropy call/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('when the wasm module cannot load, the page says so and keeps the precomputed answer', { timeout: 60_000 }, async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(browser.url);
  await page.waitForFunction(() => document.getElementById('engine').classList.contains('is-failed'), null, { timeout: 30_000 });
  assert.match(await page.locator('#run-status').textContent(), /The engine could not load .*computed in advance/);
  assert.ok((await outputText(page)).includes(ARTICLE_ERROR));
  await setCode(page, 'print(1)\n');
  await page.waitForFunction(() => document.getElementById('output').textContent.startsWith('The engine could not load'), null, { timeout: 10_000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a program that prints HTML shows it as text', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  const markup = '<img src=x onerror="document.title=1"><b>bold</b>';
  await typeCode(page, `print('${markup}')\n`);
  await page.waitForFunction(() => document.getElementById('output').textContent.includes('<b>'), null, { timeout: 30_000 });
  assert.equal(await outputText(page), `${markup}\n`);
  assert.equal(await page.locator('#output img, #output b').count(), 0);
  assert.notEqual(await page.title(), '1');

  // Megabytes of output do not freeze the page: the start is shown, the rest summarized.
  await typeCode(page, 's = "ab" * 3000000\nprint(s)\n');
  await page.waitForFunction(() => document.getElementById('output').textContent.includes('more characters of output'), null, { timeout: 30_000 });
  assert.match(await outputText(page), /^(ab){1000}/);
  // (The core itself stops a program after 1 MiB of output, with a MemoryError.)
  assert.match(await outputText(page), /… and \d+ more characters of output, not shown\./);
  assert.deepEqual(problems, []);
  await page.close();
});
