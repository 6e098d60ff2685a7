// Renders one protocol response: the output as Python shows it, the explanation card, the shape
// diagram and the trace. Every string goes in as text (dom.js).
import { $, el, sanitizeSvg } from './dom.js';
import { isOutOfMemory } from './engine.js';

// One line under the output when the engine's worker was replaced to give its memory back.
export const MEMORY_RESTART_NOTICE = 'The engine was restarted to free the memory this program used.';

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// The source line the exception points at, as Python's traceback quotes it.
function sourceLine(code, line) {
  const text = code.split('\n')[line - 1];
  return text === undefined ? null : text.trim();
}

// What Python prints for an uncaught exception (the program's own frame only). A SyntaxError
// has no traceback: Python quotes the line and points a caret at the column.
export function tracebackText(error, code) {
  if ((error.type === 'SyntaxError' || error.type === 'IndentationError') && error.line > 0) {
    const lines = [`  File "program.py", line ${error.line}`];
    const raw = code.split('\n')[error.line - 1];
    if (raw !== undefined && raw.trim()) {
      const indent = raw.length - raw.trimStart().length;
      lines.push(`    ${raw.trim()}`);
      if (error.col > 0) lines.push(`    ${' '.repeat(Math.max(0, error.col - 1 - indent))}^`);
    }
    lines.push(`${error.type}: ${error.message}`);
    return lines.join('\n');
  }
  const lines = ['Traceback (most recent call last):'];
  if (error.line > 0) {
    lines.push(`  File "program.py", line ${error.line}, in <module>`);
    const source = sourceLine(code, error.line);
    if (source) lines.push(`    ${source}`);
  }
  lines.push(error.message === '' ? error.type : `${error.type}: ${error.message}`);
  return lines.join('\n');
}

const MAX_OUTPUT_CHARS = 100_000;

export function renderOutput(code, outcome) {
  const output = $('output');
  const parts = [];
  const { response } = outcome;
  if (outcome.failure) {
    parts.push(el('span', { class: 'out-notice', text: outcome.message }));
  } else if (response.request_error) {
    parts.push(el('span', { class: 'out-notice', text: `The engine could not take this program: ${response.request_error}` }));
  } else {
    if (response.stdout) {
      // A page that shows megabytes of text stops being usable; the rest is summarized.
      const shown = response.stdout.slice(0, MAX_OUTPUT_CHARS);
      parts.push(el('span', { class: 'out-stdout', text: shown }));
      if (shown.length < response.stdout.length) {
        parts.push(el('span', { class: 'out-notice', text: `… and ${response.stdout.length - shown.length} more characters of output, not shown.` }));
      }
    }
    if (response.error) {
      parts.push(el('span', { class: 'out-stderr', text: tracebackText(response.error, code) }));
    }
    if (!response.stdout && !response.error) {
      parts.push(el('span', { class: 'out-empty', text: 'The program ran and printed nothing.' }));
    }
  }
  if (outcome.restarted === 'memory') parts.push(el('span', { class: 'out-notice out-restarted', text: MEMORY_RESTART_NOTICE }));
  output.replaceChildren(...parts);
  output.classList.toggle('has-error', Boolean(response?.error || outcome.failure));
}

// A few words for the status line; the live region reads the full sentence of summaryOf.
export function shortSummaryOf(outcome) {
  if (outcome.failure === 'timeout') return '■ Stopped: it ran past the time limit';
  if (outcome.failure) return '■ The program did not finish';
  const { response } = outcome;
  if (response.request_error) return '✗ The engine could not take this program';
  if (response.error) return `✗ ${response.error.type}${response.error.line > 0 ? ` on line ${response.error.line}` : ''}`;
  return '✓ Ran without an error';
}

// warning: explain()'s title when the program runs but is probably wrong.
export function renderStatus(node, outcome, { warning = null } = {}) {
  const short = warning ? '⚠ Ran without an error, but probably wrong: see Why' : shortSummaryOf(outcome);
  const full = warning ? `${summaryOf(outcome)} But it is probably wrong: ${warning}.` : summaryOf(outcome);
  node.replaceChildren(
    el('span', { text: short, attrs: { 'aria-hidden': 'true' } }),
    el('span', { class: 'visually-hidden', text: full }),
  );
  node.classList.toggle('is-warning', Boolean(warning));
}

