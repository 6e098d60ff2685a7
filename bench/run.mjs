// npm run bench: cross-entropy (mean over rows), forward and forward + backward, on float32
// logits of 384x2971, 4096x1000, 64x50257 and 8x10, for
//   our native kernel variants (build/native-release/logitlab_bench),
//   our wasm simd128 and scalar builds under Node and in headless Chromium (bench/wasm_bench.mjs),
//   PyTorch's F.cross_entropy on the CPU, one thread (bench/torch_bench.py, /usr/bin/python3),
//   TensorFlow.js's tf.losses.softmaxCrossEntropy on its wasm (SIMD) and cpu backends
//   (bench/tfjs_bench.mjs), and a plain JavaScript loop (bench/js_bench.mjs),
// two rounds in the same run to show the noise, plus two protocol requests end to end, then
// short "paired" rounds of issue 5's shape alone, for ratios taken within seconds. Writes
// bench/RESULTS.md. Every contender times itself by the protocol of bench/timing.mjs on the
// same data; each runs in its own process (or page), one after another.
//   node --no-experimental-fetch bench/run.mjs [--quick] [--shapes=384x2971,...] [--skip=name,...] [--paired=N] [--out=file]
//     --quick: short samples, one round, results in the temp folder; --shapes: only these shapes;
//     --skip: leave out contenders by name ("TF.js cpu", "wasm in Chromium", ...); --out: where
//     to write the report (default bench/RESULTS.md); --paired: how many paired rounds (default 6,
//     none with --quick).
// The builds come from build/native-release/ and build/wasm/ (scripts/build.sh native wasm), or
// from $LOGITLAB_NATIVE_BUILD_DIR and $LOGITLAB_WASM_BUILD_DIR.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../scripts/serve.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUICK = process.argv.includes('--quick');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SKIP = (option('skip') ?? '').split(',').filter(Boolean);
const ROUNDS = QUICK ? 1 : 2;
const CONFIG = {
  shapes: option('shapes')?.split(',').map((s) => s.split('x').map(Number)) ?? [
    [384, 2971],
    [4096, 1000],
    [64, 50257],
    [8, 10],
  ],
  warmupMs: QUICK ? 50 : 300,
  samples: QUICK ? 5 : 15,
  sampleMs: QUICK ? 5 : 25,
};

// The paired rounds (see the report): issue 5's shape only, short, the contenders back to back.
const PAIRED_ROUNDS = Number(option('paired') ?? (QUICK ? 0 : 6));
const PAIRED_CONFIG = { shapes: [[384, 2971]], warmupMs: 150, samples: 9, sampleMs: 25 };
const PAIRED_CONTENDERS = ['native', 'wasm under Node', 'PyTorch', 'TF.js wasm'];

// The article's first example (it raises: the batch sizes differ) and a fix that computes.
const REQUESTS = [
  {
    name: "the article's first example (randn [384, 2971], randint [864, 2971], cross_entropy raises)",
    request: {
      code: [
        'import torch',
        'import torch.nn.functional as F',
        '',
        '# Mismatched shapes',
        'logits = torch.randn(384, 2971)',
        'labels = torch.randint(0, 10, (864, 2971)) #Assume class counts <= 10',
        '',
        '',
        'try:',
        '    loss = F.cross_entropy(logits, labels)',
        '    print("Loss:", loss)  # Will not be reached',
        'except Exception as e:',
        '    print("Error:", e)',
        '',
      ].join('\n'),
      seed: 0,
    },
  },
  {
    name: 'a fix that computes (randn [384, 2971], randint (384,), cross_entropy, print)',
    request: {
      code: [
        'logits = torch.randn(384, 2971)',
        'labels = torch.randint(0, 2971, (384,))',
        'loss = F.cross_entropy(logits, labels)',
        'print(loss)',
      ].join('\n'),
      seed: 0,
    },
  },
];

