// Embeds for course authors (issue 6) in headless Chromium, on the example course page
// (web/examples/course.html, built to web/dist/examples/course.html): embed.html in an <iframe>
// shows its scenario and is resized by its height message; the <logit-lab> element loads only
// when clicked, then shows its scenario; hostile attribute values stay text.
// Screenshots go to $LOGITLAB_SCREENSHOTS (default build/screenshots/).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ARTICLE_ERROR, openPage, screenshot, startBrowser } from './browser.mjs';

let browser;
let course;

before(async () => {
  browser = await startBrowser();
  course = new URL('examples/course.html', browser.url).href;
});

after(async () => {
  await browser?.close();
});

async function frameOf(page, selector) {
  const handle = await page.locator(selector).elementHandle({ timeout: 30_000 });
  await handle.scrollIntoViewIfNeeded();
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => window.logitLab && document.getElementById('output').textContent !== '', null, { timeout: 30_000 });
  return frame;
}

// Waits for the output of a frame to match `pattern` (the engine may still be loading).
async function outputMatching(frame, pattern) {
  await frame.waitForFunction((source) => new RegExp(source).test(document.getElementById('output').textContent), pattern.source, { timeout: 60_000 })
    .catch(() => {});
  return frame.locator('#output').textContent();
}

const TENSOR = /^tensor\(/;

test('embed.html in an iframe shows the scenario and the iframe is resized to its content', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, course);
  const frame1 = await frameOf(page, '#frame-1');
  assert.ok((await frame1.locator('#output').textContent()).includes(ARTICLE_ERROR));
  // The error card shows; the panels an embed leaves out do not.
  assert.ok(await frame1.locator('#why-panel').isVisible());
  assert.ok((await frame1.locator('#card').textContent()).length > 20);
  for (const id of ['scenario-panel', 'diagram-panel', 'fixes-panel', 'trace-panel', 'perf-panel', 'lesson-panel']) {
    assert.equal(await frame1.locator(`#${id}`).isVisible(), false, id);
  }
  assert.equal(await frame1.locator('.masthead').isVisible(), false);
  // A link to the full page with the same scenario.
  assert.equal(await frame1.locator('.embed-open').getAttribute('href'), new URL('index.html#lock=controls', browser.url).href);

  // The iframe started at 300px and now has the height of the embedded document.
  const iframe = page.locator('#frame-1');
  await page.waitForFunction(() => document.getElementById('frame-1').style.height !== '300px', null, { timeout: 30_000 });
  const content = await frame1.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  const height = await iframe.evaluate((node) => node.getBoundingClientRect().height);
  assert.ok(Math.abs(height - content) <= 3, `iframe ${height}px, content ${content}px`);
  assert.ok(content > 300, `content ${content}px`);

  // The other two: their own scenario's output, and the forced theme.
  const frame2 = await frameOf(page, '#frame-2');
  assert.match(await outputMatching(frame2, TENSOR), TENSOR);
  const frame3 = await frameOf(page, '#frame-3');
  assert.match(await outputMatching(frame3, TENSOR), TENSOR);
  assert.equal(await frame3.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the <logit-lab> element loads nothing until clicked, then shows its scenario', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, course);
  const requested = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.waitForFunction(() => customElements.get('logit-lab') !== undefined, null, { timeout: 10_000 });
  for (const id of ['lab-1', 'lab-2', 'lab-3']) {
    assert.equal(await page.evaluate((name) => document.getElementById(name).shadowRoot.querySelector('iframe'), id), null, id);
    assert.ok(await page.locator(`#${id} button`).isVisible(), id);
  }
  assert.match(await page.locator('#lab-2').textContent().then(() => page.locator('#lab-2 .shapes').textContent()), /32×10/);

  await page.locator('#lab-2 button').click();
  const handle = await page.locator('#lab-2 iframe').elementHandle({ timeout: 10_000 });
  const src = await handle.getAttribute('src');
  assert.equal(src, new URL('embed.html#logits=32x10&labels=32&kind=indices&classes=10', browser.url).href);
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => window.logitLab !== undefined, null, { timeout: 30_000 });
  assert.match(await outputMatching(frame, TENSOR), TENSOR);
  await page.waitForFunction(() => document.getElementById('lab-2').shadowRoot.querySelector('iframe').style.height !== '480px', null, { timeout: 30_000 });
  // Still no iframe in the elements that were not clicked.
  for (const id of ['lab-1', 'lab-3']) {
    assert.equal(await page.evaluate((name) => document.getElementById(name).shadowRoot.querySelector('iframe'), id), null, id);
  }

  // Load the other two, by keyboard for one of them, and look at the page.
  await page.locator('#lab-1 button').focus();
  await page.keyboard.press('Enter');
  await page.locator('#lab-3 button').click();
  const frame1 = await (await page.locator('#lab-1 iframe').elementHandle()).contentFrame();
  await frame1.waitForFunction((text) => document.getElementById('output')?.textContent.includes(text), ARTICLE_ERROR, { timeout: 30_000 });
  const frame3 = await (await page.locator('#lab-3 iframe').elementHandle()).contentFrame();
  await frame3.waitForFunction(() => window.logitLab !== undefined, null, { timeout: 30_000 });
  assert.match(await outputMatching(frame3, TENSOR), TENSOR);
  for (const id of ['#frame-1', '#frame-2', '#frame-3']) await frameOf(page, id);
  await page.waitForTimeout(500);
  await screenshot(page, 'course-page-embeds');
  assert.ok(requested.some((url) => url.includes('embed.html')));
  assert.deepEqual(problems, []);
  await page.close();
});

test('hostile attribute values of <logit-lab> render as text, never as markup', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(browser.context, course);
  await page.waitForFunction(() => customElements.get('logit-lab') !== undefined, null, { timeout: 10_000 });
  const code = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  await page.evaluate((text) => {
    const lab = document.createElement('logit-lab');
    lab.id = 'hostile';
    lab.setAttribute('code', text);
    lab.setAttribute('logits', '"><img src=x onerror="window.pwned=3">');
    lab.setAttribute('hide', '<b>bold</b>');
    lab.setAttribute('theme', 'javascript:alert(1)');
    lab.setAttribute('height', '1e9');
    document.body.append(lab);
  }, code);
  const lab = page.locator('#hostile');
  assert.equal(await lab.locator('pre').textContent(), code);
  assert.equal(await page.evaluate(() => document.getElementById('hostile').shadowRoot.querySelectorAll('img, script, b').length), 0);
  await lab.locator('button').click();
  const frame = await (await lab.locator('iframe').elementHandle()).contentFrame();
  await frame.waitForFunction(() => window.logitLab !== undefined, null, { timeout: 30_000 });
  assert.equal(await frame.evaluate(() => window.logitLab.editor.getCode()), code);
  assert.equal(await frame.evaluate(() => document.querySelectorAll('img[src="x"], b').length), 0);
  // The malformed values were dropped before the hash was built: only the code travels.
  const src = await lab.locator('iframe').getAttribute('src');
  assert.equal(new URL(src).hash, `#${new URLSearchParams({ code })}`);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await frame.evaluate(() => window.pwned), undefined);
  assert.deepEqual(problems, []);
  await page.close();
});
