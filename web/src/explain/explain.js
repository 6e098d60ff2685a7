// explain(): the error card. Reads the protocol response (error, trace, variables) and the code,
// recognises PyTorch's message, and says in the learner's words which dimensions disagree and
// what probably caused it, reading the numbers (384 = 32×12, 864 = 32×27 …). Programs that run
// but are probably wrong get a warning. Pure: no DOM; every string is plain text.

import { classAxis, logicalLines as allLines } from '../model/scenario.js';
import { CATALOG, catalogEntry } from './catalog.js';
import { inputRoles, product, sharedBatch, showShape, targetRoles } from './numbers.js';


const LOSS_OPS = new Set(['cross_entropy', 'nll_loss']);
const isShape = (s) => Array.isArray(s) && s.every((d) => Number.isInteger(d));
const parseList = (text) => (text.trim() === '' ? [] : text.split(',').map((x) => Number(x.trim())));
const plural = (n, word) => `${n} ${n === 1 ? word : word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
const DTYPE_WORD = { Long: 'int64', Int: 'int32', Float: 'float32', Double: 'float64', Bool: 'bool', Byte: 'uint8', Half: 'float16' };

// The lines the heuristics read. Very long lines (pasted data, hostile input) are skipped: a
// program line of a learner is short, and regular expressions on 100 000-character lines can
// take seconds.
const MAX_LINE = 500;
const MAX_CODE = 200_000;
const logicalLines = (code) => (typeof code === 'string' && code.length <= MAX_CODE
  ? allLines(code).filter((l) => l.text.length <= MAX_LINE) : []);

// ---------------------------------------------------------------------------------------------
// What we know about the failing (or last) loss call: the shapes of input, target and weight.

function codeLine(code, line) {
  if (typeof code !== 'string' || !Number.isInteger(line)) return '';
  const found = logicalLines(code).find((l) => l.line === line);
  return found ? found.text : '';
}

// The arguments of the first cross_entropy / nll_loss / loss-module call in a line of code.
// Each is a variable name, or null when that argument is an expression.
function lossCallArgs(text) {
  const m = /(?:\bcross_entropy|\bnll_loss|\b\w*(?:loss|criterion)\w*|\))\s*\(\s*([A-Za-z_]\w*)\s*,\s*([^,)]*)/i.exec(text);
  if (!m) return null;
  const target = /^\s*([A-Za-z_]\w*)\s*$/.exec(m[2]);
  return { input: m[1], target: target ? target[1] : null };
}

function tensorInfo(spec) {
  return spec && isShape(spec.shape) ? { shape: spec.shape, dtype: spec.dtype ?? null } : null;
}

export function lossOperands(response, code, line) {
  const trace = Array.isArray(response?.trace) ? response.trace : [];
  const vars = response?.variables ?? {};
  const fromEntry = (entry) => {
    if (!entry || !Array.isArray(entry.args)) return null;
    const tensors = entry.args.filter((a) => isShape(a?.shape) && !a.name);
    if (tensors.length < 2) return null;
    return { input: tensorInfo(tensors[0]), target: tensorInfo(tensors[1]),
      weight: tensorInfo(entry.args.find((a) => a?.name === 'weight')), line: entry.line };
  };
  // Not traced (an nn.CrossEntropyLoss object, or a real-PyTorch response): read the names.
  const fromCode = (text) => {
    const args = lossCallArgs(text);
    if (!args || !vars[args.input]) return null;
    const w = /weight\s*=\s*([A-Za-z_]\w*)/.exec(text);
    return { input: tensorInfo(vars[args.input]), target: args.target ? tensorInfo(vars[args.target]) : null,
      weight: w ? tensorInfo(vars[w[1]]) : null, line };
  };
  const lossLines = typeof code === 'string'
    ? logicalLines(code).filter((l) => /cross_entropy\s*\(|nll_loss\s*\(/.test(l.text)) : [];
  const lastLoss = [...trace].reverse().find((t) => LOSS_OPS.has(t.op));
  const found = line !== null
    // the failing line: its traced loss call, else its text, else the last loss call before it
    ? fromEntry(trace.filter((t) => LOSS_OPS.has(t.op) && t.line === line).pop()) ?? fromCode(codeLine(code, line)) ??
      fromEntry(lastLoss)
    : fromEntry(lastLoss) ?? fromCode(lossLines.pop()?.text ?? '');
  return found ?? { input: null, target: null, weight: null, line };
}

// ---------------------------------------------------------------------------------------------
// dims: one entry per axis of logits and labels, with its role and whether it is in conflict.

function dimsOf(input, target, conflicts = {}) {
  const dims = [];
  if (input) {
    const roles = inputRoles(input.shape.length);
    input.shape.forEach((size, axis) => dims.push({ tensor: 'logits', axis, size, role: roles[axis],
      conflict: (conflicts.logits ?? []).includes(axis) }));
  }
  if (target) {
    const roles = targetRoles(target.shape.length, input ? input.shape.length : target.shape.length + 1);
    target.shape.forEach((size, axis) => dims.push({ tensor: 'labels', axis, size, role: roles[axis],
      conflict: (conflicts.labels ?? []).includes(axis) }));
  }
  return dims;
}

const classesOf = (input) => (input ? input.shape[classAxis(input.shape)] : null);

// ---------------------------------------------------------------------------------------------
// Causes of a batch mismatch, read from the numbers.

function batchCauses(n, m, input, target) {
  const causes = [];
  const C = classesOf(input);
  const inShape = input?.shape ?? null;
  if (m === 0 && target && target.shape.length === 0) {
    causes.push('The labels are a single number (a 0-d tensor), which PyTorch counts as batch size 0 here. ' +
      `Give one class index per example: a tensor of shape [${n}].`);
  }
  if (C && C > 1 && m === n * C) {
    causes.push(`${m} = ${n}×${C}: exactly one label per class per example. One-hot labels of shape [${n}, ${C}] ` +
      'flattened by view(-1) or reshape(-1) look like this. Use labels.argmax(dim=1) instead of flattening them.');
  }
  if (inShape && inShape.length === 3 && m === inShape[0] * inShape[1]) {
    causes.push(`${m} = ${inShape[0]}×${inShape[1]}: the labels were flattened over (batch, sequence) but the logits ` +
      `still have shape ${showShape(inShape)}. Flatten the logits to (${m}, ${inShape[2]}) too, or keep the labels ` +
      `as (${inShape[0]}, ${inShape[1]}) and permute the logits to (batch, classes, sequence).`);
  }
  if (inShape && inShape.length === 2 && inShape[1] === m && inShape[0] !== m) {
    causes.push(`The logits' second dimension (${inShape[1]}) equals the number of labels: the logits may be ` +
      `transposed, classes first. If so, use logits.t() (or fix the layer that produced them) to get [${m}, ${inShape[0]}].`);
  }
  const shared = sharedBatch(n, m);
  if (shared) {
    causes.push(`${n} = ${shared.batch}×${shared.first} and ${m} = ${shared.batch}×${shared.second}: probably one ` +
      `batch of ${shared.batch} sequences, flattened over sequences of different lengths (${shared.first} tokens for ` +
      `the logits, ${shared.second} for the labels). Cut or pad both to the same length, ideally in the same place ` +
      '(the collate function), and mark padding with -100.' +
      (shared.gcd !== shared.batch ? ` (If your batch size is ${shared.gcd}: ${n} = ${shared.gcd}×${n / shared.gcd} and ` +
        `${m} = ${shared.gcd}×${m / shared.gcd}, the same story with shorter sequences.)` : ''));
  }
  if (n > 0 && m > n && m % n === 0 && m !== n * C) {
    const k = m / n;
    causes.push(`${m} = ${n}×${k}: ${k} labels for every row of logits. Perhaps the labels are per token (a ` +
      `sequence of ${k}) while the logits are one per sequence (pooled, or only the last step), or the labels were ` +
      `repeated or concatenated ${k} times.`);
  }
  if (m > 0 && n > m && n % m === 0) {
    const k = n / m;
    causes.push(`${n} = ${m}×${k}: ${k} rows of logits for every label. Perhaps the logits were flattened over a ` +
      `sequence of ${k} steps while the labels are one per sequence, or the logits were reshaped with the wrong -1.`);
  }
  if (m > 0 && m < n && n % m !== 0 && !shared) {
    causes.push(`The labels are fewer (${m}) than the logits (${n}). The last batch of an epoch is often smaller: ` +
      'if the logits come from a fixed-size buffer or an earlier batch, take both from the same batch (or use ' +
      'drop_last=True in the DataLoader).');
  }
  if (C && m === C && n !== C) {
    causes.push(`There are as many labels as classes (${C}): maybe a single one-hot row, or the class weights, was ` +
      'passed as the target.');
  }
  if (n === 1 && m > 1) {
    causes.push('The logits have a batch of 1: maybe the model ran on one example, or a batch dimension was added ' +
      'with unsqueeze(0) to a tensor that already had one.');
  }
  causes.push(`${causes.length ? 'Or the' : 'The'} logits and labels come from different batches: for example labels ` +
    'from the loader and logits from an earlier step, or two loaders with different batch sizes.');
  return causes;
}

