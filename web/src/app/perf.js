// The performance panel: times F.cross_entropy on the current logits' shape with the simd128
// build and the scalar build, in a worker of its own (the live engine keeps answering edits).
import { classCount } from '../model/scenario.js';
import { Engine } from './engine.js';
import { $, el } from './dom.js';

// Keeps one measured program under ~16M logits so a round takes well under a second.
const MAX_ELEMENTS = 1 << 24;
const WORK_PER_ROUND = 2e7;
const ROUNDS = 5;

const BUILD_NAMES = {
  logitlab_simd: 'WebAssembly SIMD (simd128)',
  logitlab_nosimd: 'Scalar WebAssembly',
};

// The cross-entropy workload for a logits shape: its rows flattened to [N, C], class-index targets.
export function benchJob(logitsShape) {
  const classes = Math.max(1, classCount(logitsShape) || 1);
  const numel = logitsShape.reduce((a, b) => a * b, 1);
  let rows = Math.max(1, Math.floor(numel / classes));
  let note = '';
  if (rows * classes > MAX_ELEMENTS) {
    rows = Math.max(1, Math.floor(MAX_ELEMENTS / classes));
    note = ` (rows capped at ${rows} to keep it quick)`;
  }
  const calls = Math.min(50, Math.max(3, Math.round(WORK_PER_ROUND / (rows * classes))));
  const setup = [
    'import torch',
    'import torch.nn.functional as F',
    `logits = torch.randn(${rows}, ${classes})`,
    `labels = torch.randint(0, ${classes}, (${rows},))`,
    '',
  ].join('\n');
  const measured = setup + 'loss = F.cross_entropy(logits, labels)\n'.repeat(calls);
  return { job: { setup, measured, calls, rounds: ROUNDS }, rows, classes, note };
}

export class PerfPanel {
  constructor({ getScenario }) {
    this.getScenario = getScenario;
    this.button = $('perf-run');
    this.status = $('perf-status');
    this.table = $('perf-table');
    this.button.addEventListener('click', () => this.run());
  }

  async run() {
    const scenario = this.getScenario();
    const { job, rows, classes, note } = benchJob(scenario.logitsShape);
    this.button.disabled = true;
    this.status.textContent = `Timing cross-entropy on logits [${rows}, ${classes}]${note}, ${job.calls} calls × ${job.rounds} rounds per build…`;
    const engine = new Engine({ timeLimitMs: 120_000 });
    try {
      const outcome = await engine.bench(job);
      if (outcome.failure) {
        this.status.textContent = `The timing did not finish: ${outcome.message}`;
        return;
      }
      this.show(outcome.results, rows, classes, note);
    } finally {
      engine.terminate();
      this.button.disabled = false;
    }
  }

  show(results, rows, classes, note) {
    const scalar = results.find((r) => !r.simd);
    const rowsOut = results.map((r) => {
      const speedup = scalar && r !== scalar && r.msPerCall > 0 ? `${(scalar.msPerCall / r.msPerCall).toFixed(1)}× faster` : r === scalar ? 'baseline' : '–';
      return el('tr', {}, [
        el('th', { text: BUILD_NAMES[r.build] ?? r.build, attrs: { scope: 'row' } }),
        el('td', { class: 'num', text: `${r.msPerCall.toFixed(2)} ms` }),
        el('td', { class: 'num', text: speedup }),
      ]);
    });
    this.table.tBodies[0].replaceChildren(...rowsOut);
    this.table.hidden = false;
    const simd = results.find((r) => r.simd);
    const summary = simd && scalar && simd.msPerCall > 0
      ? `SIMD build: ${simd.msPerCall.toFixed(2)} ms per call, scalar build: ${scalar.msPerCall.toFixed(2)} ms, ${(scalar.msPerCall / simd.msPerCall).toFixed(1)}× speed-up`
      : `This browser has no WebAssembly SIMD; scalar build: ${scalar?.msPerCall.toFixed(2)} ms per call`;
    this.status.textContent = `${summary} (cross-entropy on [${rows}, ${classes}]${note}, median of ${results.length ? 5 : 0} rounds).`;
  }
}
