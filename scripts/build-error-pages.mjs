// Error pages: one static, self-contained page per explanation id of the catalog
// (web/dist/errors/<id>.html) and an index (web/dist/errors/index.html), citable in notes.
// Each page says what the message means, why PyTorch insists, the fixes of the gallery that
// work and those that do not (titles from fixes.js), the catalog's example program, what real
// PyTorch answered for it (tests/fixtures/web/explain.jsonl, case "catalog:<id>"), and links to
// the playground with the example loaded (../index.html#code=...). No scripts; every text is
// HTML-escaped.
//
//   node scripts/build-error-pages.mjs        (also exported: buildErrorPages(root))
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d232b; --bg: #fbfbfa; --muted: #5a6472; --line: #d8dce2;
  --ok: #1c6b3a; --bad: #9b2c1f; --code-bg: #f0f2f4; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7eb; --bg: #16191d; --muted: #a2abb7; --line: #333a43;
  --ok: #7fd19b; --bad: #f29a8c; --code-bg: #20252b; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
nav { font-size: 0.9rem; color: var(--muted); margin-bottom: 1rem; }
a { color: inherit; text-underline-offset: 0.15em; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.1rem; margin: 1.8rem 0 0.4rem; }
.id { font: 0.85rem ui-monospace, "SFMono-Regular", Menlo, monospace; color: var(--muted); }
.message, pre { font: 0.88rem/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: var(--code-bg);
  border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem; overflow-x: auto; white-space: pre-wrap; }
ul { padding-left: 1.2rem; }
li { margin: 0.35rem 0; }
.works h2 { color: var(--ok); }
.doesnt h2 { color: var(--bad); }
.fix-title { font-weight: 600; }
.fix-summary { color: var(--muted); font-size: 0.95rem; }
.try { display: inline-block; margin-top: 0.6rem; padding: 0.45rem 0.9rem; border: 1px solid var(--fg); border-radius: 6px; text-decoration: none; font-weight: 600; }
footer { margin-top: 2.5rem; font-size: 0.85rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: 0.8rem; }
`;

function page({ title, body }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

async function loadSources(root) {
  const mod = (p) => import(pathToFileURL(`${root}${p}`).href);
  const { CATALOG } = await mod('web/src/explain/catalog.js');
  const { FIXES } = await mod('web/src/explain/fixes.js');
  const { stateToHash } = await mod('web/src/model/urlstate.js');
  const answers = new Map();
  const fixture = `${root}tests/fixtures/web/explain.jsonl`;
  if (existsSync(fixture)) {
    for (const line of (await readFile(fixture, 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line);
      if (row.name.startsWith('catalog:')) answers.set(row.name.slice('catalog:'.length), row);
    }
  }
  let pytorch = null;
  try {
    pytorch = JSON.parse(await readFile(`${root}tests/fixtures/versions.json`, 'utf8'))['web/explain.jsonl']?.pytorch ?? null;
  } catch { /* no version recorded: the page just says "PyTorch" */ }
  return { CATALOG, FIXES, stateToHash, answers, pytorch };
}

function fixList(ids, fixes, entryId) {
  return ids.map((id) => {
    const fix = fixes.find((f) => f.id === id);
    if (!fix) throw new Error(`catalog entry ${entryId} names fix ${id}, which fixes.js does not have`);
    return `<li id="fix-${escapeHtml(id)}"><span class="fix-title">${escapeHtml(fix.title)}</span>` +
      (fix.summary ? `<br><span class="fix-summary">${escapeHtml(fix.summary)}</span>` : '') + '</li>';
  }).join('\n');
}

export function playgroundHref(stateToHash, code) {
  return `../index.html${stateToHash({ code })}`;
}

export function errorPage(entry, { FIXES, stateToHash, answers, pytorch }) {
  const answer = answers.get(entry.id);
  const torchName = pytorch ? `PyTorch ${pytorch.replace(/^(\d+\.\d+).*/, '$1')}` : 'PyTorch';
  const said = answer?.error
    ? `<h2>What ${escapeHtml(torchName)} says for the example</h2>
<p class="message">${escapeHtml(`${answer.error.type}: ${answer.error.message}`)}</p>
<p>(raised on line ${escapeHtml(answer.error.line)} of the program above)</p>`
    : '';
  const works = entry.works.length
    ? `<section class="works"><h2>Fixes that work</h2>\n<ul>\n${fixList(entry.works, FIXES, entry.id)}\n</ul></section>` : '';
  const doesnt = entry.doesNotWork.length
    ? `<section class="doesnt"><h2>Fixes that do not work</h2>\n<ul>\n${fixList(entry.doesNotWork, FIXES, entry.id)}\n</ul></section>` : '';
  const body = `<nav><a href="index.html">All error explanations</a> · <a href="../index.html">Logit Lab playground</a></nav>
<p class="id">error id: ${escapeHtml(entry.id)}</p>
<h1>${escapeHtml(entry.title)}</h1>
<p class="message">${escapeHtml(entry.match)}</p>
<h2>What it means</h2>
<p>${escapeHtml(entry.meaning)}</p>
<h2>Why PyTorch refuses</h2>
<p>${escapeHtml(entry.why)}</p>
${works}
${doesnt}
<h2>A program that raises it</h2>
<pre><code>${escapeHtml(entry.example)}</code></pre>
${said}
<a class="try" href="${escapeHtml(playgroundHref(stateToHash, entry.example))}">Open this program in the playground</a>
<footer>Logit Lab answers as real ${escapeHtml(torchName)} does. This page's address stays the same: cite it as errors/${escapeHtml(entry.id)}.html.</footer>`;
  return page({ title: `${entry.title} · Logit Lab`, body });
}

function indexPage(catalog) {
  const items = catalog.map((e) => `<li><a href="${escapeHtml(e.id)}.html">${escapeHtml(e.title)}</a><br>` +
    `<span class="id">${escapeHtml(e.match)}</span></li>`).join('\n');
  const body = `<nav><a href="../index.html">Logit Lab playground</a></nav>
<h1>Error explanations</h1>
<p>Every explanation Logit Lab's error card can show, by its stable id.</p>
<ul>
${items}
</ul>`;
  return page({ title: 'Error explanations · Logit Lab', body });
}

export async function buildErrorPages(root = ROOT) {
  const sources = await loadSources(root);
  const out = `${root}web/dist/errors/`;
  await mkdir(out, { recursive: true });
  const seen = new Set();
  for (const entry of sources.CATALOG) {
    if (!/^[a-z0-9-]+$/.test(entry.id) || seen.has(entry.id)) throw new Error(`bad or duplicate catalog id ${entry.id}`);
    seen.add(entry.id);
    await writeFile(`${out}${entry.id}.html`, errorPage(entry, sources));
  }
  await writeFile(`${out}index.html`, indexPage(sources.CATALOG));
  console.log(`build-error-pages: ${seen.size} pages and an index in web/dist/errors/`);
  return [...seen];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildErrorPages();
