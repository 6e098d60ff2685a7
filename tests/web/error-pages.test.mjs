// The error pages (scripts/build-error-pages.mjs): one per catalog id, no scripts, every link lands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildErrorPages, errorPage, escapeHtml } from '../../scripts/build-error-pages.mjs';
import { CATALOG } from '../../web/src/explain/catalog.js';
import { FIXES } from '../../web/src/explain/fixes.js';
import { hashToState, stateToHash } from '../../web/src/model/urlstate.js';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const OUT = `${WEB}dist/errors/`;
const ids = await buildErrorPages();

const decode = (s) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

test('every catalog id has its page, and the index lists them all', () => {
  assert.equal(ids.length, CATALOG.length);
  const index = readFileSync(`${OUT}index.html`, 'utf8');
  for (const entry of CATALOG) {
    assert.ok(existsSync(`${OUT}${entry.id}.html`), entry.id);
    assert.ok(index.includes(`href="${entry.id}.html"`), entry.id);
  }
  const pages = readdirSync(OUT).filter((f) => f.endsWith('.html'));
  assert.equal(pages.length, CATALOG.length + 1);
});

test('pages carry no script and escape every text', () => {
  for (const file of readdirSync(OUT)) {
    const html = readFileSync(`${OUT}${file}`, 'utf8');
    assert.ok(!/<script/i.test(html), file);
    assert.ok(!/\son[a-z]+=/i.test(html), `${file}: no event handler attributes`);
  }
  for (const entry of CATALOG) {
    const html = readFileSync(`${OUT}${entry.id}.html`, 'utf8');
    for (const text of [entry.title, entry.meaning, entry.why, entry.example]) assert.ok(html.includes(escapeHtml(text)), entry.id);
    for (const id of [...entry.works, ...entry.doesNotWork]) {
      assert.ok(html.includes(escapeHtml(FIXES.find((f) => f.id === id).title)), `${entry.id}: fix ${id}`);
    }
  }
  assert.equal(escapeHtml('<script>alert("x")</script> & \''), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;');
});

test('every link resolves to a file, and playground links carry the example program', () => {
  for (const file of readdirSync(OUT)) {
    const html = readFileSync(`${OUT}${file}`, 'utf8');
    for (const [, raw] of html.matchAll(/href="([^"]*)"/g)) {
      const href = decode(raw);
      assert.ok(!/^[a-z]+:/i.test(href), `${file}: relative links only (${href})`);
      const [path, hash] = href.split('#');
      let target = resolve(dirname(`${OUT}${file}`), path);
      // ../index.html is the playground that scripts/build-web.mjs copies from web/index.html
      if (target === resolve(`${WEB}dist/index.html`) && !existsSync(target)) target = `${WEB}index.html`;
      assert.ok(existsSync(target), `${file}: ${href}`);
      if (hash !== undefined) {
        const entry = CATALOG.find((e) => `${e.id}.html` === file);
        const { state, notices } = hashToState(`#${hash}`);
        assert.deepEqual(notices, [], `${file}: ${href}`);
        assert.equal(state.code, entry.example, file);
      }
    }
  }
});

test('hostile catalog text stays text', () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
  const entry = { id: 'evil', title: evil, match: evil, meaning: evil, why: evil, example: `x = "${evil}"\n`, works: ['truncate'], doesNotWork: [] };
  const fixes = [{ id: 'truncate', title: evil, summary: evil }];
  const answers = new Map([['evil', { error: { type: evil, message: evil, line: evil } }]]);
  const html = errorPage(entry, { FIXES: fixes, stateToHash, answers, pytorch: '1.13.0' });
  assert.ok(!/<script/i.test(html));
  assert.ok(!/<img/i.test(html));
  assert.ok(html.includes(escapeHtml(evil)));
});