// ---------------------------------------------------------------------------------------------
// One handler per PyTorch message. Each returns the dynamic part of the card.

const HANDLERS = [
  {
    id: 'batch-mismatch',
    re: /^Expected input batch_size \((\d+)\) to match target batch_size \((\d+)\)\.$/,
    build(m, { input, target }) {
      const n = Number(m[1]);
      const k = Number(m[2]);
      const details = [
        `The logits have ${plural(n, 'row')} (dimension 0, the batch): one prediction per example.`,
        `The labels have ${plural(k, 'entry')} in dimension 0.`,
        'cross_entropy pairs them by position, so the two numbers must be equal.',
      ];
      if (input && target && target.shape.length === input.shape.length && /int/.test(target.dtype ?? '')) {
        details.push(`Even with equal batch sizes these labels would fail: integer labels shaped like the logits ` +
          `(${showShape(target.shape)}) are read as probabilities. Class indices of shape [${n}] are what ` +
          'cross_entropy expects.');
      }
      return {
        summary: `The logits describe ${n} examples but the labels describe ${k}. Dimension 0 (the batch) must be ` +
          'the same for both.',
        details,
        causes: batchCauses(n, k, input, target),
        conflicts: { logits: [0], labels: [0] },
      };
    },
  },
  {
    id: 'int-target-like-logits',
    re: /^Expected floating point type for target with class probabilities, got (\w+)$/,
    build(m, ctx) {
      const { input, target } = ctx;
      const shape = target?.shape ?? input?.shape;
      const C = classesOf(input);
      const details = [
        `The labels have the logits' shape${shape ? ` ${showShape(shape)}` : ''}, so PyTorch reads them as a ` +
          'probability for every class.',
        `Probabilities must be floats; these labels are ${DTYPE_WORD[m[1]] ?? m[1]}.`,
      ];
      const causes = [];
      if (shape && shape.length >= 2) {
        causes.push(`If each example has one correct class, the labels should be class indices of shape ` +
          `${showShape([shape[0], ...shape.slice(2)])}, not ${showShape(shape)}.`);
        causes.push('If the labels are one-hot rows (0/1), labels.argmax(dim=1) turns them into class indices.');
      }
      const before = ctx.variables?.labels?.shape;
      const cut = typeof ctx.code === 'string' && /\[\s*:\s*logits\.shape\[0\]|\[\s*:\s*\d+\s*[,\]]/.test(ctx.code);
      if (cut && isShape(before) && shape && before.length === shape.length && before[0] > shape[0]) {
        causes.unshift(`The labels were cut from ${before[0]} to ${shape[0]} rows to match the logits. That made the ` +
          `shapes equal, so PyTorch now reads them as probabilities; and the cut dropped ${before[0] - shape[0]} of ` +
          `${before[0]} label rows. The labels were never one class index per example.`);
      } else {
        causes.push('If the shapes were made equal by cutting the labels (labels[:logits.shape[0], :]), the error has ' +
          'only moved: the labels were never one class index per example.');
      }
      causes.push('Adding .float() makes the error disappear but turns the indices into nonsense probabilities.');
      return {
        summary: `Integer labels with exactly the logits' shape: PyTorch treats a target of that shape as class ` +
          `probabilities, which must be floating point${C ? ` (one per class, ${C} per example)` : ''}.`,
        details, causes,
        conflicts: { labels: shape ? shape.map((_, i) => i).filter((i) => i !== 0) : [] },
      };
    },
  },
  {
    id: 'multi-target',
    re: /^0D or 1D target tensor expected, multi-target not supported$/,
    build(m, { input, target }) {
      const C = classesOf(input);
      const K = target?.shape?.[1];
      const causes = [];
      if (target && target.shape.length === 2 && C && K === C + 1) {
        causes.push(`The labels have ${K} columns, one more than the ${C} classes: maybe F.one_hot guessed ` +
          'num_classes from the largest label, or the classes count from 1.');
      }
      if (target && target.shape.length === 2 && /float/.test(target.dtype ?? '')) {
        causes.push(`Float labels of width ${K}: one-hot or probability rows over ${K} classes, while the logits ` +
          `have ${C}. The number of classes must agree.`);
      }
      if (target && target.shape.length === 2 && /int/.test(target.dtype ?? '')) {
        causes.push(`Integer labels of shape ${showShape(target.shape)}: several labels per example, e.g. a ` +
          'sequence per example. Flatten logits and labels together, or use logits of shape (batch, classes, sequence).');
      }
      if (target && target.shape.length > 2) {
        causes.push(`The labels have ${target.shape.length} dimensions while the logits have 2.`);
      }
      return {
        summary: `For logits of shape ${input ? showShape(input.shape) : '[N, C]'} the labels must be one class index ` +
          `per example (shape [${input?.shape?.[0] ?? 'N'}]), but they have ${target ? target.shape.length : 'two or more'} dimensions.`,
        details: ['cross_entropy supports one target per example; a second label dimension is only allowed when it is ' +
          'exactly the class dimension (probabilities).'],
        causes,
        conflicts: { labels: target ? target.shape.map((_, i) => i).filter((i) => i > 0) : [] },
      };
    },
  },
  {
    id: 'invalid-reshape',
    re: /^shape '\[([-\d, ]*)\]' is invalid for input of size (\d+)$/,
    build(m) {
      const shape = parseList(m[1]);
      const size = Number(m[2]);
      const known = shape.filter((d) => d !== -1);
      const wanted = product(known);
      const details = [`The tensor has ${size} elements.`];
      const causes = [];
      if (shape.includes(-1)) {
        details.push(`The other sizes multiply to ${wanted}, and ${size} is not a multiple of ${wanted}, so -1 has no ` +
          'whole-number value.');
      } else {
        details.push(`The requested shape [${shape.join(', ')}] holds ${shape.join('×')} = ${wanted} elements.`);
      }
      // labels.reshape(k, n, ...)[0]: the article's split into blocks of the logits' batch.
      if (!shape.includes(-1) && shape.length >= 2) {
        const rest = product(shape.slice(2));
        if (rest > 0 && size % rest === 0) {
          const rows = size / rest;
          details.push(`With ${rest} elements per row the tensor has ${rows} rows; ${shape[0]} blocks of ${shape[1]} ` +
            `rows would need ${shape[0] * shape[1]}.`);
          if (rows % shape[1] !== 0) {
            causes.push(`${rows} is not a multiple of ${shape[1]}: the rows cannot be split into equal blocks of ` +
              `${shape[1]}. Splitting would not fix the mismatch anyway: block 0 is not "the labels of these logits".`);
          }
        }
      }
      if (causes.length === 0) causes.push('A size in the reshape was computed from another tensor (another batch, another sequence length).');
      return {
        summary: `reshape/view to [${shape.join(', ')}] is impossible: ${size} elements cannot fill it.`,
        details, causes, conflicts: {},
      };
    },
  },
  {
    id: 'target-out-of-bounds',
    re: /^Target (-?\d+) is out of bounds\.$/,
    build(m, { input, scenario }) {
      const t = Number(m[1]);
      const C = classesOf(input);
      const causes = [];
      if (t < 0) {
        causes.push(`A negative label (${t}) is only allowed when it equals ignore_index (default -100). Padding ` +
          `marked with ${t} needs ignore_index=${t}, or mark padding with -100.`);
      } else if (C !== null && t === C) {
        causes.push(`The label equals the number of classes (${C}): the labels probably count from 1 to ${C}. ` +
          'Subtract 1, or give the model one more output.');
      } else if (C !== null) {
        causes.push(`The labels use at least ${t + 1} classes but the logits have ${C}: the output layer is too ` +
          'small for the vocabulary, or labels and model use different class lists.');
      }
      if (scenario && C !== null && scenario.numClasses > C) {
        causes.push(`The labels are drawn from 0 to ${scenario.numClasses - 1}, the logits score ${C} classes.`);
      }
      return {
        summary: `A label says class ${t}, but the logits only have classes 0 to ${C !== null ? C - 1 : 'C−1'}.`,
        details: ['PyTorch reports the first label out of range, in batch order.'],
        causes, conflicts: { logits: input ? [classAxis(input.shape)] : [] },
      };
    },
  },
  {
    id: 'spatial-target-size',
    re: /^Expected target size \[([\d, ]*)\], got \[([\d, ]*)\]$/,
    build(m, { input }) {
      const want = parseList(m[1]);
      const got = parseList(m[2]);
      const causes = [];
      if (input && input.shape.length === 3 && got.length === 2 && got[0] === input.shape[0] && got[1] === input.shape[1]) {
        causes.push(`The logits look like (batch ${input.shape[0]}, sequence ${input.shape[1]}, classes ` +
          `${input.shape[2]}), the layout a sequence model returns, but cross_entropy reads dimension 1 as the classes. ` +
          `Use logits.permute(0, 2, 1) to get (${input.shape[0]}, ${input.shape[2]}, ${input.shape[1]}), or flatten both.`);
      }
      if (got.length === 1) causes.push('The labels have one label per example, but the logits have a score per position: pool the logits or give one label per position.');
      const bad = got.map((d, i) => i).filter((i) => got[i] !== want[i] || got.length !== want.length);
      return {
        summary: `For logits of shape ${input ? showShape(input.shape) : '(N, C, ...)'} the labels must have shape ` +
          `[${want.join(', ')}] (the logits without the class dimension), but they have [${got.join(', ')}].`,
        details: ['Logits with 3 or more dimensions are read as (batch, classes, positions…).'],
        causes,
        conflicts: { logits: input ? [1] : [], labels: bad },
      };
    },
  },
  {
    id: 'spatial-target-dims',
    re: /^only batches of spatial targets supported \(3D tensors\) but got targets of dimension: (\d+)$/,
    build(m, { input }) {
      return {
        summary: `Logits of shape ${input ? showShape(input.shape) : '(N, C, H, W)'} need labels with 3 dimensions ` +
          `(batch, height, width); these have ${m[1]}.`,
        details: [], causes: ['Labels are one class index per pixel: drop the class dimension, do not flatten the rest.'],
        conflicts: {},
      };
    },
  },
  {
    id: 'size-mismatch',
    re: /^size mismatch \(got input: \[([\d, ]*)\] ?, target: \[([\d, ]*)\]\)?$/,
    build(m) {
      return {
        summary: `The labels [${m[2]}] do not fit the logits [${m[1]}].`,
        details: ['For a single example (1-D logits) the label is a 0-d tensor such as torch.tensor(3).'],
        causes: ['A batch dimension is missing on the logits: use logits.unsqueeze(0) for one example.'],
        conflicts: {},
      };
    },
  },
  {
    id: 'logits-dtype',
    re: /^"(?:log_)?softmax(?:_lastdim)?_kernel_impl" not implemented for '(\w+)'$|^"nll_loss_out_frame" not implemented for '(\w+)'$/,
    build(m, { input, target }) {
      const dt = m[1] ?? m[2];
      const causes = ['Convert the logits with logits.float().'];
      if (input && target && /int/.test(input.dtype ?? '') && /float/.test(target.dtype ?? '')) {
        causes.unshift('The first argument is integer and the second is float: logits and labels are probably swapped.');
      }
      return {
        summary: `The logits are ${DTYPE_WORD[dt] ?? dt}; softmax needs floating-point logits.`,
        details: [], causes, conflicts: {},
      };
    },
  },
  {
    id: 'target-dtype',
    re: /^expected scalar type Long but found (\w+)$/,
    build(m, { target }) {
      const dt = DTYPE_WORD[m[1]] ?? m[1];
      return {
        summary: `Class-index labels must be int64 (torch.long); these are ${dt}.`,
        details: target ? [`The labels have shape ${showShape(target.shape)}, so they are read as class indices.`] : [],
        causes: [m[1] === 'Float' || m[1] === 'Double'
          ? 'Float labels usually come from a dataset that stores everything as float. If they hold whole numbers, use labels.long().'
          : 'Convert with labels.long().'],
        conflicts: {},
      };
    },
  },
  {
    id: 'weight-dtype',
    re: /^expected scalar type (Float|Double) but found (\w+)$/,
    build(m) {
      return {
        summary: `The class weights are ${DTYPE_WORD[m[2]] ?? m[2]} but must be ${DTYPE_WORD[m[1]]} like the logits.`,
        details: [], causes: ['Create the weights with a float dtype, or convert with weight.float().'], conflicts: {},
      };
    },
  },
  {
    id: 'weight-size',
    re: /weight tensor should be defined either for all (\d+) classes or no classes but got weight tensor of shape: \[([\d, ]*)\]$/,
    build(m, { input }) {
      const C = Number(m[1]);
      const got = parseList(m[2]);
      return {
        summary: `The class weights have shape [${got.join(', ')}]; they need exactly ${C} entries, one per class.`,
        details: [],
        causes: [got.length === 1 && got[0] > C
          ? `${got[0]} weights for ${C} classes: the weights were computed over a larger class list than the model scores.`
          : `Count the classes the model scores (${C}) and give one weight for each.`],
        conflicts: { logits: input ? [classAxis(input.shape)] : [] },
      };
    },
  },
  {
    id: 'view-non-contiguous',
    re: /^view size is not compatible with input tensor's size and stride/,
    build() {
      return {
        summary: 'view cannot reshape this tensor: after permute or transpose its memory is not in row order.',
        details: ['view never copies; reshape copies when it has to.'],
        causes: ['Use .reshape(...) or .contiguous().view(...).'], conflicts: {},
      };
    },
  },
  {
    id: 'prob-target-ignore-index',
    re: /^ignore_index is not supported for floating point target$/,
    build() {
      return {
        summary: 'The labels are probabilities (floats of the logits\' shape), and ignore_index only works with class indices.',
        details: [], causes: ['Remove ignore_index, or use class-index labels with -100 for the positions to skip.'],
        conflicts: {},
      };
    },
  },
  {
    id: 'label-smoothing-range',
    re: /^label_smoothing must be between 0\.0 and 1\.0\. Got: (.+)$/,
    build(m) {
      return { summary: `label_smoothing is ${m[1]}; it must be between 0.0 and 1.0.`, details: [],
        causes: ['Typical values are 0.0 to 0.2.'], conflicts: {} };
    },
  },
  {
    id: 'invalid-reduction',
    re: /^(.*) is not a valid value for reduction$/,
    build(m) {
      return { summary: `reduction='${m[1]}' is not one of 'mean', 'sum', 'none'.`, details: [], causes: [], conflicts: {} };
    },
  },
  {
    id: 'broadcast-mismatch',
    re: /^The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)$/,
    build(m) {
      const [a, b] = [Number(m[1]), Number(m[2])];
      const shared = sharedBatch(a, b);
      const causes = [];
      if (shared) causes.push(`${a} = ${shared.batch}×${shared.first} and ${b} = ${shared.batch}×${shared.second}: the same batch of ${shared.batch} with different sequence lengths.`);
      causes.push('The two tensors come from different batches or were reshaped differently.');
      return {
        summary: `Element-wise arithmetic needs equal sizes (or 1) in each dimension; dimension ${m[3]} is ${a} in one tensor and ${b} in the other.`,
        details: [], causes, conflicts: {},
      };
    },
  },
  {
    id: 'one-hot-input',
    re: /^(Class values must be smaller than num_classes\.|Class values must be non-negative\.|one_hot is only applicable to index tensor\.)$/,
    build(m) {
      const cause = /smaller/.test(m[1]) ? 'A label is at least num_classes: pass the number of classes of the logits, and check whether labels count from 1.'
        : /non-negative/.test(m[1]) ? 'Negative labels (such as -100 padding) cannot be one-hot encoded; mask them first.'
          : 'F.one_hot takes int64 class indices: use labels.long().';
      return { summary: `F.one_hot rejected its input: ${m[1]}`, details: [], causes: [cause], conflicts: {} };
    },
  },
  {
    id: 'permute-dims',
    re: /^permute\((?:sparse_coo)?\): (?:number of dimensions|duplicate dims)/,
    build() {
      return { summary: 'permute needs each dimension of the tensor exactly once.', details: [],
        causes: ['For a (B, T, C) tensor, permute(0, 2, 1) gives (B, C, T).'], conflicts: {} };
    },
  },
  {
    id: 'dim-out-of-range',
    re: /^Dimension out of range \(expected to be in range of \[(-?\d+), (-?\d+)\], but got (-?\d+)\)$/,
    build(m) {
      const n = Number(m[2]) + 1;
      return { summary: `The tensor has ${plural(n, 'dimension')} (0 to ${n - 1}), and dimension ${m[3]} was asked for.`,
        details: [], causes: ['A batch or sequence dimension the code expects is not there.'], conflicts: {} };
    },
  },
  {
    id: 'too-many-indices',
    re: /^too many indices for tensor of dimension (\d+)$/,
    build(m) {
      const n = Number(m[1]);
      return { summary: `The subscript names more dimensions than the tensor has (${n}).`, details: [],
        causes: [n === 0 ? 'The tensor is a single value (0-d): there is no batch dimension to slice.'
          : `The tensor has ${plural(n, 'dimension')}; check its shape with print(x.shape) before indexing.`],
        conflicts: {} };
    },
  },
  {
    id: 'index-out-of-bounds',
    re: /^index (-?\d+) is out of bounds for dimension (\d+) with size (\d+)$/,
    build(m) {
      return { summary: `Index ${m[1]} does not exist in dimension ${m[2]}, which has size ${m[3]}.`, details: [],
        causes: ['The tensor is smaller than the code assumes, often a last batch that is not full.'], conflicts: {} };
    },
  },
];