const NATIVE_BENCH = path.join(process.env.LOGITLAB_NATIVE_BUILD_DIR ?? path.join(ROOT, 'build/native-release'), 'logitlab_bench');
const WASM_BUILD_DIR = process.env.LOGITLAB_WASM_BUILD_DIR ?? path.join(ROOT, 'build/wasm');
const TORCH_PYTHON = '/usr/bin/python3';
// V8 first runs wasm through its baseline compiler (Liftoff) and swaps in optimised code from a
// background thread; on a busy machine that can outlast the warm-up, and the first shape would be
// timed on baseline code. Every wasm contender (ours and TF.js's) is compiled optimised up front.
const WASM_NODE_FLAGS = ['--no-liftoff'];
const CHROMIUM = process.env.LOGITLAB_CHROMIUM ?? '/usr/bin/chromium';

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) {
    const detail = (result.stderr || result.error?.message || '').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${what} failed (exit ${result.status}): ${detail}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const contenders = [
  {
    name: 'native',
    run: (requestFiles, config) => {
      const args = ['--warmup-ms', config.warmupMs, '--samples', config.samples, '--sample-ms', config.sampleMs,
        '--shapes', config.shapes.map((s) => s.join('x')).join(',')];
      for (const file of requestFiles) args.push('--request', file);
      const out = run(NATIVE_BENCH, args.map(String), 'logitlab_bench');
      const best = out.variants.filter((v) => v.supported).pop()?.name;
      return {
        results: out.results,
        e2e: out.e2e.map((e) => ({ ...e, impl: `native ${best} (in-process run())` })),
        info: { cpu: out.cpu, variants: out.variants },
      };
    },
  },
  {
    name: 'wasm under Node',
    run: (requestFiles, config) => run(process.execPath, ['--no-experimental-fetch', ...WASM_NODE_FLAGS, 'bench/wasm_bench.mjs',
      JSON.stringify({ ...config, requests: requestFiles.length ? REQUESTS.map((r) => r.request) : [] })], 'bench/wasm_bench.mjs'),
  },
  { name: 'wasm in Chromium', run: () => runChromium() },
  {
    name: 'PyTorch',
    run: (requestFiles, config) => ({ results: run(TORCH_PYTHON, ['bench/torch_bench.py', JSON.stringify(config)], 'bench/torch_bench.py') }),
  },
  ...['wasm', 'cpu'].map((backend) => ({
    name: `TF.js ${backend}`,
    run: (requestFiles, config) => ({
      results: run(process.execPath, ['--no-experimental-fetch', ...WASM_NODE_FLAGS, 'bench/tfjs_bench.mjs', backend, JSON.stringify(config)],
        `bench/tfjs_bench.mjs ${backend}`),
    }),
  })),
  {
    name: 'JavaScript loop',
    run: (requestFiles, config) => ({ results: run(process.execPath, ['bench/js_bench.mjs', JSON.stringify(config)], 'bench/js_bench.mjs') }),
  },
];

async function runChromium() {
  // The page sees bench/, tests/ and the wasm build as build/wasm/, and nothing else.
  const site = mkdtempSync(path.join(os.tmpdir(), 'logitlab-bench-site-'));
  for (const dir of ['bench', 'tests']) symlinkSync(path.join(ROOT, dir), path.join(site, dir));
  mkdirSync(path.join(site, 'build'));
  symlinkSync(path.resolve(WASM_BUILD_DIR), path.join(site, 'build/wasm'));
  const { server, url } = await startServer({ port: 0, root: site });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'logitlab-bench-chromium-'));
  let browser;
  try {
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [`--js-flags=${WASM_NODE_FLAGS.join(' ')}`, '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${url}bench/browser.html`);
    await page.waitForFunction(() => window.logitlabBenchmarkReady === true, null, { timeout: 30000 });
    const config = { ...CONFIG, requests: REQUESTS.map((r) => r.request) };
    const out = await page.evaluate((c) => window.logitlabBenchmark(c), config);
    if (problems.length) throw new Error(problems.join('; '));
    return { ...out, info: { chromium: versionOf(CHROMIUM, ['--version']) } };
  } finally {
    await browser?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(site, { recursive: true, force: true });
  }
}

