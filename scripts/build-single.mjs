// One self-contained file: web/dist/logit-lab.html, the page with its CSS, its script, the worker
// and both wasm modules (base64) inlined, so it works opened from disk (file://) or uploaded to a
// learning platform, with no network.
//
// It reuses what scripts/build-web.mjs and `scripts/build.sh wasm` wrote into web/dist/ (index.html,
// app.js, styles.css, logitlab*.mjs/.wasm) and bundles web/src/worker.js again with the loader
// rewritten to import both Emscripten modules statically and hand them their wasm as
// `wasmBinary` (Emscripten 3.1.6 would otherwise fetch the .wasm file). A worker cannot be started
// from a file:// URL, so the worker's code sits in a non-executed <script type="text/x-worker">
// and a small inline script makes `new Worker(".../worker.js")` start it from a Blob URL instead.
// The page's Content-Security-Policy is kept in spirit: scripts only by hash, the worker only from
// blob:, no network at all.
//
//   node --no-experimental-fetch scripts/build-single.mjs      (after build-web.mjs)
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WEB = `${ROOT}web/`;
const DIST = `${WEB}dist/`;
const BUILDS = ['logitlab_simd', 'logitlab_nosimd'];

const LOADER_IMPORT = 'const { default: createLogitLabModule } = await import(`./${build}.mjs`);';
const LOADER_CREATE = 'const module = await createLogitLabModule(';
const NODE_PRELUDE = "const { createRequire } = await import('node:module');";
const NODE_PRELUDE_STUB = "const createRequire = () => { throw new Error('the single-file build does not run under Node'); };";

// The loader (wasm/logitlab.mjs) with the two modules imported statically and their wasm inlined.
async function inlinedLoader() {
  let text = await readFile(`${DIST}logitlab.mjs`, 'utf8');
  for (const needle of [LOADER_IMPORT, LOADER_CREATE]) {
    if (!text.includes(needle)) throw new Error(`build-single: web/dist/logitlab.mjs no longer contains ${JSON.stringify(needle)}; update scripts/build-single.mjs`);
  }
  const wasm = {};
  for (const build of BUILDS) wasm[build] = (await readFile(`${DIST}${build}.wasm`)).toString('base64');
  text = text
    .replace(LOADER_IMPORT, 'const createLogitLabModule = MODULES[build];')
    .replace(LOADER_CREATE, `if (!wasmBinary) wasmBinary = inlinedWasm(build);\n  ${LOADER_CREATE}`);
  return `import createSimd from './logitlab_simd.mjs';
import createNosimd from './logitlab_nosimd.mjs';
const MODULES = { logitlab_simd: createSimd, logitlab_nosimd: createNosimd };
const WASM = ${JSON.stringify(wasm)};
function inlinedWasm(build) {
  const text = atob(WASM[build]);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
${text}`;
}

async function workerBundle() {
  const loader = await inlinedLoader();
  const result = await esbuild.build({
    entryPoints: [`${WEB}src/worker.js`],
    bundle: true,
    write: false,
    // A classic worker: Chromium refuses module workers from blob: URLs of a file:// page.
    format: 'iife',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: ['node:*'],
    // The Emscripten glue resolves the .wasm against import.meta.url even when it is handed the
    // bytes; a blob: worker's URL is no base for that, so give it one that is never fetched.
    define: { 'import.meta.url': '"https://logit-lab.invalid/"' },
    plugins: [{
      name: 'inlined-loader',
      setup(build) {
        build.onResolve({ filter: /^\.\/logitlab\.mjs$/ }, () => ({ path: `${DIST}logitlab.mjs`, namespace: 'inlined-loader' }));
        build.onLoad({ filter: /.*/, namespace: 'inlined-loader' }, async () => ({ contents: await loader, loader: 'js', resolveDir: DIST }));
        // The glue's Node-only prelude has a top-level await, which a classic script cannot have.
        build.onLoad({ filter: /logitlab_(simd|nosimd)\.mjs$/ }, async (args) => {
          const text = await readFile(args.path, 'utf8');
          if (!text.includes(NODE_PRELUDE)) throw new Error(`build-single: ${args.path} no longer contains ${JSON.stringify(NODE_PRELUDE)}; update scripts/build-single.mjs`);
          return { contents: text.replace(NODE_PRELUDE, NODE_PRELUDE_STUB), loader: 'js' };
        });
      },
    }],
  });
  return result.outputFiles[0].text;
}

