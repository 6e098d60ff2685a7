// What the core answers for scenarioToCode(DEFAULT_SCENARIO), so the page can show the article's
// error, card and diagram at once, before the wasm module has loaded. tests/web/scenario.test.mjs
// checks it against PyTorch's answer (tests/fixtures/web/fixes.jsonl) and against the core.
export const DEFAULT_RESPONSE = Object.freeze({
  stdout: '',
  error: { type: 'ValueError', message: 'Expected input batch_size (384) to match target batch_size (864).', line: 9, col: 8 },
  values: {},
  variables: {
    labels: { dtype: 'int64', shape: [864, 2971] },
    logits: { dtype: 'float32', shape: [384, 2971] },
  },
  trace: [
    { line: 5, op: 'randn', args: [{ type: 'int' }, { type: 'int' }], result: { dtype: 'float32', shape: [384, 2971] }, error: null },
    { line: 7, op: 'randint', args: [{ type: 'int' }, { type: 'int' }, { type: 'tuple' }], result: { dtype: 'int64', shape: [864, 2971] }, error: null },
    { line: 9, op: 'cross_entropy', args: [{ dtype: 'float32', shape: [384, 2971] }, { dtype: 'int64', shape: [864, 2971] }],
      error: { type: 'ValueError', message: 'Expected input batch_size (384) to match target batch_size (864).' } },
  ],
  warnings: [],
});
