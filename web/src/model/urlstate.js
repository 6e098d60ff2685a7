// The page's state in the URL hash, readable by a person:
//   #logits=384x2971&labels=864x2971&kind=indices-like-logits&classes=2971&reduction=mean
//    &ignore=-100&smoothing=0.1&weights=1&hide=trace,performance&lock=code&theme=dark&code=...
// One table (FIELDS) describes every piece of state: its key, how it is read and how it is
// written. Reading never trusts the hash: an unknown key, a malformed value or an oversized
// hash is ignored with a notice, and the values are data (numbers, names from fixed lists, the
// program as text), never markup. Pure functions, no DOM.

import { DEFAULT_SCENARIO, LABEL_KINDS, MAX_DIM, MAX_RANK, REDUCTIONS, scenarioToCode, validateScenario } from './scenario.js';

// The page's panels, by the ids the page, the embeds and the hash share.
export const PANELS = ['controls', 'code', 'output', 'explanation', 'diagram', 'fixes', 'trace', 'performance'];
export const THEMES = ['light', 'dark'];

// A hash longer than this is not read at all; a program longer than MAX_CODE is not taken.
export const MAX_HASH = 65536;
export const MAX_CODE = 20000;

export const DEFAULT_STATE = Object.freeze({
  scenario: DEFAULT_SCENARIO,
  code: null, // null: the program is the scenario's own (scenarioToCode); else the edited text
  hidden: Object.freeze([]),
  locked: Object.freeze([]),
  theme: null, // null: follow the reader's system
});

// --- Reading and writing one value ----------------------------------------------------------

const INT = /^-?\d{1,9}$/;

function parseShape(text) {
  const parts = text.split('x');
  if (parts.length < 1 || parts.length > MAX_RANK) throw new Error(`a shape has 1 to ${MAX_RANK} sizes`);
  return parts.map((p) => {
    if (!/^\d+$/.test(p)) throw new Error('sizes are whole numbers');
    const n = Number(p);
    if (p.length > 7 || n > MAX_DIM) throw new Error(`a size is at most ${MAX_DIM}`);
    return n;
  });
}

function parseInt32(text) {
  if (/^-?\d+$/.test(text) && !INT.test(text)) throw new Error('too large a number (at most 9 digits)');
  if (!INT.test(text)) throw new Error('not a whole number');
  return Number(text);
}

function parseChoice(list) {
  return (text) => {
    if (!list.includes(text)) throw new Error(`one of ${list.join(', ')}`);
    return text;
  };
}

function parsePanels(text) {
  const ids = text === '' ? [] : text.split(',');
  for (const id of ids) if (!PANELS.includes(id)) throw new Error(`panels are ${PANELS.join(', ')}`);
  return [...new Set(ids)];
}

// PyTorch takes 0.0 to 1.0 and says so otherwise: a link may ask for 1.5 to show that error.
function parseSmoothing(text) {
  if (!/^-?\d{1,2}(\.\d{1,6})?$/.test(text)) throw new Error('a decimal number such as 0.1');
  return Number(text);
}

function parseFlag(text) {
  if (text !== '0' && text !== '1') throw new Error('0 or 1');
  return text === '1';
}

function parseCode(text) {
  if (text.length > MAX_CODE) throw new Error(`a program is at most ${MAX_CODE} characters`);
  return text;
}

// Every piece of state: the hash key, where it lives in the state, how to read and write it,
// and whether the written hash carries it (values equal to the default are left out).
export const FIELDS = [
  { key: 'logits', path: ['scenario', 'logitsShape'], parse: parseShape, format: (v) => v.join('x') },
  { key: 'labels', path: ['scenario', 'labelsShape'], parse: parseShape, format: (v) => v.join('x') },
  { key: 'kind', path: ['scenario', 'labelKind'], parse: parseChoice(LABEL_KINDS), format: String },
  { key: 'classes', path: ['scenario', 'numClasses'], parse: parseInt32, format: String },
  { key: 'reduction', path: ['scenario', 'reduction'], parse: parseChoice(REDUCTIONS), format: String },
  { key: 'ignore', path: ['scenario', 'ignoreIndex'], parse: parseInt32, format: String, optional: true },
  { key: 'smoothing', path: ['scenario', 'labelSmoothing'], parse: parseSmoothing, format: String },
  { key: 'weights', path: ['scenario', 'weights'], parse: parseFlag, format: (v) => (v ? '1' : '0') },
  { key: 'hide', path: ['hidden'], parse: parsePanels, format: (v) => v.join(',') },
  { key: 'lock', path: ['locked'], parse: parsePanels, format: (v) => v.join(',') },
  { key: 'theme', path: ['theme'], parse: parseChoice(THEMES), format: String, optional: true },
  { key: 'code', path: ['code'], parse: parseCode, format: String, optional: true },
];

const get = (obj, path) => path.reduce((o, k) => (o == null ? undefined : o[k]), obj);

function equal(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// --- The state to a hash, and back -----------------------------------------------------------

// The hash for a state (with its leading '#'); fields equal to the default are left out, and the
// code only when it differs from the scenario's own program.
export function stateToHash(state) {
  const params = new URLSearchParams();
  const full = { ...DEFAULT_STATE, ...state };
  if (full.code != null && full.code === scenarioToCode(full.scenario)) full.code = null;
  for (const field of FIELDS) {
    const value = get(full, field.path);
    if (value == null || equal(value, get(DEFAULT_STATE, field.path))) continue;
    params.set(field.key, field.format(value));
  }
  const text = params.toString();
  return text ? `#${text}` : '';
}

// Reads a hash (with or without '#'). Returns the state and one notice per thing it ignored;
// notices quote at most a short, plain-text piece of what they ignore.
export function hashToState(hash) {
  const notices = [];
  const state = structuredClone({ ...DEFAULT_STATE, scenario: { ...DEFAULT_SCENARIO } });
  state.hidden = [];
  state.locked = [];
  let text = typeof hash === 'string' ? hash : '';
  if (text.startsWith('#')) text = text.slice(1);
  if (text === '') return { state, notices };
  if (text.length > MAX_HASH) {
    notices.push(`The link's settings are ${text.length} characters long, more than ${MAX_HASH}; they were ignored.`);
    return { state, notices };
  }
  let params;
  try {
    params = new URLSearchParams(text);
  } catch {
    notices.push("The link's settings could not be read; they were ignored.");
    return { state, notices };
  }
  const seen = new Set();
  for (const [key, value] of params) {
    const field = FIELDS.find((f) => f.key === key);
    if (!field) {
      notices.push(`Ignored the unknown setting "${quote(key)}".`);
      continue;
    }
    if (seen.has(key)) {
      notices.push(`Ignored a repeated "${key}".`);
      continue;
    }
    seen.add(key);
    try {
      const parsed = field.parse(value);
      let target = state;
      for (const k of field.path.slice(0, -1)) target = target[k];
      target[field.path.at(-1)] = parsed;
    } catch (error) {
      notices.push(`Ignored "${key}=${quote(value)}": ${error.message}.`);
    }
  }
  // The scenario as a whole must still make sense (classes against shapes and so on).
  const { scenario, problems } = validateScenario(state.scenario);
  state.scenario = scenario;
  for (const p of problems) notices.push(`Adjusted the link's scenario: ${p}.`);
  return { state, notices };
}

// At most 40 characters of a value, for a notice; control characters shown as '?'.
function quote(value) {
  const s = String(value).replace(/[\u0000-\u001f\u007f]/g, '?');
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

// The program a state shows: the edited code, or the scenario's own.
export function programOf(state) {
  return state.code ?? scenarioToCode(state.scenario);
}
