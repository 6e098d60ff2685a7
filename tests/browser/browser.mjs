// Shared setup of the browser tests: serves web/dist/ (scripts/build-web.mjs builds it) on a free
// port and drives Debian's Chromium headless through playwright-core, with a fresh profile.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

const CHROMIUM = process.env.LOGITLAB_CHROMIUM ?? '/usr/bin/chromium';
// $LOGITLAB_DIST serves another built copy of the page (e.g. one built from a clean checkout).
export const DIST = process.env.LOGITLAB_DIST ?? fileURLToPath(new URL('../../web/dist/', import.meta.url));
export const SCREENSHOT_DIR = process.env.LOGITLAB_SCREENSHOTS
  ?? fileURLToPath(new URL('../../build/screenshots/', import.meta.url));

export const ARTICLE_ERROR = 'ValueError: Expected input batch_size (384) to match target batch_size (864).';

export async function startBrowser() {
  for (const file of ['index.html', 'app.js', 'worker.js', 'styles.css', 'logitlab.mjs', 'logitlab_simd.wasm', 'logitlab_nosimd.wasm']) {
    if (!existsSync(path.join(DIST, file))) {
      throw new Error(`web/dist/${file} is missing: run scripts/build.sh wasm and node scripts/build-web.mjs`);
    }
  }
  const { server, url } = await startServer({ port: 0, root: DIST });
  const profile = mkdtempSync(path.join(tmpdir(), 'logitlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
    ],
  });
  return {
    url,
    context,
    async close() {
      await context.close();
      server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A new page that records console errors/warnings, page errors and failed requests in `problems`.
export async function openPage(context, url, { viewport, colorScheme } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  if (viewport) await page.setViewportSize(viewport);
  if (colorScheme) await page.emulateMedia({ colorScheme });
  await page.goto(url);
  return { page, problems };
}

export async function waitForEngine(page) {
  await page.waitForFunction(() => document.getElementById('engine').classList.contains('is-ready'), null, { timeout: 60_000 });
}

// Waits until the live run for the code now in the editor has been rendered.
export async function waitForIdle(page, timeout = 30_000) {
  await page.waitForFunction(() => {
    const state = document.getElementById('output-panel').dataset.state;
    return state !== 'pending' && state !== 'running';
  }, null, { timeout });
}

export async function setCode(page, code) {
  await page.evaluate((text) => window.logitLab.editor.setCode(text), code);
}

// Replaces the program by typing it, as a learner would.
export async function typeCode(page, code) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

export async function outputText(page) {
  return page.locator('#output').textContent();
}

export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}
