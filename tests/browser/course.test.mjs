// The page's features for course authors (issue 6) in headless Chromium: the parity badge, the
// links to the error pages, "Copy link" / "Copy embed code", and the offline download link.
// Screenshots go to $LOGITLAB_SCREENSHOTS (default build/screenshots/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  DIST, openPage, outputText, screenshot, setCode, startBrowser, waitForEngine, waitForIdle,
} from './browser.mjs';

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

// A program the controls cannot describe, edited by hand: the link must carry the code itself.
const EDITED = `import torch
import torch.nn.functional as F

# edited by hand: 4 examples, 3 classes, one label out of range
logits = torch.zeros(4, 3)
labels = torch.tensor([0, 2, 1, 5])
print(logits.shape, labels.tolist())
loss = F.cross_entropy(logits, labels)
`;

async function pageState(page) {
  return {
    code: await page.evaluate(() => window.logitLab.editor.getCode()),
    output: await outputText(page),
    logits: await page.locator('#logits-shape').inputValue(),
    labels: await page.locator('#labels-shape').inputValue(),
    kind: await page.locator('#label-kind').inputValue(),
    reduction: await page.locator('#reduction').inputValue(),
  };
}

async function copied(page, button) {
  await page.locator(button).click();
  await page.waitForFunction(() => /Copied/.test(document.getElementById('share-status').textContent), null, { timeout: 10_000 });
  const field = await page.locator('#share-text').inputValue();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, field);
  return clip;
}

test('"Copy link" copies a link that reproduces the scenario exactly in a fresh page', { timeout: 120_000 }, async () => {
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(browser.url).origin });
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);

  // 1. A scenario set with the controls.
  await page.locator('#logits-shape').fill('32, 12, 7');
  await page.locator('#labels-shape').fill('32, 12');
  await page.locator('#labels-shape').press('Tab');
  await page.locator('#reduction').selectOption('sum');
  await page.waitForFunction(() => window.logitLab.editor.getCode().includes("reduction='sum'")
    || window.logitLab.editor.getCode().includes('reduction="sum"'), null, { timeout: 10_000 });
  await waitForIdle(page);
  const scenario = await pageState(page);
  assert.equal(scenario.logits, '32, 12, 7');
  const scenarioLink = await copied(page, '#copy-link');
  assert.ok(scenarioLink.startsWith(`${browser.url.replace(/\/?$/, '/')}`) || scenarioLink.startsWith(browser.url), scenarioLink);
  assert.match(scenarioLink, /#.*logits=32x12x7/);
  assert.equal(await page.locator('#share-status').getAttribute('role'), 'status');

  // 2. A program edited by hand.
  await setCode(page, EDITED);
  await page.waitForFunction(() => document.getElementById('output').textContent.includes('torch.Size([4, 3])'), null, { timeout: 30_000 });
  await waitForIdle(page);
  const edited = await pageState(page);
  assert.match(edited.output, /IndexError: Target 5 is out of bounds\./);
  const editedLink = await copied(page, '#copy-link');
  assert.match(editedLink, /[#&]code=/);
  await page.locator('#share-text').scrollIntoViewIfNeeded();
  await screenshot(page, 'course-copy-link', { fullPage: false });

  // Each link, opened in a fresh page, shows the same program, controls and output.
  for (const [link, expected] of [[scenarioLink, scenario], [editedLink, edited]]) {
    const fresh = await openPage(browser.context, link);
    await waitForEngine(fresh.page);
    await fresh.page.waitForFunction((text) => document.getElementById('output').textContent === text, expected.output, { timeout: 30_000 })
      .catch(() => {});
    await waitForIdle(fresh.page);
    assert.deepEqual(await pageState(fresh.page), expected);
    assert.deepEqual(fresh.problems, []);
    await fresh.page.close();
  }

  // The embed code: an iframe of embed.html (the compact layout) with the same state.
  const embed = await copied(page, '#copy-embed');
  const match = /^<iframe src="([^"]+)" title="Logit Lab" loading="lazy" style="width:100%;height:720px;border:0" data-logit-lab=""><\/iframe>$/.exec(embed);
  assert.ok(match, embed);
  const src = match[1].replace(/&amp;/g, '&');
  assert.equal(src, new URL('embed.html', browser.url).href + editedLink.slice(editedLink.indexOf('#')));
  assert.deepEqual(problems, []);
  await page.close();
});

