// TensorFlow.js's tf.losses.softmaxCrossEntropy (mean over rows) on its wasm backend (SIMD, one
// thread) or its cpu backend, forward and forward + backward (tf.valueAndGrad). Run by bench/run.mjs:
//   node --no-experimental-fetch bench/tfjs_bench.mjs wasm|cpu '{"shapes": [[384, 2971]], ...}'
import { createRequire, register } from 'node:module';
import path from 'node:path';

import { makeLabels, makeLogits, timeCalls } from './timing.mjs';

const backend = process.argv[2];
const options = JSON.parse(process.argv[3]);

const tf = await import('@tensorflow/tfjs-core');
// tfjs-core's Node bundle leaves out the gradients (the @tensorflow/tfjs umbrella registers
// them); they are in its ES module files, whose imports omit the ".js" that Node requires:
// tfjs_resolve.mjs adds it. The registry is global, so the bundle's engine sees them.
register('./tfjs_resolve.mjs', import.meta.url);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');

if (backend === 'wasm') {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);  // one thread, like the others
} else {
  await import('@tensorflow/tfjs-backend-cpu');
}
await tf.setBackend(backend);
await tf.ready();
const simd = backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : false;
if (backend === 'wasm' && !simd) throw new Error('the tfjs wasm backend runs without SIMD here');
const impl = backend === 'wasm' ? 'TF.js wasm+SIMD' : 'TF.js cpu';

const results = [];
for (const [rows, classes] of options.shapes) {
  const logits = tf.tensor2d(makeLogits(rows, classes), [rows, classes]);
  const onehot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(makeLabels(rows, classes), 'int32'), classes), 'float32'));
  const loss = (z) => tf.losses.softmaxCrossEntropy(onehot, z);
  const grad = tf.valueAndGrad(loss);
  const forward = () => tf.tidy(() => loss(logits).dataSync()[0]);
  const forwardBackward = () =>
    tf.tidy(() => {
      const { value, grad: g } = grad(logits);
      g.dataSync();
      return value.dataSync()[0];
    });
  results.push({ impl, shape: [rows, classes], mode: 'forward', ...timeCalls(forward, options) });
  results.push({ impl, shape: [rows, classes], mode: 'forward+backward', ...timeCalls(forwardBackward, options) });
  tf.dispose([logits, onehot]);
}
console.log(JSON.stringify(results));
