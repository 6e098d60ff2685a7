// The single-file build (scripts/build-single.mjs): web/dist/logit-lab.html opened from file://
// with every network request refused shows the article's error, loads the wasm engine from the
// file itself, and runs a live edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { ARTICLE_ERROR, DIST, outputText, screenshot, typeCode, waitForEngine, waitForIdle } from './browser.mjs';

const FILE = path.join(DIST, 'logit-lab.html');

test('logit-lab.html runs from file:// with no network', { timeout: 180_000 }, async () => {
  assert.ok(existsSync(FILE), 'web/dist/logit-lab.html is missing: run node scripts/build-single.mjs');
  const profile = mkdtempSync(path.join(tmpdir(), 'logitlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.LOGITLAB_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const url = pathToFileURL(FILE).href;
    const refused = [];
    const problems = [];
    await context.route('**', (route) => {
      const requested = route.request().url();
      if (requested === url || requested.startsWith(`${url}#`)) return route.continue();
      refused.push(requested);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    await page.goto(url);

    // The article's scenario, then the engine (from the inlined wasm) comes up.
    await page.waitForFunction((text) => document.getElementById('output').textContent.includes(text), ARTICLE_ERROR, { timeout: 30_000 });
    await waitForEngine(page);
    assert.equal(await page.locator('meta[name="logit-lab-build"]').getAttribute('content'), 'single-file');
    const engine = await page.locator('#engine-text').textContent();
    await waitForIdle(page);
    await screenshot(page, 'single-file-article', { fullPage: false });

    // A live edit runs in the engine: an answer that cannot have been precomputed.
    await typeCode(page, 'import torch\nx = torch.ones(3, 7)\nprint(x.sum(dim=0).shape)\n');
    await page.waitForFunction(() => document.getElementById('output').textContent.includes('torch.Size([7])'), null, { timeout: 30_000 });
    await waitForIdle(page);
    assert.match(await outputText(page), /torch\.Size\(\[7\]\)/);

    // And an error again, from the engine this time.
    await typeCode(page, 'import torch\nimport torch.nn.functional as F\nloss = F.cross_entropy(torch.randn(5, 3), torch.tensor([0, 1]))\n');
    await page.waitForFunction(() => document.getElementById('output').textContent.includes('batch_size (5) to match target batch_size (2)'), null, { timeout: 30_000 });
    await waitForIdle(page);
    await screenshot(page, 'single-file-edited', { fullPage: false });

    assert.deepEqual(refused, [], 'the single file asked the network for nothing');
    assert.deepEqual(problems, [], `no errors or warnings (engine: ${engine})`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