function errorExplanation(response, ctx) {
  const { type, message } = response.error;
  const msg = String(message ?? '');
  if (response.error.playground || (type === 'NotImplementedError' && /Logit Lab/.test(msg)) ||
      (type === 'MemoryError' && /Logit Lab/.test(msg))) {
    return { id: 'playground-limit', summary: msg, details: [], causes: [], conflicts: {} };
  }
  for (const h of HANDLERS) {
    const m = h.re.exec(msg);
    if (m) return { id: h.id, ...h.build(m, ctx) };
  }
  if (['NameError', 'AttributeError', 'TypeError', 'SyntaxError', 'IndentationError', 'ZeroDivisionError',
    'ModuleNotFoundError', 'ImportError', 'KeyError'].includes(type)) {
    return { id: 'python-error', summary: `${type}: ${msg.split('\n')[0]}`, details: [], causes: [], conflicts: {} };
  }
  return { id: 'other-error', summary: `${type}: ${msg.split('\n')[0]}`, details: [], causes: [], conflicts: {} };
}

// ---------------------------------------------------------------------------------------------
// Warnings: programs that run but are probably wrong.

// True when every bracket in text closes inside it (so "[:n]" is one subscript, not "[:a][b]").
function balanced(text) {
  let depth = 0;
  for (const c of text) {
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth < 0) return false;
  }
  return depth === 0;
}

