// Runs the wasm core off the main thread. The page owns the clock: a run past its time limit is
// stopped by terminating this worker and starting a fresh one, so nothing here needs to yield.
//
// Messages in:  {type: 'run', id, request}
//               {type: 'bench', id, setup, measured, calls, rounds}
// Messages out: {type: 'ready', build, simd} | {type: 'load-error', message}
//               {type: 'response', id, response, ms, memoryBytes}  (memoryBytes: the module's memory
//                 after the run, which never shrinks)
//               {type: 'bench-result', id, results: [{build, simd, setupMs, totalMs, msPerCall}]}
//               {type: 'crash', id, message}  (the module trapped or aborted: replace this worker)
import { loadLogitLab, simdSupported } from './logitlab.mjs';

const ready = loadLogitLab().then(
  (lab) => {
    postMessage({ type: 'ready', build: lab.build, simd: lab.simd });
    return lab;
  },
  (error) => {
    postMessage({ type: 'load-error', message: String(error?.message ?? error) });
    return null;  // reported; the page replaces or gives up on this worker
  },
);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

// Times `setup` alone and `setup` followed by `calls` cross-entropy lines, in alternation, and
// attributes the median difference to the cross-entropy calls.
function timeBuild(lab, { setup, measured, calls, rounds }) {
  const time = (code) => {
    const start = performance.now();
    const response = lab.run({ code, seed: 0 });
    const ms = performance.now() - start;
    if (response.request_error || response.error) {
      throw new Error(response.request_error ?? `${response.error.type}: ${response.error.message}`);
    }
    return ms;
  };
  time(measured);  // warm-up: page in the memory the real rounds will use
  const setupTimes = [];
  const totalTimes = [];
  for (let round = 0; round < rounds; round++) {
    setupTimes.push(time(setup));
    totalTimes.push(time(measured));
  }
  const setupMs = median(setupTimes);
  const totalMs = median(totalTimes);
  return { build: lab.build, simd: lab.simd, setupMs, totalMs, msPerCall: Math.max(totalMs - setupMs, 0) / calls };
}

async function bench(job) {
  const builds = [await loadLogitLab({ simd: false })];
  if (simdSupported()) builds.unshift(await loadLogitLab({ simd: true }));
  return builds.map((lab) => timeBuild(lab, job));
}

onmessage = async ({ data }) => {
  const { type, id } = data;
  const lab = await ready;
  if (!lab) return;  // load-error was reported
  try {
    if (type === 'run') {
      const start = performance.now();
      const response = lab.run(data.request);
      const ms = performance.now() - start;
      postMessage({ type: 'response', id, response, ms, memoryBytes: lab.memoryBytes() });
    } else if (type === 'bench') {
      postMessage({ type: 'bench-result', id, results: await bench(data) });
    }
  } catch (error) {
    postMessage({ type: 'crash', id, message: String(error?.message ?? error) });
  }
};
