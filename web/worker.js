// Runs the wasm core off the main thread. loadLogitLab picks the simd128 build when the browser
// validates a simd128 module, else the build without SIMD.
import { loadLogitLab } from './dist/logitlab.mjs';

const ready = loadLogitLab().then(
  (lab) => {
    postMessage({ type: 'ready', build: lab.build });
    return lab;
  },
  (error) => {
    postMessage({ type: 'error', message: `Could not load the Logit Lab module: ${error}` });
    throw error;
  },
);

onmessage = async ({ data }) => {
  if (data.type !== 'run') return;
  try {
    const lab = await ready;
    const start = performance.now();
    const response = lab.run(data.request);
    postMessage({ type: 'response', response, ms: performance.now() - start });
  } catch (error) {
    postMessage({ type: 'error', message: String(error) });
  }
};
