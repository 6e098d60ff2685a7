// The predict-then-reveal lesson (web/src/lessons/lessons.js): the learner reads a step's program,
// guesses whether it raises, runs, or runs but is wrong (radio buttons), then the page runs it in
// the worker and shows what really happened, and moves on to the next step. Text only (el()).
import { CHOICES, LESSON, lessonRequest, verdictOf } from '../lessons/lessons.js';
import { tracebackText } from './render.js';
import { $, el } from './dom.js';

const LABEL = Object.fromEntries(CHOICES.map((c) => [c.id, c.label]));

export class LessonPanel {
  constructor({ engine, lesson = LESSON }) {
    this.engine = engine;
    this.lesson = lesson;
    this.index = 0;
    this.form = $('lesson-form');
    this.result = $('lesson-result');
    this.next = $('lesson-next');
    $('lesson-title').textContent = lesson.title;
    const choices = $('lesson-choices');
    choices.replaceChildren(...CHOICES.map((choice) => el('label', { class: 'lesson-choice' }, [
      el('input', { attrs: { type: 'radio', name: 'lesson-guess', value: choice.id, id: `lesson-guess-${choice.id}` } }),
      el('span', { text: choice.label }),
    ])));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.check();
    });
    this.next.addEventListener('click', () => this.go(this.index + 1 < lesson.steps.length ? this.index + 1 : 0));
    this.go(0, { focus: false });
  }

  go(index, { focus = true } = {}) {
    this.index = index;
    const step = this.lesson.steps[index];
    const panel = $('lesson-panel');
    panel.dataset.step = step.id;
    panel.dataset.state = 'guessing';
    $('lesson-progress').textContent = `Step ${index + 1} of ${this.lesson.steps.length}`;
    $('lesson-prompt').textContent = step.prompt;
    $('lesson-code').textContent = step.code;
    for (const input of this.form.elements['lesson-guess']) {
      input.checked = false;
      input.disabled = false;
    }
    $('lesson-check').disabled = false;
    $('lesson-problem').textContent = '';
    this.result.hidden = true;
    this.result.replaceChildren();
    this.next.hidden = true;
    if (focus) $('lesson-progress').focus();
  }

  async check() {
    const guess = this.form.elements['lesson-guess'].value;
    if (!guess) {
      $('lesson-problem').textContent = 'Pick one of the three answers first.';
      return;
    }
    $('lesson-problem').textContent = '';
    const step = this.lesson.steps[this.index];
    const index = this.index;
    const panel = $('lesson-panel');
    panel.dataset.state = 'running';
    $('lesson-check').disabled = true;
    for (const input of this.form.elements['lesson-guess']) input.disabled = true;
    this.result.hidden = false;
    this.result.replaceChildren(el('p', { text: 'Running the program…' }));
    const outcome = await this.engine.run(lessonRequest(step), { kind: 'lesson' });
    if (index !== this.index) return;
    const response = outcome.response ?? null;
    const actual = outcome.failure ? null : verdictOf(step, response);
    const parts = [];
    if (!actual) {
      parts.push(el('p', { class: 'lesson-verdict', text: `The program could not be judged: ${outcome.message ?? response?.request_error ?? 'no usable answer'}.` }));
    } else {
      const right = actual === guess;
      parts.push(el('p', { class: `lesson-verdict ${right ? 'is-right' : 'is-wrong'}` }, [
        el('span', { text: right ? '✓ ' : '✗ ', attrs: { 'aria-hidden': 'true' } }),
        el('strong', { text: right ? 'You predicted it.' : 'Not this time.' }),
        el('span', { text: ` You guessed “${LABEL[guess]}”; running it: ${LABEL[actual]}.` }),
      ]));
      const shown = [response.stdout ?? '', response.error ? tracebackText(response.error, step.code) : ''].filter(Boolean).join('');
      if (shown) parts.push(el('pre', { class: 'output lesson-output', text: shown }));
      parts.push(el('p', { text: step.explanation }));
    }
    panel.dataset.state = 'revealed';
    panel.dataset.verdict = actual ?? '';
    this.result.replaceChildren(...parts);
    this.next.textContent = this.index + 1 < this.lesson.steps.length ? 'Next step' : 'Start the lesson again';
    this.next.hidden = false;
    this.next.focus();
  }
}
