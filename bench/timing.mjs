// The benchmark's data and timing protocol in JavaScript (the same as bench/ce_workload.hpp and
// bench/torch_bench.py): deterministic logits and labels, warm-up, then samples of back-to-back
// calls lasting at least sampleMs each; the median sample is the result.

// logits[i] = 8 * ((i * 2654435761) mod 2^32) / 2^32 - 4, as float32.
export function makeLogits(rows, classes) {
  const x = new Float32Array(rows * classes);
  for (let i = 0; i < x.length; i++) x[i] = (8 * (Math.imul(i, 2654435761 | 0) >>> 0)) / 4294967296 - 4;
  return x;
}

// labels[r] = (7 r + 3) mod classes.
export function makeLabels(rows, classes) {
  const t = new Int32Array(rows);
  for (let r = 0; r < rows; r++) t[r] = (7 * r + 3) % classes;
  return t;
}

// call() returns the loss (or any number); resolves to the timing in microseconds.
export function timeCalls(call, { warmupMs = 200, samples = 21, sampleMs = 20 } = {}) {
  let loss = 0;
  let calls = 0;
  const start = performance.now();
  do {
    loss = call();
    calls++;
  } while (performance.now() - start < warmupMs);
  const perCall = (performance.now() - start) / calls;
  const callsPerSample = Math.max(1, Math.floor(sampleMs / Math.max(perCall, 1e-6)));
  const times = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let c = 0; c < callsPerSample; c++) loss = call();
    times.push(((performance.now() - t0) * 1000) / callsPerSample);
  }
  times.sort((a, b) => a - b);
  return {
    median_us: times[times.length >> 1],
    min_us: times[0],
    max_us: times[times.length - 1],
    samples,
    calls_per_sample: callsPerSample,
    loss: Number(loss),
  };
}