// One sentence for the live region.
export function summaryOf(outcome) {
  if (outcome.failure) return outcome.message;
  const { response } = outcome;
  if (response.request_error) return `The engine could not take this program: ${response.request_error}`;
  if (response.error) return `Raised ${response.error.type}: ${response.error.message}`;
  const printed = response.stdout ? response.stdout.replace(/\n$/, '').split('\n').length : 0;
  return `Ran without an error${printed ? ` and printed ${plural(printed, 'line')}` : ''}.`;
}

const SEVERITY = {
  error: { icon: '✗', word: 'Error' },
  warning: { icon: '⚠', word: 'Probably wrong' },
  ok: { icon: '✓', word: 'Runs' },
  stopped: { icon: '■', word: 'Stopped' },
};

function cardHeader(kind, title) {
  const { icon, word } = SEVERITY[kind];
  return [
    el('p', { class: `card-kind kind-${kind}` }, [
      el('span', { class: 'card-icon', text: icon, attrs: { 'aria-hidden': 'true' } }),
      el('span', { text: word }),
    ]),
    el('h3', { class: 'card-title', text: title }),
  ];
}

function list(items, className) {
  return el('ul', { class: className }, items.map((text) => el('li', { text })));
}

const ROLE_WORDS = { batch: 'batch', classes: 'classes', sequence: 'sequence', other: 'other' };

// explanation: explain()'s result or null; fixTitles: id -> title; onFix(id) focuses a fix card.
// errorPages: the built site has errors/<id>.html beside the page (not so in the single file).
export function renderCard({ outcome, explanation, fixTitles, onFix, errorPages = true }) {
  const card = $('card');
  const parts = [];
  const kind = outcome.failure ? 'stopped'
    : explanation ? explanation.severity === 'warning' ? 'warning' : 'error'
      : outcome.response?.error || outcome.response?.request_error ? 'error' : 'ok';
  card.className = `card card-${kind}`;

  if (outcome.failure) {
    parts.push(...cardHeader('stopped', 'The program did not finish'));
    parts.push(el('p', { text: outcome.message }));
    parts.push(el('p', { text: 'The page is still usable: edit the program or pick a scenario, and it runs again.' }));
  } else if (explanation) {
    parts.push(...cardHeader(kind, explanation.title));
    parts.push(el('p', { class: 'card-summary', text: explanation.summary }));
    if (explanation.dims?.length) {
      parts.push(el('h4', { text: 'The dimensions involved' }));
      parts.push(el('ul', { class: 'dims' }, explanation.dims.map((d) => el('li', { class: d.conflict ? 'dim-conflict' : '' }, [
        el('span', { class: 'dim-mark', text: d.conflict ? '✗' : '✓', attrs: { 'aria-hidden': 'true' } }),
        el('span', { text: `${d.tensor}, axis ${d.axis} (${ROLE_WORDS[d.role] ?? d.role}): ${d.size}${d.conflict ? ', disagrees' : ''}` }),
      ]))));
    }
    if (explanation.details?.length) parts.push(list(explanation.details, 'card-details'));
    if (explanation.causes?.length) {
      parts.push(el('h4', { text: 'Likely causes' }));
      parts.push(list(explanation.causes, 'card-causes'));
    }
    const fixLinks = (heading, ids, className, icon) => {
      const known = (ids ?? []).filter((id) => fixTitles.has(id));
      if (!known.length) return;
      parts.push(el('h4', { text: heading }));
      parts.push(el('ul', { class: `card-fixes ${className}` }, known.map((id) => {
        const button = el('button', { class: 'link-button', attrs: { type: 'button' } }, [
          el('span', { class: 'link-icon', text: icon, attrs: { 'aria-hidden': 'true' } }),
          el('span', { text: fixTitles.get(id) }),
        ]);
        button.addEventListener('click', () => onFix(id));
        return el('li', {}, [button]);
      })));
    };
    fixLinks('Fixes to try', explanation.fixIds, 'fixes-try', '→');
    fixLinks('Common fixes that do not help here', explanation.avoidFixIds, 'fixes-avoid', '✗');
    // A stable, citable page per explanation id (scripts/build-error-pages.mjs).
    if (errorPages && typeof explanation.id === 'string' && /^[a-z0-9-]+$/.test(explanation.id)) {
      parts.push(el('p', { class: 'card-about' }, [
        el('a', { class: 'card-about-link', text: 'About this error', attrs: { href: `errors/${explanation.id}.html` } }),
        el('span', { class: 'muted', text: ` (error id: ${explanation.id})` }),
      ]));
    }
  } else if (kind === 'error') {
    const { response } = outcome;
    const title = response.error ? `${response.error.type}` : 'The engine refused the request';
    parts.push(...cardHeader('error', title));
    parts.push(el('p', { text: response.error ? response.error.message : response.request_error }));
    parts.push(el('p', { class: 'muted', text: 'There is no plain-words explanation for this message yet; the trace below shows the operation that raised it.' }));
  } else {
    parts.push(...cardHeader('ok', 'PyTorch accepts this program'));
    parts.push(el('p', { text: 'The shapes, dtypes and options fit together, and nothing looks suspicious. Try a fix on the original scenario, or change a shape to see which rule breaks.' }));
  }
  // 2 GB: the module's -sMAXIMUM_MEMORY (CMakeLists.txt).
  if (!outcome.failure && isOutOfMemory(outcome.response)) {
    parts.push(el('p', { class: 'card-memory', text: 'The engine in this tab can use at most 2 GB of memory, and this program needed more. '
      + 'Use smaller shapes, or keep fewer large tensors alive at once.' }));
  }
  card.replaceChildren(...parts);
}