// name -> shape of what each line assigned, from the trace (only for lines whose expression ends
// in a traced call: a subscript after the call is not traced).
function assignedShapes(code, trace) {
  const out = [];
  for (const { text, line } of logicalLines(code)) {
    const m = /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(text);
    if (!m || !m[2].trim().endsWith(')')) continue;
    const entries = trace.filter((t) => t.line === line && t.result && isShape(t.result.shape));
    if (entries.length) out.push({ name: m[1], line, expr: m[2], shape: entries[entries.length - 1].result.shape });
  }
  return out;
}

function warningExplanation(response, code) {
  if (typeof code !== 'string') return null;
  const trace = Array.isArray(response?.trace) ? response.trace : [];
  const vars = response?.variables ?? {};
  const lines = logicalLines(code);
  const assigned = assignedShapes(code, trace);
  const loss = lossOperands(response, code, null);

  // labels.reshape(k, n, ...)[0] that ran: keeps one block.
  for (const { text } of lines) {
    const m = /^([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\.(?:reshape|view)\(([\d\s,]+)\)\s*\[\s*0\s*\]$/.exec(text);
    if (!m) continue;
    const sizes = parseList(m[3]);
    if (sizes.length >= 2 && sizes[0] > 1) {
      return { id: 'silent-reshape-split', severity: 'warning',
        summary: `${m[1]} keeps block 0 of ${sizes[0]}: the first ${sizes[1]} of ${sizes[0] * sizes[1]} rows of ${m[2]}; ` +
          `the other ${(sizes[0] - 1) * sizes[1]} are dropped.`,
        details: ['The program runs, so PyTorch cannot warn you.'],
        causes: ['If the rows are sequences laid end to end, block boundaries cut across examples.'],
        dims: [], conflicts: {} };
    }
  }

  // Truncation: NAME = OTHER[:...] with fewer rows than OTHER had.
  for (const { text, line } of lines) {
    const m = /^([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*\[\s*:([\s\S]*)\]$/.exec(text);
    if (!m || !balanced(m[3])) continue;
    const [, name, source] = m;
    // The rows before the cut: what the source line assigned (the trace), else the variable.
    const before = assigned.filter((a) => a.name === source && a.line < line).pop()?.shape ?? vars[source]?.shape;
    const afterShape = vars[name]?.shape;
    if (isShape(before) && isShape(afterShape) && before.length > 0 && afterShape.length > 0 && afterShape[0] < before[0]) {
      return { id: 'silent-truncation', severity: 'warning',
        summary: `The program runs, but the truncation drops ${before[0] - afterShape[0]} of ${before[0]} label rows ` +
          `(line ${line}).`,
        details: [`${source} had ${before[0]} rows; ${name} keeps the first ${afterShape[0]}.`,
          'PyTorch cannot warn you: after the cut, every shape agrees.'],
        causes: batchCauses(afterShape[0], before[0], loss.input, { shape: before, dtype: null })
          .filter((c) => !/different batches/.test(c)),
        conflicts: { labels: [0] } };
    }
  }

  // Class indices converted to float and used as probability targets.
  if (loss.input && loss.target && loss.target.shape.join() === loss.input.shape.join() && /float/.test(loss.target.dtype ?? '')) {
    const fromInts = lines.some(({ text }) => /randint|\.long\(\)|torch\.int|dtype=torch\.long/.test(text)) &&
      lines.some(({ text }) => /\.float\(\)|\.to\(\s*torch\.float|\.double\(\)/.test(text)) &&
      !lines.some(({ text }) => /softmax|one_hot/.test(text));
    if (fromInts) {
      return { id: 'indices-as-probabilities', severity: 'warning',
        summary: 'The program runs, but the labels look like class indices converted to float. With the logits\' ' +
          'shape they are read as probabilities, so the loss has no meaning.',
        details: ['A probability row sums to 1; a row of class indices sums to far more.'],
        causes: ['The .float() was added to silence "Expected floating point type for target with class probabilities".'],
        conflicts: { labels: [1] } };
    }
  }

  // view/reshape to a permutation of the old shape: view where permute was meant.
  for (const { text, line } of lines) {
    if (!text.includes('.view(') && !text.includes('.reshape(')) continue;
    const m = /\b([A-Za-z_]\w*)\.(view|reshape)\(([^()]*)\)/.exec(text);
    if (!m) continue;
    const src = vars[m[1]]?.shape;
    const entry = trace.filter((t) => t.line === line && (t.op === m[2]) && t.result).pop();
    const whole = /^([A-Za-z_]\w*)\s*=\s*[A-Za-z_]\w*\.(?:view|reshape)\([^()]*\)$/.exec(text);
    const literal = /^[\d\s,]+$/.test(m[3]) ? parseList(m[3]) : null;
    const out = entry?.result?.shape ?? (whole ? vars[whole[1]]?.shape : null) ?? literal;
    if (!isShape(src) || !isShape(out) || src.length < 3 || out.length !== src.length) continue;
    const same = [...src].sort((a, b) => a - b).join() === [...out].sort((a, b) => a - b).join();
    if (same && src.join() !== out.join()) {
      return { id: 'view-not-permute', severity: 'warning',
        summary: `Line ${line}: ${m[2]} turns ${showShape(src)} into ${showShape(out)}, the same sizes in another order. ` +
          `${m[2]} keeps the memory order, so this scrambles the data; permute moves axes.`,
        details: ['The program runs because every shape agrees; the values are mixed across positions and classes.'],
        causes: [`To move the classes of (batch, sequence, classes) to dimension 1, use ${m[1]}.permute(0, 2, 1).`],
        conflicts: {} };
    }
  }

  // Broadcasting that produced a bigger tensor than both operands.
  for (const { text, line } of lines) {
    const m = /^([A-Za-z_]\w*)\s*=\s*\(?\s*([A-Za-z_]\w*)\s*([-+*/])\s*([A-Za-z_]\w*)\s*\)?$/.exec(text);
    if (!m) continue;
    const [a, b, r] = [vars[m[2]]?.shape, vars[m[4]]?.shape, vars[m[1]]?.shape];
    if (!isShape(a) || !isShape(b) || !isShape(r)) continue;
    if (product(r) > product(a) && product(r) > product(b)) {
      return { id: 'silent-broadcast', severity: 'warning',
        summary: `Line ${line}: ${m[2]} ${showShape(a)} ${m[3]} ${m[4]} ${showShape(b)} broadcasts to ${showShape(r)}: ` +
          'every element of one is combined with every element of the other.',
        details: ['No error is raised; the result is simply larger than intended.'],
        causes: ['Make both shapes equal first, e.g. pred.squeeze(1) or target.unsqueeze(1).'], conflicts: {} };
    }
  }

  const softmaxWarning = (Array.isArray(response?.warnings) ? response.warnings : [])
    .some((w) => typeof w === 'string' && w.startsWith('Implicit dimension choice for softmax'));
  if (softmaxWarning) {
    const line = lines.find(({ text }) => /softmax\s*\(/.test(text) && !/dim\s*=/.test(text));
    const m = line ? /([A-Za-z_]\w*)\s*\)?\s*$/.exec(line.text.replace(/\)\s*$/, '')) : null;
    const shape = m ? vars[m[1]]?.shape : null;
    const implicit = isShape(shape) ? ([0, 1, 3].includes(shape.length) ? 0 : 1) : null;
    return { id: 'implicit-softmax-dim', severity: 'warning',
      summary: `softmax was called without dim=${line ? ` on line ${line.line}` : ''}; PyTorch picked ` +
        `${implicit === null ? 'an axis by the number of dimensions' : `dimension ${implicit} of ${showShape(shape)}`}` +
        `${implicit === 0 && shape.length === 3 ? ', the batch: the probabilities sum to 1 across examples, not classes' : ''}.`,
      details: ['PyTorch warns: Implicit dimension choice for softmax has been deprecated.'],
      causes: ['Pass dim= explicitly: dim=-1 when the classes are last.'], conflicts: {} };
  }

  if (/\bnan\b/.test(String(response?.stdout ?? ''))) {
    return { id: 'nan-loss', severity: 'warning', summary: 'The loss printed as nan.',
      details: ['With reduction=\'mean\', if every label equals ignore_index the mean divides 0 by 0.'],
      causes: ['Check that the batch has at least one real (non-padding) label.'], conflicts: {} };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

export function explain(response, { code, scenario } = {}) {
  if (!response || typeof response !== 'object') return null;
  const line = Number.isInteger(response.error?.line) ? response.error.line : null;
  const operands = lossOperands(response, code, line);
  // "target with class probabilities" means the target has the input's shape, even when the
  // target was an expression we could not read.
  const probTarget = /target with class probabilities, got (\w+)$/.exec(String(response.error?.message ?? ''));
  if (!operands.target && operands.input && probTarget) {
    operands.target = { shape: [...operands.input.shape], dtype: DTYPE_WORD[probTarget[1]] ?? probTarget[1] };
  }
  let found;
  let severity;
  if (response.error && typeof response.error === 'object') {
    found = errorExplanation(response, { ...operands, code, scenario, variables: response.variables ?? {} });
    severity = 'error';
  } else {
    found = warningExplanation(response, code);
    severity = 'warning';
    if (!found) return null;
  }
  const entry = catalogEntry(found.id) ?? catalogEntry('other-error');
  return {
    id: found.id,
    severity,
    title: entry.title,
    summary: found.summary,
    details: found.details ?? [],
    causes: found.causes ?? [],
    dims: found.dims?.length ? found.dims : dimsOf(operands.input, operands.target, found.conflicts ?? {}),
    fixIds: [...entry.works],
    avoidFixIds: [...entry.doesNotWork],
    meaning: entry.meaning,
    why: entry.why,
    line: response.error?.line ?? null,
  };
}

export const explanationIds = () => CATALOG.map((e) => e.id);
