// The learner's page. The program in the editor is the single source of truth: the controls
// write a new program, and follow the code back when codeToScenario can read it. Every edit runs
// again after a short pause, in a worker (engine.js); the article's scenario is answered at build
// time (virtual:precomputed) so it shows before the wasm module has loaded.
import precomputed from 'virtual:precomputed';

import { explain } from '../explain/index.js';
import { shapeDiagram } from '../explain/diagram.js';
import { DEFAULT_SCENARIO, codeToScenario, scenarioToCode } from '../model/scenario.js';
import { hashToState, programOf, stateToHash } from '../model/urlstate.js';
import { Controls } from './controls.js';
import { $, el } from './dom.js';
import { createEditor } from './editor.js';
import { Engine, isOutOfMemory } from './engine.js';
import { Gallery } from './gallery.js';
import { LessonPanel } from './lesson.js';
import { PerfPanel } from './perf.js';
import { renderCard, renderDiagram, renderOutput, renderStatus, renderTrace } from './render.js';
import { requestFor } from './request.js';
import { EMBED, addOpenLink, embedHidden, reportHeight } from '../embed/frame.js';

const DEBOUNCE_MS = 250;
const TIME_LIMIT_MS = 3000;

const BUILD_LABELS = {
  logitlab_simd: 'WebAssembly SIMD build (simd128)',
  logitlab_nosimd: 'scalar WebAssembly build (no SIMD in this browser)',
};

// The link's settings (urlstate.js): the scenario or edited program, hidden and locked panels.
const link = hashToState(window.location.hash);

const state = {
  scenario: link.state.scenario ?? DEFAULT_SCENARIO,  // the last scenario the controls could express
  custom: false,               // the code is beyond what the controls express
  runSeq: 0,
  debounce: null,
  writingFromControls: false,
  appliedFix: null,            // {id, code}: the fix whose program is in the editor
};

// The single file (logit-lab.html, scripts/build-single.mjs) has no files beside it: the links to
// the error pages and to the download only exist on the hosted site. Hrefs are set here so the
// single file's markup refers to no file.
const SINGLE_FILE = document.querySelector('meta[name="logit-lab-build"][content="single-file"]') !== null;

const runStatus = $('run-status');
const runMeta = $('run-meta');
const syncStatus = $('sync-status');

function safely(what, fn, fallback = null) {
  try {
    return fn();
  } catch (error) {
    console.error(`${what} failed`, error);
    return fallback;
  }
}

// ---- engines --------------------------------------------------------------------------------

function showEngine(info) {
  performance.mark('logitlab:engine-ready');
  const engine = $('engine');
  engine.dataset.build = info.build;
  engine.classList.add('is-ready');
  $('engine-text').textContent = `Engine: ${BUILD_LABELS[info.build] ?? info.build}`;
  if (runMeta.textContent.startsWith('computed in advance')) runMeta.textContent = 'computed in advance at build time';
}

function engineFailed(message) {
  $('engine').classList.add('is-failed');
  $('engine-text').textContent = 'Engine failed to load';
  runStatus.textContent = `The engine could not load (${message}). The result shown was computed in advance; reload the page to try again.`;
}

const live = new Engine({
  timeLimitMs: TIME_LIMIT_MS,
  onReady: showEngine,
  onLoadError: engineFailed,
});
const fixEngine = new Engine({ timeLimitMs: TIME_LIMIT_MS });

// ---- rendering ------------------------------------------------------------------------------

const gallery = new Gallery({
  engine: fixEngine,
  onApply(fix, code) {
    runStatus.textContent = `Applied “${fix.title}”. Running it…`;
    state.appliedFix = { id: fix.id, code };  // the diagram shows what this fix did to the data
    editor.setCode(code);
    codeEdited(code);
    // Show the result: the program and its output are at the top of the page.
    $('output').focus({ preventScroll: true });
    const calm = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    $('output-panel').scrollIntoView({ behavior: calm ? 'auto' : 'smooth', block: 'start' });
  },
});

