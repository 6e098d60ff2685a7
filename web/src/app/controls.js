// The scenario form: shows a scenario, and turns the learner's edits into a new one.
// Changing the kind of labels or the number of classes reshapes the rest consistently
// (setLabelKind, setClasses); every other control changes only its own field.
import { MAX_DIM, MAX_RANK, setClasses, setLabelKind, validateScenario } from '../model/scenario.js';
import { $, el } from './dom.js';

// "384, 2971" | "[384, 2971]" | "384 x 2971" | "384×2971" -> [384, 2971]; "" -> []; null when unreadable.
export function parseShape(text) {
  const t = text.trim().replace(/^[([]\s*|\s*[)\]]$/g, '');
  if (t === '') return [];
  const parts = t.split(/\s*(?:,|x|×|\*)\s*|\s+/i).filter((p) => p !== '');
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  return parts.map(Number);
}

export const formatShape = (shape) => shape.join(', ');

export class Controls {
  constructor({ onChange }) {
    this.form = $('scenario');
    this.fields = {
      logitsShape: $('logits-shape'),
      labelsShape: $('labels-shape'),
      labelKind: $('label-kind'),
      numClasses: $('num-classes'),
      reduction: $('reduction'),
      ignoreIndex: $('ignore-index'),
      labelSmoothing: $('label-smoothing'),
      weights: $('weights'),
    };
    this.problems = $('scenario-problems');
    this.scenario = null;
    this.onChange = onChange;
    this.form.addEventListener('submit', (event) => event.preventDefault());
    for (const [name, field] of Object.entries(this.fields)) {
      const eventName = field.tagName === 'SELECT' || field.type === 'checkbox' ? 'change' : 'input';
      field.addEventListener(eventName, () => this.edited(name));
      // Leaving a field shows its value as the scenario has it (e.g. "384,2971," -> "384, 2971").
      field.addEventListener('change', () => this.show(this.scenario));
    }
  }

  // Shows a scenario in every field except `keep` (the field the learner is typing in).
  show(scenario, { keep = null } = {}) {
    if (!scenario) return;
    this.scenario = scenario;
    const f = this.fields;
    const set = (name, value) => {
      if (name === keep) return;
      if (f[name].type === 'checkbox') f[name].checked = value;
      else f[name].value = value;
    };
    set('logitsShape', formatShape(scenario.logitsShape));
    set('labelsShape', formatShape(scenario.labelsShape));
    set('labelKind', scenario.labelKind);
    set('numClasses', String(scenario.numClasses));
    set('reduction', scenario.reduction);
    set('ignoreIndex', scenario.ignoreIndex === null ? '' : String(scenario.ignoreIndex));
    set('labelSmoothing', String(scenario.labelSmoothing));
    set('weights', scenario.weights);
  }

  // The link locks the scenario: the fields show it but cannot change it.
  lock() {
    for (const field of Object.values(this.fields)) field.disabled = true;
  }

  setCustom(custom) {
    this.form.classList.toggle('is-custom', custom);
  }

  showProblems(problems) {
    this.problems.replaceChildren(...problems.map((text) => el('li', { text })));
    this.fields.logitsShape.setAttribute('aria-invalid', String(problems.some((p) => p.startsWith('Shape of logits'))));
    this.fields.labelsShape.setAttribute('aria-invalid', String(problems.some((p) => p.startsWith('Shape of labels'))));
  }

  // One field changed: compute the scenario it asks for, or explain why it can't.
  edited(name) {
    const f = this.fields;
    const base = this.scenario;
    const problems = [];
    let next = { ...base };
    if (name === 'logitsShape' || name === 'labelsShape') {
      let shape = parseShape(f[name].value);
      const what = name === 'logitsShape' ? 'Shape of logits' : 'Shape of labels';
      if (!shape) {
        this.showProblems([`${what}: write whole numbers separated by commas, like 384, 2971.`]);
        return;
      }
      // Huge shapes are fine up to MAX_DIM (the core checks them without computing values); past
      // it the size is clamped, and the learner is told in their own field's words.
      if (shape.length > MAX_RANK) {
        problems.push(`${what}: at most ${MAX_RANK} dimensions here; kept the first ${MAX_RANK}.`);
        shape = shape.slice(0, MAX_RANK);
      }
      if (shape.some((size) => size > MAX_DIM)) {
        problems.push(`${what}: each size is at most ${MAX_DIM} here; larger sizes became ${MAX_DIM}.`);
        shape = shape.map((size) => Math.min(size, MAX_DIM));
      }
      next[name] = shape;
      if (name === 'logitsShape' && shape.length >= 1) {
        const axis = shape.length === 1 ? 0 : 1;
        next.numClasses = shape[axis] > 0 ? shape[axis] : base.numClasses;
      }
    } else if (name === 'labelKind') {
      next = setLabelKind(base, f.labelKind.value);
    } else if (name === 'numClasses') {
      const classes = Number(f.numClasses.value);
      if (!Number.isInteger(classes) || classes < 1) {
        this.showProblems(['Classes: write a whole number of 1 or more.']);
        return;
      }
      if (classes > MAX_DIM) problems.push(`Classes: at most ${MAX_DIM} here; using ${MAX_DIM}.`);
      next = setClasses(base, Math.min(classes, MAX_DIM));
    } else if (name === 'reduction') {
      next.reduction = f.reduction.value;
    } else if (name === 'ignoreIndex') {
      const text = f.ignoreIndex.value.trim();
      if (text !== '' && !/^-?\d+$/.test(text)) {
        this.showProblems(['ignore_index: write a whole number such as -100, or leave it empty.']);
        return;
      }
      next.ignoreIndex = text === '' ? null : Number(text);
    } else if (name === 'labelSmoothing') {
      const value = Number(f.labelSmoothing.value);
      if (f.labelSmoothing.value.trim() === '' || !Number.isFinite(value)) {
        this.showProblems(['label_smoothing: write a number from 0.0 to 1.0.']);
        return;
      }
      next.labelSmoothing = value;
    } else if (name === 'weights') {
      next.weights = f.weights.checked;
    }
    const { scenario, problems: adjusted } = validateScenario(next);
    problems.push(...adjusted.map((p) => `Adjusted: ${p}.`));
    this.showProblems(problems);
    this.show(scenario, { keep: name });
    this.onChange(scenario);
  }
}