function versionOf(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } }).trim().split('\n')[0];
  } catch {
    return 'unknown';
  }
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown CPU';
  const flags = new Set((/flags\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? '').split(/\s+/));
  const simd = ['sse2', 'avx2', 'fma', 'avx512f'].filter((f) => flags.has(f)).join(' ');
  let debian = 'unknown';
  try {
    debian = readFileSync('/etc/debian_version', 'utf8').trim();
  } catch {}
  const tfjs = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8')).version;
  return {
    cpu: `${model}, ${os.cpus().length} cores (${simd})`,
    os: `Debian ${debian}, Linux ${os.release()}`,
    node: process.version,
    emcc: versionOf('emcc', ['--version']),
    tfjs,
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

// ---------------------------------------------------------------- the report

const fmtUs = (us) => (us === undefined ? '–' : us >= 1000 ? Math.round(us).toLocaleString('en-US') : us >= 10 ? us.toFixed(0) : us.toFixed(2));
const fmtRatio = (r) => (r === undefined || !Number.isFinite(r) ? '–' : r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);
const shapeKey = (shape) => shape.join('×');

function median(round, impl, shape, mode) {
  return round.results.find((r) => r.impl === impl && shapeKey(r.shape) === shapeKey(shape) && r.mode === mode)?.median_us;
}

// Issue 5's targets on 384x2971: [label, ratio of one round's medians, goal].
function issueTargets(impls) {
  const torch = impls.find((i) => i.startsWith('PyTorch'));
  const simdNode = 'wasm simd128 (Node)';
  const S = [384, 2971];
  const nativeImpls = impls.filter((i) => i.startsWith('native '));
  const targets = [
    ['wasm simd128 forward vs our wasm scalar build (Node), at least 3.5×', (r) => median(r, 'wasm scalar (Node)', S, 'forward') / median(r, simdNode, S, 'forward'), 3.5],
    ['wasm simd128 vs TF.js wasm+SIMD, forward, at least 8×', (r) => median(r, 'TF.js wasm+SIMD', S, 'forward') / median(r, simdNode, S, 'forward'), 8],
    ['wasm simd128 vs TF.js wasm+SIMD, forward + backward, at least 15×', (r) => median(r, 'TF.js wasm+SIMD', S, 'forward+backward') / median(r, simdNode, S, 'forward+backward'), 15],
    ['wasm simd128 (Node) vs PyTorch, forward + backward, at least 2×', (r) => median(r, torch, S, 'forward+backward') / median(r, simdNode, S, 'forward+backward'), 2],
    ['wasm simd128 (Node) vs PyTorch, forward, at least 0.8× (within 1.25×)', (r) => median(r, torch, S, 'forward') / median(r, simdNode, S, 'forward'), 0.8],
    ['stretch: wasm simd128 (Node) faster than PyTorch, forward', (r) => median(r, torch, S, 'forward') / median(r, simdNode, S, 'forward'), 1],
    ['best native variant vs PyTorch, forward, at least 2.5×', (r) => Math.max(...nativeImpls.map((i) => median(r, torch, S, 'forward') / median(r, i, S, 'forward')).filter(Number.isFinite)), 2.5],
  ];
  return targets;
}

function report(rounds, paired, info, failures, startedAt, elapsedS) {
  const impls = [];
  for (const round of rounds) for (const r of round.results) if (!impls.includes(r.impl)) impls.push(r.impl);
  const torch = impls.find((i) => i.startsWith('PyTorch'));
  const simdNode = 'wasm simd128 (Node)';
  const lines = [];
  lines.push('# Benchmark: cross-entropy forward and forward + backward');
  lines.push('');
  lines.push(`Generated by \`npm run bench\` (bench/run.mjs) on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${Math.round(elapsedS)} s.`);
  lines.push('');
  lines.push(`**Machine:** ${info.machine.cpu}; ${info.machine.os}; Node ${info.machine.node}; ${info.chromium ?? 'Chromium (not run)'}; ` +
    `${info.machine.emcc}; ${torch ?? 'PyTorch (not run)'}; TensorFlow.js ${info.machine.tfjs}. ` +
    `Load average at the start: ${info.machine.load}; at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`);
  lines.push('');
  lines.push(`Each number is the median of ${CONFIG.samples} samples after ${CONFIG.warmupMs} ms of warm-up, a sample being the mean ` +
    `of enough back-to-back calls to last ${CONFIG.sampleMs} ms; microseconds per call. "r1 / r2": the two rounds of the same run. ` +
    'Forward: the mean loss from float32 logits and int64 (PyTorch, ours), int32 (JavaScript) or one-hot (TF.js) labels. ' +
    'Forward + backward: the loss and its gradient with respect to the logits (PyTorch: `loss.backward()`; TF.js: ' +
    '`tf.valueAndGrad`; ours: `cross_entropy_with_grad`, the fused kernels storing the exps and scaling them in place). ' +
    'Ours are the core\'s ops (checks, target copy, allocation included), timed inside the process or the wasm module. ' +
    `Every wasm module (ours, TF.js's) runs with V8's \`${WASM_NODE_FLAGS.join(' ')}\` (optimised code from the start, not after tier-up). ` +
    'Data: logits[i] = 8·((i·2654435761) mod 2³²)/2³² − 4, labels[r] = (7r + 3) mod C, the same everywhere (the loss column shows it).');
  lines.push('');

  // The issue's targets.
  lines.push('## What issue 5 asks for (384×2971)');
  lines.push('');
  lines.push('| target | ' + rounds.map((_, i) => `round ${i + 1}`).join(' | ') + ' | met |');
  lines.push('|---|' + rounds.map(() => '---:').join('|') + '|:---:|');
  const targets = issueTargets(impls);
  for (const [label, ratio, goal] of targets) {
    const values = rounds.map((r) => ratio(r));
    const met = values.every((v) => Number.isFinite(v) && v >= goal) ? 'yes' : values.some((v) => v >= goal) ? 'one round' : 'no';
    lines.push(`| ${label} | ${values.map(fmtRatio).join(' | ')} | ${met} |`);
  }
  lines.push('');
  lines.push('A ratio is how many times faster the first is than the second (the second\'s median time over the first\'s).');
  lines.push('');
  if (paired.length) {
    const pairedImpls = [];
    for (const round of paired) for (const r of round.results) if (!pairedImpls.includes(r.impl)) pairedImpls.push(r.impl);
    lines.push(`## Issue 5's targets in ${paired.length} paired rounds`);
    lines.push('');
    lines.push(`The rounds above run each contender for a few seconds, one after another, so a ratio compares two moments of a ` +
      `machine whose speed drifts. Here each round times only 384×2971 (${PAIRED_CONFIG.samples} samples of ${PAIRED_CONFIG.sampleMs} ms ` +
      `after ${PAIRED_CONFIG.warmupMs} ms of warm-up per contender), the contenders back to back in an order that rotates from round ` +
      'to round; each ratio is taken within one round, and the verdict is on the median ratio.');
    lines.push('');
    lines.push('| target | ratio in each round | median | rounds at or above the goal | met |');
    lines.push('|---|---|---:|---:|:---:|');
    for (const [label, ratio, goal] of issueTargets(pairedImpls)) {
      const values = paired.map((r) => ratio(r)).filter(Number.isFinite);
      const sorted = [...values].sort((a, b) => a - b);
      const mid = sorted.length ? (sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2) : NaN;
      const atGoal = values.filter((v) => v >= goal).length;
      lines.push(`| ${label} | ${values.map(fmtRatio).join(', ') || '–'} | ${fmtRatio(mid)} | ${atGoal} of ${values.length} | ${mid >= goal ? 'yes' : 'no'} |`);
    }
    lines.push('');
  }

  // Per shape.
  for (const shape of CONFIG.shapes) {
    lines.push(`## ${shapeKey(shape)}`);
    lines.push('');
    lines.push('| implementation | forward µs (r1 / r2) | vs PyTorch | forward + backward µs (r1 / r2) | vs PyTorch | loss |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const impl of impls) {
      const cells = [];
      for (const mode of ['forward', 'forward+backward']) {
        const times = rounds.map((r) => median(r, impl, shape, mode));
        cells.push(times.map(fmtUs).join(' / '));
        const ratios = rounds.map((r) => median(r, torch, shape, mode) / median(r, impl, shape, mode));
        cells.push(ratios.map(fmtRatio).join(' / '));
      }
      const loss = rounds[0].results.find((r) => r.impl === impl && shapeKey(r.shape) === shapeKey(shape))?.loss;
      if (cells.every((c) => /^[–/ ]+$/.test(c))) continue;
      lines.push(`| ${impl} | ${cells.join(' | ')} | ${loss === undefined ? '–' : loss.toPrecision(8)} |`);
    }
    lines.push('');
  }

  // End to end.
  lines.push('## One protocol request end to end');
  lines.push('');
  lines.push('`run(request)` from the request JSON to the response JSON (parse, run the program, answer), the article\'s seed-0 programs:');
  lines.push('');
  REQUESTS.forEach((r, i) => lines.push(`${i + 1}. ${r.name}`));
  lines.push('');
  lines.push('| implementation | ' + REQUESTS.map((_, i) => `request ${i + 1} µs (r1 / r2)`).join(' | ') + ' |');
  lines.push('|---|' + REQUESTS.map(() => '---:').join('|') + '|');
  const e2eImpls = [];
  for (const round of rounds) for (const e of round.e2e) if (!e2eImpls.includes(e.impl)) e2eImpls.push(e.impl);
  for (const impl of e2eImpls) {
    const cells = REQUESTS.map((_, i) => rounds.map((r) => fmtUs(r.e2e.find((e) => e.impl === impl && e.request === i)?.median_us)).join(' / '));
    lines.push(`| ${impl} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  if (failures.length) {
    lines.push('## Not measured');
    lines.push('');
    for (const f of failures) lines.push(`- round ${f.round}, ${f.name}: ${f.error}`);
    lines.push('');
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

const startedAt = new Date();
const info = { machine: machine() };
const scratch = mkdtempSync(path.join(os.tmpdir(), 'logitlab-bench-'));
const requestFiles = REQUESTS.map((r, i) => {
  const file = path.join(scratch, `request${i}.json`);
  writeFileSync(file, JSON.stringify(r.request));
  return file;
});
const rounds = [];
const paired = [];
const failures = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const collected = { results: [], e2e: [] };
    for (const contender of contenders.filter((c) => !SKIP.includes(c.name))) {
      const t0 = performance.now();
      process.stdout.write(`bench: round ${round}, ${contender.name} ... `);
      try {
        const out = await contender.run(requestFiles, CONFIG);
        collected.results.push(...(out.results ?? []));
        collected.e2e.push(...(out.e2e ?? []));
        Object.assign(info, out.info ?? {});
        console.log(`${((performance.now() - t0) / 1000).toFixed(0)} s`);
      } catch (error) {
        failures.push({ round, name: contender.name, error: error.message });
        console.log(`not measured: ${error.message}`);
      }
    }
    rounds.push(collected);
  }
  const pairedContenders = contenders.filter((c) => PAIRED_CONTENDERS.includes(c.name) && !SKIP.includes(c.name));
  for (let round = 0; round < PAIRED_ROUNDS; round++) {
    const collected = { results: [] };
    const t0 = performance.now();
    process.stdout.write(`bench: paired round ${round + 1} of ${PAIRED_ROUNDS} ... `);
    for (let k = 0; k < pairedContenders.length; k++) {
      const contender = pairedContenders[(round + k) % pairedContenders.length];
      try {
        collected.results.push(...((await contender.run([], PAIRED_CONFIG)).results ?? []));
      } catch (error) {
        failures.push({ round: `paired ${round + 1}`, name: contender.name, error: error.message });
      }
    }
    console.log(`${((performance.now() - t0) / 1000).toFixed(0)} s`);
    paired.push(collected);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const text = report(rounds, paired, info, failures, startedAt, (Date.now() - startedAt.getTime()) / 1000);
const out = option('out') ?? (QUICK ? path.join(os.tmpdir(), 'logitlab-RESULTS-quick.md') : path.join(ROOT, 'bench/RESULTS.md'));
writeFileSync(out, text + '\n');
console.log(`bench: wrote ${out}`);