function render(code, outcome, { source }) {
  renderOutput(code, outcome);
  const response = outcome.response ?? null;
  const failed = outcome.failure || response?.request_error;
  const error = response?.error;
  editor.markFailure(error && error.line > 0 ? { line: error.line, note: `↑ ${error.type} raised on line ${error.line}` } : null);

  const scenario = state.scenario;
  const explanation = failed ? null : safely('explain', () => explain(response, { code, scenario }));
  renderCard({ outcome, explanation, fixTitles: gallery.titles(), onFix: (id) => gallery.focus(id), errorPages: !SINGLE_FILE });
  gallery.setSuggested(explanation?.fixIds);
  // The learner's own program gets a diagram only when it reached a loss: the scenario in the
  // controls would describe some other program.
  // (nn.CrossEntropyLoss objects leave no trace entry: their use in the code has to do.)
  const reachedLoss = (response?.trace ?? []).some((step) => /cross_entropy|nll_loss/i.test(step.op ?? ''))
    || (/CrossEntropyLoss|NLLLoss/.test(code) && error?.type !== 'SyntaxError');
  if (failed) renderDiagram(null, 'No diagram: the program did not finish.');
  else if (isOutOfMemory(response)) renderDiagram(null, 'No diagram: the program ran out of memory before it finished.');
  else if (state.custom && !reachedLoss) renderDiagram(null, 'No diagram: this program never reached a cross-entropy call.');
  else {
    const fix = state.appliedFix?.code === code ? state.appliedFix.id : undefined;
    renderDiagram(safely('shapeDiagram', () => shapeDiagram(response, { scenario, code, fix })));
  }
  renderTrace(failed ? null : response);

  const warning = !error && !failed && explanation?.severity === 'warning' ? explanation.title : null;
  renderStatus(runStatus, outcome, { warning });
  runStatus.classList.toggle('is-error', Boolean(error || failed));
  runStatus.classList.toggle('is-ok', !error && !failed && !warning);
  if (source === 'precomputed') runMeta.textContent = 'computed in advance; the live engine is loading';
  else if (outcome.failure) runMeta.textContent = '';
  else runMeta.textContent = `ran in ${outcome.ms < 10 ? outcome.ms.toFixed(1) : Math.round(outcome.ms)} ms`;
  $('output-panel').dataset.state = outcome.failure ? outcome.failure : error ? 'error' : 'ok';
}

// ---- running --------------------------------------------------------------------------------

async function runNow() {
  clearTimeout(state.debounce);
  const code = editor.getCode();
  const seq = ++state.runSeq;
  $('output-panel').dataset.state = 'running';
  runMeta.textContent = live.ready ? 'running…' : 'waiting for the engine…';
  const outcome = await live.run(requestFor(code), { latestOnly: true, kind: 'live' });
  if (outcome.failure === 'superseded' || seq !== state.runSeq) return;
  render(code, outcome, { source: 'live' });
  saveToUrl(code);
  if (performance.getEntriesByName('logitlab:first-live-result').length === 0) performance.mark('logitlab:first-live-result');
  if (!outcome.failure) gallery.refresh({ code, scenario: state.scenario });
}

// Keeps the address a link to what is on the page (replaceState: no history entry per keystroke).
function saveToUrl(code) {
  const hash = stateToHash({ ...link.state, scenario: state.scenario, code });
  if (hash !== window.location.hash) {
    window.history.replaceState(null, '', hash || window.location.pathname + window.location.search);
  }
}

function scheduleRun() {
  clearTimeout(state.debounce);
  state.runSeq++;  // whatever is in flight now answers for older code
  $('output-panel').dataset.state = 'pending';
  state.debounce = setTimeout(runNow, DEBOUNCE_MS);
}

// ---- code <-> controls ----------------------------------------------------------------------

// The hint under the editor speaks of the controls only where the reader can use them (an
// embed may hide or lock them, and lock the code too).
function syncHint(custom) {
  if (link.state.locked.includes('code')) return 'This page keeps the program as its author wrote it; it cannot be edited here.';
  if ($('scenario-panel').hidden || link.state.locked.includes('controls')) {
    return custom ? 'Your own program. It runs again as you type.' : 'Edit the program freely: it runs again as you type.';
  }
  return custom
    ? 'Your own program: the controls above cannot describe it, so they keep the last scenario they could. Changing a control writes a new program (Ctrl+Z in the editor brings yours back).'
    : 'The program is generated from the scenario, and the controls follow it when you edit. It runs again as you type.';
}

function setCustom(custom) {
  state.custom = custom;
  controls.setCustom(custom);
  syncStatus.textContent = syncHint(custom);
  syncStatus.classList.toggle('is-custom', custom);
  $('fixes-basis').hidden = !custom;
}

function codeEdited(code) {
  const scenario = safely('codeToScenario', () => codeToScenario(code));
  if (scenario) {
    state.scenario = scenario;
    controls.show(scenario);
    controls.showProblems([]);
  }
  setCustom(!scenario);
  scheduleRun();
}

const controls = new Controls({
  onChange(scenario) {
    state.scenario = scenario;
    state.writingFromControls = true;
    editor.setCode(scenarioToCode(scenario));
    state.writingFromControls = false;
    setCustom(false);
    scheduleRun();
  },
});

$('reset').addEventListener('click', () => {
  controls.show(DEFAULT_SCENARIO);
  controls.showProblems([]);
  controls.onChange(DEFAULT_SCENARIO);
});