// Text for inside a <script> element: "</script" (any case) and "<!--" must not appear.
function scriptSafe(js) {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// Started instead of ".../worker.js": the worker's code from the non-executed script element.
const WORKER_SHIM = `(() => {
  const NativeWorker = window.Worker;
  let url = null;
  window.Worker = class extends NativeWorker {
    constructor(scriptURL, options) {
      if (/(^|\\/)worker\\.js([?#].*)?$/.test(String(scriptURL))) {
        if (!url) {
          const source = document.getElementById('logit-lab-worker').textContent;
          url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
        }
        super(url, { ...options, type: 'classic' });
      } else {
        super(scriptURL, options);
      }
    }
  };
})();`;

const CSP = (hashes) => [
  "default-src 'none'",
  `script-src ${hashes.join(' ')} 'wasm-unsafe-eval' blob:`,
  'worker-src blob:',
  "style-src 'unsafe-inline'",
  'img-src data:',
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export async function buildSingle() {
  for (const file of ['index.html', 'app.js', 'styles.css', 'logitlab.mjs', ...BUILDS.flatMap((b) => [`${b}.mjs`, `${b}.wasm`])]) {
    if (!existsSync(`${DIST}${file}`)) throw new Error(`build-single: web/dist/${file} is missing: run scripts/build.sh wasm and scripts/build-web.mjs first`);
  }
  let html = await readFile(`${DIST}index.html`, 'utf8');
  const app = scriptSafe(await readFile(`${DIST}app.js`, 'utf8'));
  const css = (await readFile(`${DIST}styles.css`, 'utf8')).replace(/<\/(style)/gi, '<\\/$1');
  const worker = scriptSafe(await workerBundle());

  const replaceOnce = (pattern, replacement, what) => {
    const matches = html.match(new RegExp(pattern.source, 'g')) ?? [];
    if (matches.length !== 1) throw new Error(`build-single: expected one ${what} in web/dist/index.html, found ${matches.length}`);
    html = html.replace(pattern, () => replacement);
  };
  replaceOnce(/<link rel="stylesheet" href="styles\.css">/, `<style>${css}</style>`, 'stylesheet link');
  replaceOnce(/<script type="module" src="app\.js"><\/script>/,
    `<script>${WORKER_SHIM}</script>\n  <script type="module">${app}</script>`, 'app.js script');
  // The page can tell it is the single file (no errors/ pages, no parity.json beside it).
  replaceOnce(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
    `<meta http-equiv="Content-Security-Policy" content="${CSP([sha256(WORKER_SHIM), sha256(app)])}">\n  <meta name="logit-lab-build" content="single-file">`, 'Content-Security-Policy');
  replaceOnce(/<\/body>/, `<script type="text/x-worker" id="logit-lab-worker">${worker}</script>\n</body>`, '</body>');
  const leftover = html.match(/\s(?:src|href)="(?!#|data:|https?:)[^"]+"/g);
  if (leftover) throw new Error(`build-single: index.html still refers to files: ${leftover.join(', ')}`);

  await writeFile(`${DIST}logit-lab.html`, html);
  console.log(`build-single: web/dist/logit-lab.html ${(Buffer.byteLength(html) / 1024 / 1024).toFixed(2)} MiB (page ${(app.length / 1024).toFixed(0)} KiB, worker with both wasm modules ${(worker.length / 1024 / 1024).toFixed(2)} MiB)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildSingle();
