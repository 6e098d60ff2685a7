// The page for everyone: keyboard alone reaches every control, a narrow phone screen and dark
// mode render without horizontal scrolling, both wasm builds answer identically, and the
// performance panel times both builds. Screenshots go where browser.mjs says.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import path from 'node:path';

import { ARTICLE_ERROR, SCREENSHOT_DIR, openPage, outputText, screenshot, startBrowser, waitForEngine } from './browser.mjs';

let browser;

before(async () => {
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
});

test('keyboard alone reaches every control, the editor and the fix buttons', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  const reached = new Set();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const active = document.activeElement;
      if (!active || active === document.body) return null;
      if (active.classList.contains('cm-content')) return 'editor';
      if (active.closest('.fix') && active.tagName === 'BUTTON') return `apply:${active.closest('.fix').id}`;
      return active.id || `${active.tagName.toLowerCase()}.${active.className}`;
    });
    if (id) reached.add(id);
  }
  for (const id of ['logits-shape', 'labels-shape', 'label-kind', 'num-classes', 'reduction', 'ignore-index', 'label-smoothing', 'weights', 'editor', 'output', 'perf-run']) {
    assert.ok(reached.has(id), `Tab never reached #${id}; reached: ${[...reached].join(', ')}`);
  }
  assert.ok([...reached].some((id) => id.startsWith('apply:')), 'Tab never reached a fix button');

  // Every form control has a label.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, button, textarea')]
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
    .map((el) => el.id || el.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
  assert.deepEqual(problems, []);
  await page.close();
});

for (const [name, options] of [
  ['narrow-400', { viewport: { width: 400, height: 860 } }],
  ['narrow-360-dark', { viewport: { width: 360, height: 800 }, colorScheme: 'dark' }],
  ['dark-1280x800', { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' }],
  ['dark-by-link-1280x800', { viewport: { width: 1280, height: 800 }, colorScheme: 'light', hash: '#theme=dark' }],
]) {
  test(`the page fits without horizontal scrolling: ${name}`, { timeout: 60_000 }, async () => {
    const { page, problems } = await openPage(browser.context, browser.url + (options.hash ?? ''), options);
    await waitForEngine(page);
    assert.ok((await outputText(page)).includes(ARTICLE_ERROR));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    // Dark mode really is dark: the page background follows the scheme (or the link's theme).
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = background.match(/\d+/g).map(Number);
    const dark = options.colorScheme === 'dark' || options.hash === '#theme=dark';
    assert.equal(r + g + b < 200, dark, `background ${background}`);
    await screenshot(page, name);
    await screenshot(page, `${name}-first-screen`, { fullPage: false });
    assert.deepEqual(problems, []);
    await page.close();
  });
}

// Printed text, errors and traces must be identical; values may differ in the last bit of a
// float32 (the SIMD kernels sum in a different order), so they agree to 1e-6 relative.
test('the SIMD and scalar builds answer the same programs identically', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  const programs = [
    'import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\nlogits = torch.randn(384, 2971)\nlabels = torch.randint(0, 2971, (864, 2971))\nloss = F.cross_entropy(logits, labels)\n',
    'import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\nlogits = torch.randn(64, 300)\nlabels = torch.randint(0, 300, (64,))\nloss = F.cross_entropy(logits, labels, label_smoothing=0.1)\nprint(loss)\nprint(F.log_softmax(logits, dim=1)[0, :5])\n',
    'import torch\nimport torch.nn.functional as F\ntorch.manual_seed(1)\nlogits = torch.randn(8, 5, 7)\nlabels = torch.softmax(torch.randn(8, 5, 7), dim=1)\nloss = F.cross_entropy(logits, labels, reduction=\'none\')\nprint(loss)\n',
  ];
  const answers = await page.evaluate(async (codes) => {
    const { loadLogitLab } = await import('./logitlab.mjs');
    const simd = await loadLogitLab({ simd: true });
    const scalar = await loadLogitLab({ simd: false });
    return codes.map((code) => {
      const request = { code, seed: 0, outputs: ['loss'] };
      return [JSON.stringify(simd.run(request)), JSON.stringify(scalar.run(request))];
    });
  }, programs);
  for (const [i, [simdText, scalarText]] of answers.entries()) {
    const simd = JSON.parse(simdText);
    const scalar = JSON.parse(scalarText);
    assert.ok(!simd.request_error, simdText);
    for (const field of ['stdout', 'error', 'trace', 'variables']) {
      assert.deepEqual(simd[field], scalar[field], `program ${i}: ${field}`);
    }
    assert.deepEqual(Object.keys(simd.values), Object.keys(scalar.values));
    for (const [name, value] of Object.entries(simd.values)) {
      const other = scalar.values[name];
      if (value === null || other === null) {
        assert.equal(value, other, `program ${i}: ${name}`);
        continue;
      }
      assert.deepEqual([value.dtype, value.shape], [other.dtype, other.shape], `program ${i}: ${name}`);
      value.data.forEach((x, j) => {
        const y = other.data[j];
        assert.ok(x === y || Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y)), `program ${i}: ${name}[${j}] ${x} vs ${y}`);
      });
    }
  }
  assert.ok(answers[0][0].includes('Expected input batch_size (384) to match target batch_size (864).'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the performance panel times cross-entropy with both builds and shows the speed-up', { timeout: 240_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  await page.locator('#perf-run').click();
  await page.locator('#perf-table:not([hidden])').waitFor({ timeout: 200_000 });
  const rows = await page.locator('#perf-table tbody tr').allTextContents();
  assert.equal(rows.length, 2, rows.join(' | '));
  assert.match(rows[0], /SIMD/);
  assert.match(rows[0], /× faster|–/);
  assert.match(rows[1], /Scalar/);
  assert.match(await page.locator('#perf-status').textContent(), /speed-up/);
  await page.locator('#perf-panel').screenshot({ path: path.join(SCREENSHOT_DIR, 'perf-panel.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Content-Security-Policy allows the wasm engine but no inline or eval\'d script', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);  // the engine compiled its wasm under 'wasm-unsafe-eval'
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(policy, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
  const result = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
    const inline = document.createElement('script');
    inline.textContent = 'window.injected = 1;';
    document.body.append(inline);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { injected: window.injected ?? null, violations };
  });
  assert.deepEqual(result, { injected: null, violations: ['script-src-elem'] });
  // The blocked script is reported on the console: that, and only that, is expected here.
  assert.ok(problems.every((p) => /Content Security Policy/.test(p)), problems.join('\n'));
  await page.close();
});
