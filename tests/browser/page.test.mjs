// The page in headless Chromium: Run sends the example request to the worker's wasm module and
// the response JSON appears. Leaves a screenshot in build/screenshots/page.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

const CHROMIUM = process.env.LOGITLAB_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = fileURLToPath(new URL('../../build/screenshots/', import.meta.url));

let server;
let browser;
let profile;
let baseUrl;

before(async () => {
  ({ server, url: baseUrl } = await startServer({ port: 0 }));
  profile = mkdtempSync(path.join(tmpdir(), 'logitlab-chromium-'));
  // A persistent context is how Playwright takes a fresh --user-data-dir.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the wasm modules are built for the page', () => {
  for (const file of ['logitlab.mjs', 'logitlab_simd.mjs', 'logitlab_simd.wasm', 'logitlab_nosimd.mjs', 'logitlab_nosimd.wasm']) {
    assert.ok(existsSync(fileURLToPath(new URL(`../../web/dist/${file}`, import.meta.url))), `web/dist/${file}: run scripts/build.sh wasm`);
  }
});

test('Run shows the response of the example request', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  await page.goto(baseUrl);
  const run = page.locator('#run');
  await run.waitFor();
  await page.waitForFunction(() => !document.getElementById('run').disabled, null, { timeout: 30_000 });
  const status = await page.locator('#status').textContent();
  assert.match(status, /logitlab_simd/, 'Chromium supports simd128, so the page should load the simd build');

  await run.click();
  await page.waitForFunction(() => document.getElementById('response').textContent.trim() !== '', null, { timeout: 30_000 });
  const text = await page.locator('#response').textContent();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'page.png'), fullPage: true });

  const response = JSON.parse(text);
  for (const field of ['stdout', 'error', 'values', 'variables', 'trace']) {
    assert.ok(field in response, `the response has no "${field}": ${text.slice(0, 300)}`);
  }
  assert.equal(response.error, null, JSON.stringify(response.error));
  assert.equal(response.stdout, 'tensor(1.7048)\n');  // what PyTorch 1.13 prints for the example
  assert.deepEqual(problems, []);
  await page.close();
});
