// Builds the learner's page into web/dist/, a static site any file server can host:
//   index.html, styles.css, app.js (page), worker.js (runs the core), and beside them the wasm
//   modules that `scripts/build.sh wasm` copies there (logitlab.mjs picks simd128 or scalar).
//
// The article's scenario must render before the wasm module has loaded, so this script runs the
// default scenario's program (and every fix of the gallery applied to it) through the core under
// Node at build time and embeds the responses in app.js.
//
//   node --no-experimental-fetch scripts/build-web.mjs [--dev]     (--dev: no minification)
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WEB = `${ROOT}web/`;
const DIST = `${WEB}dist/`;
const dev = process.argv.includes('--dev');

// The request the page sends for a program; the worker and this script share it.
const { requestFor } = await import(pathToFileURL(`${WEB}src/app/request.js`).href);

async function precompute() {
  const loader = `${DIST}logitlab.mjs`;
  if (!existsSync(loader)) {
    throw new Error('web/dist/logitlab.mjs is missing: run `bash scripts/build.sh wasm` first');
  }
  const { loadLogitLab } = await import(pathToFileURL(loader).href);
  const lab = await loadLogitLab();
  const { DEFAULT_SCENARIO, scenarioToCode } = await import(pathToFileURL(`${WEB}src/model/scenario.js`).href);
  const { FIXES } = await import(pathToFileURL(`${WEB}src/explain/fixes.js`).href);

  const scenario = DEFAULT_SCENARIO;
  const code = scenarioToCode(scenario);
  const started = performance.now();
  const response = lab.run(requestFor(code));
  const fixes = {};
  for (const fix of FIXES) {
    let fixCode;
    try {
      fixCode = fix.apply({ code, scenario });
    } catch {
      continue;  // a fix that does not apply to this code is left for the page to judge
    }
    if (typeof fixCode === 'string') fixes[fix.id] = { code: fixCode, response: lab.run(requestFor(fixCode)) };
  }
  const ms = performance.now() - started;
  console.log(`build-web: precomputed the default scenario and ${Object.keys(fixes).length} fixes in ${ms.toFixed(0)} ms`);
  return { code, response, fixes };
}

// `import precomputed from 'virtual:precomputed'` in the page's sources.
function precomputedPlugin(data) {
  return {
    name: 'precomputed',
    setup(build) {
      build.onResolve({ filter: /^virtual:precomputed$/ }, () => ({ path: 'precomputed', namespace: 'precomputed' }));
      build.onLoad({ filter: /.*/, namespace: 'precomputed' }, () => ({
        contents: JSON.stringify(data),
        loader: 'json',
      }));
    },
  };
}

const precomputed = await precompute();
// The parity badge (issue 6): which PyTorch version the answers match, on how many golden cases,
// read from the fixtures now (scripts/parity.mjs), never typed by hand.
const { parity } = await import('./parity.mjs');
precomputed.parity = await parity();
await mkdir(DIST, { recursive: true });

const common = {
  bundle: true,
  format: 'esm',
  target: ['chrome100', 'firefox100', 'safari15'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  legalComments: 'none',
  logLevel: 'warning',
};
const [page, worker, embedScript] = await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [`${WEB}src/app/main.js`],
    outfile: `${DIST}app.js`,
    plugins: [precomputedPlugin(precomputed)],
    metafile: true,
  }),
  esbuild.build({
    ...common,
    entryPoints: [`${WEB}src/worker.js`],
    outfile: `${DIST}worker.js`,
    external: ['./logitlab.mjs'],  // the loader stays beside the wasm modules it loads
    metafile: true,
  }),
  // embed.js: the <logit-lab> custom element for course pages (issue 6).
  esbuild.build({
    ...common,
    entryPoints: [`${WEB}src/embed/element.js`],
    outfile: `${DIST}embed.js`,
    metafile: true,
  }),
]);
await copyFile(`${WEB}index.html`, `${DIST}index.html`);
await copyFile(`${WEB}styles.css`, `${DIST}styles.css`);
// embed.html: the same page, compact, for an <iframe> (web/src/embed/frame.js, embed.css).
await copyFile(`${WEB}src/embed/embed.css`, `${DIST}embed.css`);
await writeFile(`${DIST}embed.html`, embedPage(await readFile(`${WEB}index.html`, 'utf8')));
// The example course page that embeds three scenarios both ways.
await mkdir(`${DIST}examples`, { recursive: true });
await copyFile(`${WEB}examples/course.html`, `${DIST}examples/course.html`);

function embedPage(html) {
  const edits = [
    ['<html lang="en">', '<html lang="en" data-layout="embed">'],
    ['<link rel="stylesheet" href="styles.css">', '<link rel="stylesheet" href="styles.css">\n  <link rel="stylesheet" href="embed.css">'],
    ['<title>', '<title>Embedded: '],
  ];
  for (const [from, to] of edits) {
    if (!html.includes(from)) throw new Error(`build-web: index.html has no ${from} for embed.html`);
    html = html.replace(from, to);
  }
  return html;
}

for (const result of [page, worker, embedScript]) {
  for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
    console.log(`build-web: ${file.replace(ROOT, '')} ${(bytes / 1024).toFixed(1)} KiB`);
  }
}
console.log(`build-web: web/dist/ is ready (${(await readFile(`${DIST}index.html`)).length} B index.html)`);
await import('./build-extras.mjs');  // issue 6: web/dist/parity.json, errors/*.html, logit-lab.html