test('without clipboard access, the text is selected in a read-only field and the status says so', { timeout: 60_000 }, async () => {
  const page = await browser.context.newPage();
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await page.goto(browser.url);
  await page.locator('#copy-link').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('share-status').textContent !== '', null, { timeout: 10_000 });
  assert.match(await page.locator('#share-status').textContent(), /did not allow copying.*Ctrl\+C/);
  const field = page.locator('#share-text');
  assert.equal(await field.getAttribute('readonly'), '');
  assert.ok(await field.evaluate((node) => document.activeElement === node
    && node.selectionStart === 0 && node.selectionEnd === node.value.length && node.value.length > 0));
  assert.equal(await field.inputValue(), browser.url.replace(/#.*$/, ''));
  await page.close();
});

test('a "Download for offline use" link fetches logit-lab.html; the single file hides it and its links to other files', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage(browser.context, browser.url);
  const download = page.locator('#download-single');
  assert.ok(await download.isVisible());
  assert.equal((await download.textContent()).trim(), 'Download for offline use (one file)');
  assert.equal(await download.getAttribute('href'), 'logit-lab.html');
  assert.equal(await download.getAttribute('download'), 'logit-lab.html');
  const response = await page.request.get(new URL('logit-lab.html', browser.url).href);
  assert.equal(response.status(), 200);
  const body = await response.text();
  assert.match(body, /<meta name="logit-lab-build" content="single-file">/);
  assert.equal(body, readFileSync(path.join(DIST, 'logit-lab.html'), 'utf8'));
  await download.scrollIntoViewIfNeeded();
  await screenshot(page, 'course-download-link', { fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();

  // The single file, opened from disk: no download link, no links to error pages or index.html.
  const single = await browser.context.newPage();
  await single.goto(pathToFileURL(path.join(DIST, 'logit-lab.html')).href);
  await single.locator('#card .card-kind').waitFor({ timeout: 15_000 });
  assert.equal(await single.locator('meta[name="logit-lab-build"][content="single-file"]').count(), 1);
  assert.equal(await single.locator('#download-single').isVisible(), false);
  assert.equal(await single.locator('#download-single').getAttribute('href'), null);
  assert.equal(await single.locator('#card a.card-about-link').count(), 0);
  assert.equal(await single.locator('#footer-links').isVisible(), false);
  assert.equal(await single.locator('#copy-embed').isVisible(), false);
  assert.ok(await single.locator('#copy-link').isVisible());
  assert.match(await single.locator('#parity-text').textContent(), /^Answers match PyTorch \d+\.\d+ on \d+ golden cases$/);
  await single.locator('#editor-panel').scrollIntoViewIfNeeded();
  await screenshot(single, 'course-single-file-share', { fullPage: false });
  await single.close();
});

test('the predict-then-reveal lesson works by keyboard alone, step by step, to the end', { timeout: 180_000 }, async () => {
  const { CHOICES, LESSON } = await import('../../web/src/lessons/lessons.js');
  const order = CHOICES.map((c) => c.id);
  const { page, problems } = await openPage(browser.context, browser.url);
  await waitForEngine(page);
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return a ? (a.name === 'lesson-guess' ? `radio:${a.value}` : a.id || a.tagName) : null;
  });
  // Tab from the top of the page until the first answer of the lesson has the focus.
  let reached = false;
  for (let i = 0; i < 200 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = (await focused()) === `radio:${order[0]}`;
  }
  assert.ok(reached, 'Tab never reached the lesson\'s answers');

  for (const [i, step] of LESSON.steps.entries()) {
    assert.equal(await page.locator('#lesson-progress').textContent(), `Step ${i + 1} of ${LESSON.steps.length}`);
    assert.equal(await page.locator('#lesson-code').textContent(), step.code);
    // The first guess is wrong on purpose; the others are the answer real PyTorch gives.
    const guess = i === 0 ? order.find((id) => id !== step.answer) : step.answer;
    await page.keyboard.press('Space');
    for (let k = 0; k < order.indexOf(guess); k++) await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), `radio:${guess}`);
    assert.equal(await page.locator(`#lesson-guess-${guess}`).isChecked(), true);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'lesson-check');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('lesson-panel').dataset.state === 'revealed', null, { timeout: 30_000 });
    assert.equal(await page.locator('#lesson-panel').getAttribute('data-verdict'), step.answer, `step ${step.id}`);
    const verdict = await page.locator('#lesson-result .lesson-verdict').textContent();
    const label = (id) => CHOICES.find((c) => c.id === id).label;
    assert.ok(verdict.includes(`running it: ${label(step.answer)}.`), verdict);
    assert.match(verdict, i === 0 ? /Not this time/ : /You predicted it/);
    if (step.answer === 'raises') assert.match(await page.locator('#lesson-result .lesson-output').textContent(), new RegExp(`${step.error}: `));
    assert.ok((await page.locator('#lesson-result').textContent()).includes(step.explanation));
    if (i === 0) {
      await page.locator('#lesson-panel').scrollIntoViewIfNeeded();
      await screenshot(page, 'course-lesson-revealed', { fullPage: false });
    }
    // The focus is on "Next step": Enter goes on, then Tab, Tab reach the next step's answers.
    assert.equal(await focused(), 'lesson-next');
    await page.keyboard.press('Enter');
    if (i + 1 < LESSON.steps.length) {
      assert.equal(await focused(), 'lesson-progress');
      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'lesson-code');
      await page.keyboard.press('Tab');
      assert.equal(await focused(), `radio:${order[0]}`);
    }
  }
  // After the last step, the lesson starts again.
  assert.equal(await page.locator('#lesson-progress').textContent(), `Step 1 of ${LESSON.steps.length}`);
  assert.deepEqual(problems, []);
  await page.close();
});
