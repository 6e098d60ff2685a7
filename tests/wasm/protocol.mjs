// Helpers shared by the Node tests: the golden fixtures (tests/fixtures/README.md), their
// shortcuts ("fill", "code_repeat", "request_text", "request_hex"), and the comparison of a
// response with what PyTorch answered or with what a hostile case accepts.
import { readFileSync, readdirSync } from 'node:fs';

export const FIXTURE_DIR = new URL('../fixtures/', import.meta.url);

// data[i] = 3 sin(0.7 i + 0.3), computed in double and rounded to float32 for float32 tensors.
export function wave(count, dtype = 'float32') {
  const data = new Array(count);
  for (let i = 0; i < count; i++) {
    const v = 3 * Math.sin(0.7 * i + 0.3);
    data[i] = dtype === 'float64' ? v : Math.fround(v);
  }
  return data;
}

// data[i] = (7 i + 3) % modulus.
export function mod(count, modulus) {
  const data = new Array(count);
  for (let i = 0; i < count; i++) data[i] = (7 * i + 3) % modulus;
  return data;
}

const numel = (shape) => shape.reduce((a, b) => a * b, 1);

// A copy of the request with every input's "fill" replaced by its "data".
function expandFills(request) {
  if (!request.inputs) return request;
  const inputs = {};
  for (const [name, spec] of Object.entries(request.inputs)) {
    if (!spec.fill) {
      inputs[name] = spec;
      continue;
    }
    const { fill, ...rest } = spec;
    const count = numel(spec.shape);
    if (fill.kind === 'wave') rest.data = wave(count, spec.dtype);
    else if (fill.kind === 'mod') rest.data = mod(count, fill.modulus);
    else if (fill.kind === 'arange') rest.data = Array.from({ length: count }, (_, i) => i);
    else throw new Error(`inputs.${name}: unknown fill kind ${JSON.stringify(fill.kind)}`);
    inputs[name] = rest;
  }
  return { ...request, inputs };
}

// Every fixture of tests/fixtures/*.jsonl, as its parsed line plus the file it came from.
export function loadFixtures() {
  const fixtures = [];
  for (const file of readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(new URL(file, FIXTURE_DIR), 'utf8').split('\n')) {
      if (line.trim()) fixtures.push({ file, ...JSON.parse(line), rawLine: line });
    }
  }
  return fixtures;
}

// What to send for a fixture: a request object with its shortcuts expanded, the exact request
// text, or the exact request bytes (a Uint8Array, for requests that are not UTF-8).
// The exact source text of a top-level object member of one JSON line.
function rawMember(line, key) {
  const start = line.indexOf(`"${key}":`) + key.length + 3;
  let depth = 0;
  let inString = false;
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return line.slice(start, i + 1);
    }
  }
  throw new Error(`no member ${key} in fixture line`);
}

export function requestOf(fixture) {
  if ('request_text' in fixture) return fixture.request_text;
  if ('request_hex' in fixture) return Uint8Array.from(Buffer.from(fixture.request_hex, 'hex'));
  const hasFill = Object.values(fixture.request.inputs ?? {}).some((spec) => spec.fill);
  // Without shortcuts, send the fixture's own text: JSON.parse + stringify would turn -0.0 into 0
  // and round int64 values beyond 2**53.
  if (!hasFill && !fixture.request.code_repeat && fixture.rawLine) return rawMember(fixture.rawLine, 'request');
  const request = expandFills(fixture.request);
  if (!request.code_repeat) return request;
  const { code_repeat: repeat, ...rest } = request;
  return { ...rest, code: (repeat.prefix ?? '') + repeat.text.repeat(repeat.times) + (repeat.suffix ?? '') };
}

const FLOAT_DTYPES = new Set(['float32', 'float64', 'py_float']);
const show = (v) => JSON.stringify(v)?.slice(0, 200);

// Float data agree within 1e-5 relative (plus 1e-6 absolute); "nan"/"inf"/"-inf", ints, bools
// and everything else exactly.
function sameElement(actual, expected, isFloat) {
  if (typeof actual === 'number' && typeof expected === 'number' && isFloat) {
    return Math.abs(actual - expected) <= 1e-5 * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-6;
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function compareValue(name, actual, expected) {
  if (actual === undefined) return [`values.${name}: missing from the response`];
  if (expected === null || actual === null) {
    return expected === actual ? [] : [`values.${name}: expected ${show(expected)}, got ${show(actual)}`];
  }
  if (actual.dtype !== expected.dtype || JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) {
    return [`values.${name}: expected ${expected.dtype} ${show(expected.shape)}, got ${actual.dtype} ${show(actual.shape)}`];
  }
  const a = Array.isArray(actual.data) ? actual.data : [actual.data];
  const e = Array.isArray(expected.data) ? expected.data : [expected.data];
  if (a.length !== e.length) return [`values.${name}.data: expected ${e.length} values, got ${a.length}`];
  const isFloat = FLOAT_DTYPES.has(expected.dtype);
  const diffs = [];
  for (let i = 0; i < e.length && diffs.length < 5; i++) {
    if (!sameElement(a[i], e[i], isFloat)) diffs.push(`values.${name}.data[${i}]: expected ${show(e[i])}, got ${show(a[i])}`);
  }
  return diffs;
}

// Differences between a response and a fixture's expected answer, one line each.
function compareResponse(actual, expected) {
  const diffs = [];
  if ('request_error' in actual) return [`request_error: ${actual.request_error}`];
  if (actual.stdout !== expected.stdout) {
    diffs.push(`stdout: expected ${show(expected.stdout)}, got ${show(actual.stdout)}`);
  }
  const ae = actual.error ?? null;
  const ee = expected.error ?? null;
  if ((ae === null) !== (ee === null)) {
    diffs.push(`error: expected ${show(ee)}, got ${show(ae)}`);
  } else if (ee !== null) {
    for (const key of ['type', 'message', 'line', 'col']) {
      if (ae[key] !== ee[key]) diffs.push(`error.${key}: expected ${show(ee[key])}, got ${show(ae[key])}`);
    }
  }
  for (const [name, ev] of Object.entries(expected.values ?? {})) {
    diffs.push(...compareValue(name, actual.values?.[name], ev));
  }
  return diffs;
}

// Differences between a response and what a fixture accepts, one line each. Golden fixtures
// carry "expected"; hostile ones carry "expect" (allowed error types, refusal of the request)
// and sometimes "expected" too.
export function checkFixture(response, fixture) {
  const expect = fixture.expect;
  if (!expect) return compareResponse(response, fixture.expected);
  const refused = 'request_error' in response;
  if (expect.rejects_request) return refused ? [] : ['the request should have been refused as malformed'];
  if (refused) return expect.may_reject_request ? [] : [`refused the request: ${response.request_error}`];
  if (!('error' in response)) return [`the response has no "error": ${show(response)}`];
  const diffs = [];
  const allowed = expect.error_type_any_of;
  if (Array.isArray(allowed)) {
    const type = response.error === null ? null : response.error.type;
    if (!allowed.includes(type)) diffs.push(`error: expected a type in ${show(allowed)}, got ${show(response.error)}`);
  }
  if (fixture.expected) diffs.push(...compareResponse(response, fixture.expected));
  return diffs;
}
