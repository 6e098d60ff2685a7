// The minimal page: a request in a textarea, Run sends it to the worker, the response is shown
// as text. Nothing from the request or the response is ever inserted as HTML.
const EXAMPLE_REQUEST = `{
  "code": "loss = F.cross_entropy(logits, labels)\\nprint(loss)",
  "inputs": {
    "logits": {"dtype": "float32", "shape": [2, 3], "data": [0.1, 0.2, 0.3, 1.0, 2.0, 3.0]},
    "labels": {"dtype": "int64", "shape": [2], "data": [2, 0]}
  },
  "outputs": ["loss"],
  "seed": 0
}`;

const requestBox = document.getElementById('request');
const runButton = document.getElementById('run');
const status = document.getElementById('status');
const responseBox = document.getElementById('response');

requestBox.value = EXAMPLE_REQUEST;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

worker.onmessage = ({ data }) => {
  if (data.type === 'ready') {
    status.textContent = `Ready (${data.build}).`;
    runButton.disabled = false;
  } else if (data.type === 'response') {
    responseBox.textContent = JSON.stringify(data.response, null, 2);
    status.textContent = `Done in ${data.ms.toFixed(1)} ms.`;
    runButton.disabled = false;
  } else if (data.type === 'error') {
    responseBox.textContent = data.message;
    status.textContent = 'Failed.';
    runButton.disabled = false;
  }
};
worker.onerror = (event) => {
  status.textContent = `The worker failed: ${event.message ?? 'unknown error'}`;
};

runButton.addEventListener('click', () => {
  runButton.disabled = true;
  status.textContent = 'Running…';
  worker.postMessage({ type: 'run', request: requestBox.value });
});
