// The fixes gallery: one card per fix, each with the verdict of actually running the rewritten
// program (judge() reads the response) and a button that puts the rewritten program in the editor.
import { FIXES, judge } from '../explain/fixes.js';
import { $, el } from './dom.js';
import { requestFor } from './request.js';
import { tracebackText } from './render.js';

const VERDICTS = {
  works: { icon: '✓', word: 'Works' },
  raises: { icon: '✗', word: 'Raises' },
  silent: { icon: '⚠', word: 'Runs, but silently wrong' },
  pending: { icon: '…', word: 'Checking' },
  stopped: { icon: '■', word: 'Did not finish' },
  none: { icon: '–', word: 'Does not apply' },
};

export class Gallery {
  // engine: the Engine that runs fix programs; onApply(fix, code) puts code in the editor.
  constructor({ engine, onApply }) {
    this.engine = engine;
    this.onApply = onApply;
    this.generation = 0;
    this.cards = new Map();
    this.list = $('fixes');
    for (const fix of FIXES) this.list.append(this.card(fix));
  }

  card(fix) {
    const id = `fix-${fix.id}`;
    const verdictIcon = el('span', { class: 'verdict-icon', attrs: { 'aria-hidden': 'true' } });
    const verdictWord = el('span', { class: 'verdict-word' });
    const verdict = el('p', { class: 'verdict verdict-pending', attrs: { id: `${id}-verdict` } }, [verdictIcon, verdictWord]);
    const message = el('p', { class: 'verdict-message' });
    const codeView = el('pre', { class: 'fix-code' });
    const apply = el('button', {
      class: 'button',
      text: 'Apply this fix',
      attrs: { type: 'button', 'aria-describedby': `${id}-title ${id}-verdict` },
    });
    apply.addEventListener('click', () => {
      const entry = this.cards.get(fix.id);
      if (entry.code !== null) this.onApply(fix, entry.code);
    });
    const details = el('details', { class: 'fix-details' }, [el('summary', { text: 'The rewritten program' }), codeView]);
    const suggested = el('span', { class: 'tag', text: 'Suggested', attrs: { hidden: '' } });
    const node = el('li', { class: 'fix', attrs: { id, tabindex: '-1', 'aria-labelledby': `${id}-title` } }, [
      el('div', { class: 'fix-head' }, [el('h3', { text: fix.title, attrs: { id: `${id}-title` } }), suggested]),
      el('p', { class: 'fix-summary', text: fix.summary }),
      verdict,
      message,
      details,
      apply,
    ]);
    this.cards.set(fix.id, { node, verdict, verdictIcon, verdictWord, message, codeView, details, apply, suggested, code: null });
    return node;
  }

  titles() {
    return new Map(FIXES.map((fix) => [fix.id, fix.title]));
  }

  focus(id) {
    const entry = this.cards.get(id);
    if (!entry) return;
    const calm = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    entry.node.scrollIntoView({ behavior: calm ? 'auto' : 'smooth', block: 'center' });
    entry.node.focus({ preventScroll: true });
  }

  setSuggested(ids) {
    const wanted = new Set(ids ?? []);
    for (const [id, entry] of this.cards) {
      entry.suggested.hidden = !wanted.has(id);
      entry.node.classList.toggle('is-suggested', wanted.has(id));
    }
  }

  show(entry, kind, text) {
    const { icon, word } = VERDICTS[kind];
    entry.verdict.className = `verdict verdict-${kind}`;
    entry.verdictIcon.textContent = icon;
    entry.verdictWord.textContent = word;
    entry.message.textContent = text;
  }

  // Judges every fix against the program `code`. precomputed: {fixId: {code, response}} for
  // programs answered at build time.
  refresh({ code, scenario, precomputed = null }) {
    const generation = ++this.generation;
    this.engine.cancel('fix');
    for (const fix of FIXES) {
      const entry = this.cards.get(fix.id);
      let fixCode = null;
      try {
        fixCode = fix.apply({ code, scenario });
      } catch (error) {
        console.error(`fix ${fix.id} failed to apply`, error);
      }
      if (typeof fixCode !== 'string' || fixCode === code) {
        entry.code = null;
        entry.apply.disabled = true;
        entry.codeView.textContent = '';
        entry.details.hidden = true;
        this.show(entry, 'none', fixCode === code ? 'The program already has this fix.' : 'This fix does not apply to the program in the editor.');
        continue;
      }
      entry.code = fixCode;
      entry.apply.disabled = false;
      entry.codeView.textContent = fixCode;
      entry.details.hidden = false;
      const known = precomputed?.[fix.id];
      if (known && known.code === fixCode) {
        this.judged(entry, fix, known.response, scenario);
        continue;
      }
      this.show(entry, 'pending', 'Running the rewritten program…');
      this.engine.run(requestFor(fixCode), { kind: 'fix' }).then((outcome) => {
        if (generation !== this.generation || outcome.failure === 'superseded') return;
        if (outcome.failure) this.show(entry, 'stopped', outcome.message);
        else this.judged(entry, fix, outcome.response, scenario);
      });
    }
  }

  judged(entry, fix, response, scenario) {
    if (response.request_error) {
      this.show(entry, 'stopped', response.request_error);
      return;
    }
    let result;
    try {
      result = judge(fix, response, { scenario });
    } catch (error) {
      console.error(`judging fix ${fix.id} failed`, error);
      result = response.error ? { verdict: 'raises', message: tracebackText(response.error, '').split('\n').pop() }
        : { verdict: 'works', message: '' };
    }
    this.show(entry, VERDICTS[result.verdict] ? result.verdict : 'stopped', result.message);
  }
}
