// Plain JavaScript cross-entropy, the loop a web developer would write (max-subtracted, mean
// over rows), forward and forward + backward. Run by bench/run.mjs:
//   node bench/js_bench.mjs '{"shapes": [[384, 2971]], "warmupMs": 200, "samples": 21, "sampleMs": 20}'
import { makeLabels, makeLogits, timeCalls } from './timing.mjs';

export function crossEntropy(x, labels, rows, classes) {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (x[base + c] > max) max = x[base + c];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(x[base + c] - max);
    total += Math.log(sum) - (x[base + labels[r]] - max);
  }
  return total / rows;
}

// Returns the loss; writes d(loss)/d(logits) into a new array, as a framework would.
export function crossEntropyWithGrad(x, labels, rows, classes) {
  const grad = new Float32Array(rows * classes);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (x[base + c] > max) max = x[base + c];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += grad[base + c] = Math.exp(x[base + c] - max);
    total += Math.log(sum) - (x[base + labels[r]] - max);
    const scale = 1 / (sum * rows);
    for (let c = 0; c < classes; c++) grad[base + c] *= scale;
    grad[base + labels[r]] -= 1 / rows;
  }
  return total / rows;
}

export function run({ shapes, ...timing }) {
  const results = [];
  for (const [rows, classes] of shapes) {
    const x = makeLogits(rows, classes);
    const labels = makeLabels(rows, classes);
    results.push({ impl: 'JavaScript loop', shape: [rows, classes], mode: 'forward', ...timeCalls(() => crossEntropy(x, labels, rows, classes), timing) });
    results.push({ impl: 'JavaScript loop', shape: [rows, classes], mode: 'forward+backward', ...timeCalls(() => crossEntropyWithGrad(x, labels, rows, classes), timing) });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(run(JSON.parse(process.argv[2]))));