export function renderDiagram(diagram, why = 'No diagram for this program.') {
  const art = $('diagram');
  const text = $('diagram-text');
  const svg = diagram ? sanitizeSvg(diagram.svg) : null;
  if (!svg) {
    art.replaceChildren(el('p', { class: 'muted', text: why }));
    text.textContent = why;
    art.setAttribute('aria-label', 'No diagram');
    return;
  }
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  art.replaceChildren(svg);
  text.textContent = diagram.text;
  art.setAttribute('aria-label', 'Shape diagram; its description follows.');
}

const describeArg = (arg) => {
  if (!arg || typeof arg !== 'object') return String(arg);
  if (Array.isArray(arg.shape)) return `${arg.dtype ?? 'tensor'}[${arg.shape.join(', ')}]`;
  return arg.type ?? arg.dtype ?? '?';
};

const MAX_TRACE_ROWS = 200;

// response null: the program did not finish (time limit, crash), so there is no trace.
export function renderTrace(response) {
  const body = $('trace').tBodies[0];
  if (!response || isOutOfMemory(response)) {
    const why = response ? 'The program ran out of memory before it finished, so there is no trace.'
      : 'The program did not finish, so there is no trace.';
    body.replaceChildren(el('tr', {}, [el('td', { class: 'muted', text: why, attrs: { colspan: '4' } })]));
    return;
  }
  const trace = response?.trace ?? [];
  const rows = trace.slice(0, MAX_TRACE_ROWS).map((step) => {
    const failed = Boolean(step.error);
    const result = failed ? `✗ ${step.error.type}: ${step.error.message}`
      : step.result ? describeArg(step.result) : '';
    return el('tr', { class: failed ? 'trace-failed' : '' }, [
      el('td', { class: 'num', text: String(step.line ?? '') }),
      el('td', {}, [el('code', { text: step.op ?? '' })]),
      el('td', { class: 'mono', text: (step.args ?? []).map(describeArg).join(', ') }),
      el('td', { class: 'mono', text: result }),
    ]);
  });
  if (trace.length > MAX_TRACE_ROWS) {
    rows.push(el('tr', {}, [el('td', { text: `… and ${trace.length - MAX_TRACE_ROWS} more operations`, attrs: { colspan: '4' } })]));
  }
  if (rows.length === 0) {
    rows.push(el('tr', {}, [el('td', { class: 'muted', text: 'No tensor operations ran.', attrs: { colspan: '4' } })]));
  }
  body.replaceChildren(...rows);
}
