// The page's features for course authors (issue 6) in headless Chromium: the parity badge, the
// links to the error pages, "Copy link" / "Copy embed code", and the offline download link.
// Screenshots go to $LOGITLAB_SCREENSHOTS (default build/screenshots/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { DIST, openPage, screenshot, startBrowser, waitForEngine } from './browser.mjs';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const countLines = (file) => readFileSync(path.join(FIXTURES, file), 'utf8').split('\n').filter((l) => l.trim() !== '').length;

let browser;

before(async () => {
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
});

test('the parity badge states the PyTorch version and the number of golden cases in the fixtures', { timeout: 60_000 }, async () => {
  const parity = JSON.parse(readFileSync(path.join(DIST, 'parity.json'), 'utf8'));
  // Counted here from the fixture files themselves, not taken from the page's own data.
  const files = Object.keys(parity.files);
  assert.ok(files.length >= 3, `parity.json lists ${files.length} fixture files`);
  const expected = files.reduce((sum, file) => sum + countLines(file), 0);
  assert.ok(expected > 100, `only ${expected} golden cases`);
  const torch = JSON.parse(readFileSync(path.join(FIXTURES, 'versions.json'), 'utf8'))[files[0]].pytorch;
  const short = /^(\d+\.\d+)/.exec(torch)[1];

  const { page, problems } = await openPage(browser.context, browser.url);
  const text = (await page.locator('#parity-text').textContent()).trim();
  assert.equal(text, `Answers match PyTorch ${short} on ${expected} golden cases`);
  const shown = Number(/on (\d+) golden cases/.exec(text)[1]);
  assert.equal(shown, expected);
  // Per-file counts: in the title and in the details, each equal to the file's line count.
  const title = await page.locator('#parity').getAttribute('title');
  for (const file of files) assert.ok(title.includes(`${file}: ${countLines(file)}`), title);
  await page.locator('#parity summary').click();
  const items = await page.locator('#parity-files li').allTextContents();
  assert.deepEqual(items, files.map((file) => `${file}: ${countLines(file)} cases`));
  await page.locator('#parity').scrollIntoViewIfNeeded();
  await screenshot(page, 'course-parity-footer', { fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the error card links "About this error" to the error page of its explanation id, which opens', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  const link = page.locator('#card a.card-about-link');
  await link.waitFor({ timeout: 10_000 });
  const href = await link.getAttribute('href');
  // The article's scenario is a batch mismatch: its catalog id names the page.
  assert.equal(href, 'errors/batch-mismatch.html');
  assert.ok(readFileSync(path.join(DIST, href), 'utf8').includes('batch-mismatch'), `${href} is not in web/dist/`);
  assert.equal(await page.locator('#error-index-link').getAttribute('href'), 'errors/index.html');
  assert.ok(await page.locator('#error-index-link').isVisible());
  await link.scrollIntoViewIfNeeded();
  await screenshot(page, 'course-error-card-link', { fullPage: false });
  const [response] = await Promise.all([page.waitForNavigation(), link.click()]);
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/errors/batch-mismatch.html');
  assert.match(await page.locator('h1').textContent(), /\S/);
  assert.match(await page.locator('body').textContent(), /error id: batch-mismatch/);
  await page.goBack();
  await page.locator('#error-index-link').click();
  await page.waitForURL(/\/errors\/index\.html$/);
  assert.ok(await page.locator('a[href="batch-mismatch.html"]').count() >= 1);
  assert.deepEqual(problems, []);
  await page.close();
});
