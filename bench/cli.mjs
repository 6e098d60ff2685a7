// The native CLI end to end: one process per request (start, parse, run, answer, exit), for a
// typical learner's program on the article's shapes (384×2971 logits against 864×2971 labels,
// the mismatched call inside try/except), and its two usual fixes. Medians of wall-clock times
// after a warm-up, two rounds. Appends a section to bench/RESULTS.md (or prints it with --print).
//   node bench/cli.mjs [runs]        default 20 runs per program and round
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}build/native-release/logitlab`;
const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20);
const printOnly = process.argv.includes('--print');

const header = 'import torch\nimport torch.nn.functional as F\n\n' +
  'scores = torch.randn(384, 2971)\ntargets = torch.randint(0, 10, (864, 2971))\n\n';
const PROGRAMS = [
  ['mismatched batch, caught and printed (ValueError)',
    header + 'try:\n    out = F.cross_entropy(scores, targets)\nexcept ValueError as err:\n    print("Error:", err)\n'],
  ['targets cut to the scores\' rows (RuntimeError, caught)',
    header + 'try:\n    out = F.cross_entropy(scores, targets[:scores.shape[0], :])\nexcept RuntimeError as err:\n    print("Error:", err)\n'],
  ['class indices from the same batch: the loss is computed and printed',
    header + 'targets = torch.randint(0, 2971, (384,))\nprint(F.cross_entropy(scores, targets))\n'],
];

function once(code) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cli, ['run'], { input: JSON.stringify({ code, seed: 0 }), encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`logitlab run failed: ${r.stderr}`);
  return { ms, response: JSON.parse(r.stdout) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!existsSync(cli)) {
  console.error(`bench/cli.mjs: ${cli} is missing; run scripts/build.sh native first`);
  process.exit(1);
}
const rows = [];
for (const [name, code] of PROGRAMS) {
  const first = once(code); // warm-up (page cache), and the answer to show
  const answer = first.response.error ? `${first.response.error.type}` : first.response.stdout.trim().split('\n').at(-1);
  const rounds = [];
  for (let round = 0; round < 2; round += 1) {
    const times = [];
    for (let i = 0; i < runs; i += 1) times.push(once(code).ms);
    rounds.push(median(times));
  }
  rows.push(`| ${name} | ${rounds.map((t) => t.toFixed(1)).join(' / ')} | \`${answer.replace(/\|/g, '\\|')}\` |`);
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const text = [
  '',
  '## The CLI, one process per request',
  '',
  `\`node bench/cli.mjs ${runs}\`: \`build/native-release/logitlab run\` started once per request ` +
  `(process start, JSON parse, shapes-first run, answer), median wall-clock ms of ${runs} runs, two rounds; ` +
  `${cpu}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at the end.`,
  '',
  '| program (384×2971 scores) | ms (r1 / r2) | answer |',
  '|---|---:|---|',
  ...rows,
  '',
].join('\n');
if (printOnly) console.log(text);
else {
  appendFileSync(`${root}bench/RESULTS.md`, text);
  console.log(text);
}
