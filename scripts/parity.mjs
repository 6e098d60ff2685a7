// The parity badge's data: which PyTorch version the golden fixtures were generated with, and how
// many cases they hold, read from the fixtures at build time (nothing typed by hand).
//
//   node scripts/parity.mjs            writes web/dist/parity.json
//
// {pytorch: "1.13.0a0", pytorchShort: "1.13", python: "3.11.2", cases: N, files: {name: count}}
// Only the files whose answers real PyTorch produced count as golden cases: hostile_programs.jsonl
// is left out (its answers are acceptance lists written by hand, checked against CPython only).
// The versions come from tests/fixtures/versions.json, which each generator updates when it writes
// a file (tests/fixtures/versions.py reads torch.__version__ from the running interpreter).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const GOLDEN_FILES = ['losses.jsonl', 'printing.jsonl', 'programs.jsonl', 'web/explain.jsonl', 'web/fixes.jsonl'];

function countCases(text) {
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

export async function parity(root = ROOT) {
  const fixtures = `${root}tests/fixtures/`;
  const versions = JSON.parse(await readFile(`${fixtures}versions.json`, 'utf8'));
  const files = {};
  const seen = new Set();
  for (const name of GOLDEN_FILES) {
    const v = versions[name];
    if (!v || typeof v.pytorch !== 'string') {
      throw new Error(`tests/fixtures/versions.json records no PyTorch version for ${name}: regenerate it`);
    }
    seen.add(`${v.pytorch} ${v.python}`);
    files[name] = countCases(await readFile(`${fixtures}${name}`, 'utf8'));
  }
  if (seen.size !== 1) {
    throw new Error(`the golden fixtures come from different versions (${[...seen].join(', ')}): regenerate them`);
  }
  const [pytorch, python] = [...seen][0].split(' ');
  const short = /^(\d+)\.(\d+)/.exec(pytorch);
  return {
    pytorch,
    pytorchShort: short ? `${short[1]}.${short[2]}` : pytorch,
    python,
    cases: Object.values(files).reduce((a, b) => a + b, 0),
    files,
  };
}

export async function writeParity(root = ROOT) {
  const data = await parity(root);
  await mkdir(`${root}web/dist/`, { recursive: true });
  await writeFile(`${root}web/dist/parity.json`, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`parity: matches PyTorch ${data.pytorchShort} on ${data.cases} golden cases (web/dist/parity.json)`);
  return data;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await writeParity();
