// Benchmark (not a test) of the learner's page on localhost, in headless Chromium:
//   - time from navigation to the first result (the article's error, precomputed at build time),
//     to the engine being ready, and to the first live answer of the article's program;
//   - how long the live engine takes to answer the article's program after an edit;
//   - the sizes of the .wasm and .js files the page loads (raw and gzip).
//   node --no-experimental-fetch bench/page.mjs [loads]      (needs web/dist/: npm run build)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { DIST, openPage, startBrowser, waitForEngine } from '../tests/browser/browser.mjs';

const loads = Number(process.argv[2] ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await startBrowser();
const samples = { firstResult: [], engineReady: [], firstLive: [], rerun: [] };
try {
  for (let i = 0; i < loads; i++) {
    const { page } = await openPage(browser.context, browser.url);
    await waitForEngine(page);
    // The article's program again, as after an edit: the live engine answers it.
    await page.evaluate(() => window.logitLab.runNow());
    await page.waitForFunction(() => performance.getEntriesByName('logitlab:first-live-result').length > 0, null, { timeout: 60_000 });
    const marks = await page.evaluate(() => Object.fromEntries(
      ['logitlab:first-result', 'logitlab:engine-ready', 'logitlab:first-live-result']
        .map((name) => [name, performance.getEntriesByName(name)[0].startTime]),
    ));
    samples.firstResult.push(marks['logitlab:first-result']);
    samples.engineReady.push(marks['logitlab:engine-ready']);
    samples.firstLive.push(marks['logitlab:first-live-result']);
    for (let r = 0; r < 3; r++) {
      samples.rerun.push(await page.evaluate(async () => {
        const { live, editor, requestFor } = window.logitLab;
        const outcome = await live.run(requestFor(editor.getCode()));
        return outcome.ms;
      }));
    }
    await page.close();
  }
} finally {
  await browser.close();
}

console.log(`page load on localhost, median of ${loads} loads (ms since navigation start):`);
console.log(`  first result shown (precomputed article error): ${median(samples.firstResult).toFixed(0)} ms`);
console.log(`  wasm engine ready in the worker:               ${median(samples.engineReady).toFixed(0)} ms`);
console.log(`  first live answer of the article's program:    ${median(samples.firstLive).toFixed(0)} ms`);
console.log(`  article's program run in the worker (wasm):    ${median(samples.rerun).toFixed(1)} ms per run (median of ${samples.rerun.length})`);
console.log('files (raw / gzip):');
for (const file of readdirSync(DIST).filter((f) => /\.(wasm|m?js|css|html)$/.test(f)).sort()) {
  const bytes = readFileSync(path.join(DIST, file));
  console.log(`  ${file.padEnd(24)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KiB / ${(gzipSync(bytes).length / 1024).toFixed(1).padStart(7)} KiB`);
}