const PANEL_IDS = {
  controls: 'scenario-panel', code: 'editor-panel', output: 'output-panel', explanation: 'why-panel',
  diagram: 'diagram-panel', fixes: 'fixes-panel', trace: 'trace-panel', performance: 'perf-panel',
};
if (link.state.theme) document.documentElement.dataset.theme = link.state.theme;
const hiddenPanels = EMBED ? embedHidden(window.location.hash, link.state.hidden) : link.state.hidden;
for (const panel of hiddenPanels) if (PANEL_IDS[panel]) $(PANEL_IDS[panel]).hidden = true;
if (link.state.locked.includes('controls')) controls.lock();

const initialCode = programOf(link.state);
const editor = createEditor({
  parent: $('editor'),
  doc: initialCode,
  readOnly: link.state.locked.includes('code'),
  label: 'Program (Python)',
  onChange(code) {
    if (state.writingFromControls) return;
    codeEdited(code);
  },
});

// ---- start ----------------------------------------------------------------------------------

controls.show(state.scenario);
controls.showProblems(link.notices);
if (initialCode === precomputed.code) {
  setCustom(false);
  render(precomputed.code, { response: precomputed.response }, { source: 'precomputed' });
  performance.mark('logitlab:first-result');
  gallery.refresh({ code: precomputed.code, scenario: state.scenario, precomputed: precomputed.fixes });
} else {
  // A link to another scenario or program: it runs as soon as the engine is ready.
  const scenario = codeToScenario(initialCode);
  if (scenario) {
    state.scenario = scenario;
    controls.show(scenario);
  }
  setCustom(!scenario);
  $('output').replaceChildren(el('span', { class: 'out-empty', text: 'This link’s program runs as soon as the engine has loaded…' }));
  runNow();
}
// A different link pasted into the address bar: start over from it.
window.addEventListener('hashchange', () => window.location.reload());

new PerfPanel({ getScenario: () => state.scenario });
new LessonPanel({ engine: fixEngine });

// ---- the parity badge (read from the fixtures at build time: scripts/parity.mjs) ------------

function showParity(parity) {
  if (!parity || !Number.isInteger(parity.cases)) {
    $('parity').hidden = true;
    return;
  }
  const files = Object.entries(parity.files ?? {});
  $('parity-text').textContent = `Answers match PyTorch ${parity.pytorchShort} on ${parity.cases} golden cases`;
  $('parity').title = files.map(([name, count]) => `${name}: ${count}`).join(', ');
  $('parity-files').replaceChildren(...files.map(([name, count]) => el('li', {}, [
    el('code', { text: name }), el('span', { text: `: ${count} cases` }),
  ])));
  $('parity').dataset.cases = String(parity.cases);
}
showParity(precomputed.parity);

if (!SINGLE_FILE) {
  $('error-index-link').href = 'errors/index.html';
  $('footer-links').hidden = false;
  // The whole page in one file (wasm inlined), for use offline or inside a learning platform.
  $('download-single').href = 'logit-lab.html';
  $('download-single').hidden = false;
}

// ---- "Copy link" and "Copy embed code" ------------------------------------------------------

// The address of what is on the page now: this page without its hash, plus the state's hash
// (the same stateToHash that keeps the address bar up to date, saveToUrl).
function currentHash() {
  return stateToHash({ ...link.state, scenario: state.scenario, code: editor.getCode() });
}
function pageAddress() {
  return window.location.href.replace(/#.*$/, '');
}
function shareLink() {
  return pageAddress() + currentHash();
}
// An <iframe> of the compact page (embed.html beside this one) showing the current state. Built
// as an element so the browser escapes the attribute values (outerHTML).
function embedCode() {
  const src = new URL('embed.html', pageAddress()).href + currentHash();
  return el('iframe', {
    attrs: { src, title: 'Logit Lab', loading: 'lazy', style: 'width:100%;height:720px;border:0', 'data-logit-lab': '' },
  }).outerHTML;
}

const shareText = $('share-text');
const shareStatus = $('share-status');
async function copy(text, what) {
  shareText.value = text;
  shareText.hidden = false;
  shareStatus.textContent = '';
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard access');
    await navigator.clipboard.writeText(text);
    shareStatus.textContent = `Copied the ${what} to the clipboard.`;
    shareStatus.dataset.copied = what;
  } catch {
    // Fallback: the text is selected in the read-only field, ready for Ctrl+C / Cmd+C.
    shareText.focus();
    shareText.select();
    shareStatus.textContent = `The browser did not allow copying: the ${what} is selected in the field above; press Ctrl+C (or ⌘C) to copy it.`;
    shareStatus.dataset.copied = '';
  }
}
$('copy-link').addEventListener('click', () => copy(shareLink(), 'link'));
$('copy-embed').addEventListener('click', () => copy(embedCode(), 'embed code'));
// The single file has no index.html beside it to embed.
if (SINGLE_FILE) $('copy-embed').hidden = true;

if (EMBED) {
  addOpenLink();
  reportHeight();
}

// Test hooks: the browser tests read these (nothing here is used by the page itself).
window.logitLab = { editor, live, fixEngine, runNow, state, requestFor };
