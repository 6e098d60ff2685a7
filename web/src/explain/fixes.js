// The fix gallery: each fix rewrites the learner's program, the page runs the result in the core,
// and judge() turns the response into a verdict: works / raises / silent (runs, but wrong).
// Two of the fixes are the ones that circulate for the 384/864 error and fail in real PyTorch;
// the gallery keeps them so the learner sees why.

import { DEFAULT_SCENARIO, classAxis, classCount, codeToScenario, validateScenario } from '../model/scenario.js';
import { explain } from './explain.js';
import { batchAndSequence, showShape } from './numbers.js';

const IMPORTS = ['import torch', 'import torch.nn.functional as F', ''];

// The scenario a fix starts from: the code's when it has the generated form, else the one given.
function scenarioOf({ code, scenario } = {}) {
  return (typeof code === 'string' && codeToScenario(code)) || validateScenario(scenario ?? DEFAULT_SCENARIO).scenario;
}

const sizeArgs = (shape) => (shape.length === 0 ? '()' : shape.join(', '));
const sizeTuple = (shape) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

// The original labels line, as scenarioToCode writes it (comment dropped).
function labelsExpr(s) {
  const C = s.numClasses;
  if (s.labelKind === 'onehot') return `F.one_hot(torch.randint(0, ${C}, ${sizeTuple(s.labelsShape.slice(0, -1))}), num_classes=${C}).float()`;
  if (s.labelKind === 'probs') return `torch.softmax(torch.randn(${sizeArgs(s.labelsShape)}), dim=${classAxis(s.labelsShape)})`;
  return `torch.randint(0, ${C}, ${sizeTuple(s.labelsShape)})`;
}

// The keyword arguments of the learner's call, minus the ones a fix has to change.
function options(s, { dropIgnoreIndex = false, ignoreIndex } = {}) {
  const out = [];
  if (s.weights) out.push('weight=weight');
  const ii = ignoreIndex !== undefined ? ignoreIndex : dropIgnoreIndex ? null : s.ignoreIndex;
  if (ii !== null) out.push(`ignore_index=${ii}`);
  if (s.reduction !== 'mean') out.push(`reduction='${s.reduction}'`);
  if (s.labelSmoothing !== 0) out.push(`label_smoothing=${Number.isInteger(s.labelSmoothing) ? `${s.labelSmoothing}.0` : s.labelSmoothing}`);
  return out;
}

function weightLines(s) {
  return s.weights ? [`weight = torch.rand(${s.numClasses})`] : [];
}

function program(body, s, input, target, opts) {
  return [...IMPORTS, ...body, ...weightLines(s), '',
    `loss = F.cross_entropy(${[input, target, ...opts].join(', ')})`, 'print(loss)', ''].join('\n');
}

// The learner's logits and labels lines, kept as they are.
function originalLines(s) {
  return [`logits = torch.randn(${sizeArgs(s.logitsShape)})`, `labels = ${labelsExpr(s)}`];
}

// (B, T, C) numbers for the fixes that show a sequence model's output.
function sequenceNumbers(s) {
  const C = classCount(s.logitsShape);
  if (s.logitsShape.length === 3) {
    // (batch, sequence, classes) passed as is: the usual layout of a sequence model's output
    return { B: s.logitsShape[0], T: s.logitsShape[1], C: s.logitsShape[2], Tlabels: null };
  }
  const rows = s.logitsShape.length >= 2 ? s.logitsShape[0] : 1;
  const labelRows = s.labelsShape.length > 0 ? s.labelsShape[0] : 1;
  const { batch, seq, otherSeq } = batchAndSequence(rows, labelRows);
  return { B: batch, T: seq, C, Tlabels: otherSeq };
}

// A program over one batch of sequences with the scenario's batch, length and classes: a line
// naming the sizes, then `lines`; the loss reads `input` and `target`.
const SEQUENCE_LOGITS = 'logits = torch.randn(batch_size, seq_len, classes)';
const SEQUENCE_LABELS = 'labels = torch.randint(0, classes, (batch_size, seq_len))';
function sequenceProgram(ctx, lines, input, target) {
  const s = scenarioOf(ctx);
  const { B, T, C } = sequenceNumbers(s);
  const withClasses = { ...s, numClasses: C };
  return program([`batch_size, seq_len, classes = ${B}, ${T}, ${C}`, ...lines], withClasses, input, target,
    options(withClasses));
}

const batchOf = (shape) => (shape.length >= 2 ? shape[0] : 1);

export const FIXES = [
  {
    id: 'truncate',
    title: 'Cut the labels down to the logits\' batch size',
    summary: 'Keep only the first rows of the labels, as many as there are logits rows (labels[:logits.shape[0], :]). ' +
      'A common suggestion: it hides the mismatch instead of fixing where it comes from.',
    fromArticle: true,
    apply(ctx) {
      const s = scenarioOf(ctx);
      const cut = s.labelsShape.length === 2 ? 'labels[:logits.shape[0], :]' : 'labels[:logits.shape[0]]';
      return program([...originalLines(s), '# keep only as many label rows as there are logits rows', `labels_cut = ${cut}`],
        s, 'logits', 'labels_cut', options(s));
    },
  },
  {
    id: 'reshape-split',
    title: 'Reshape the labels into blocks and take the first',
    summary: 'Reshape the labels to (k, batch, ...) and keep block 0, e.g. labels.reshape(2, 384, 2971)[0]. ' +
      'Only possible when the label rows are an exact multiple of the logits rows.',
    fromArticle: true,
    apply(ctx) {
      const s = scenarioOf(ctx);
      const n = batchOf(s.logitsShape);
      const m = s.labelsShape.length > 0 ? s.labelsShape[0] : 1;
      const k = Math.max(1, Math.round(m / Math.max(1, n)));
      const shape = [k, n, ...s.labelsShape.slice(1)];
      return program([...originalLines(s), `# view the labels as ${k} blocks of ${n} rows and keep the first block`,
        `labels_first = labels.reshape(${shape.join(', ')})[0]`], s, 'logits', 'labels_first', options(s));
    },
  },
  {
    id: 'cast-to-float',
    title: 'Turn the integer labels into floats',
    summary: 'labels.float() silences "Expected floating point type for target with class probabilities", ' +
      'but PyTorch then reads the class indices as probabilities.',
    apply(ctx) {
      const s = scenarioOf(ctx);
      const n = batchOf(s.logitsShape);
      const like = s.logitsShape.length >= 2 ? [n, ...s.logitsShape.slice(1)] : [...s.logitsShape];
      return program([`logits = torch.randn(${sizeArgs(s.logitsShape)})`,
        `labels = torch.randint(0, ${s.numClasses}, ${sizeTuple(like)})`,
        '# make the dtype error go away', 'labels_float = labels.float()'], s, 'logits', 'labels_float', options(s, { dropIgnoreIndex: true }));
    },
  },
  {
    id: 'class-indices',
    title: 'One class index per prediction, from the same batch',
    summary: 'The usual target: a tensor of shape [N] (or [N, d1, ...]) holding the index of the right class for ' +
      'each row of the logits, taken from the same examples as the logits.',
    apply(ctx) {
      const s = scenarioOf(ctx);
      const C = classCount(s.logitsShape);
      const shape = s.logitsShape.length >= 2 ? [s.logitsShape[0], ...s.logitsShape.slice(2)] : [];
      const labels = shape.length === 0 ? `torch.randint(0, ${C}, ())` : `torch.randint(0, ${C}, ${sizeTuple(shape)})`;
      return program([`logits = torch.randn(${sizeArgs(s.logitsShape)})`,
        `# one class index per row of the logits: shape ${showShape(shape)}, values 0 to ${C - 1}`, `labels = ${labels}`],
      { ...s, numClasses: C }, 'logits', 'labels', options({ ...s, numClasses: C }));
    },
  },
  {
    id: 'probabilities',
    title: 'Probability targets of the logits\' shape',
    summary: 'Give a probability for every class (floats that sum to 1 along the class axis), in a tensor of ' +
      'exactly the logits\' shape. Useful for soft labels; ignore_index does not apply to them.',
    apply(ctx) {
      const s = scenarioOf(ctx);
      const C = classCount(s.logitsShape);
      const shape = s.logitsShape;
      const s2 = { ...s, numClasses: C };
      return program([`logits = torch.randn(${sizeArgs(shape)})`,
        `# a probability for each class, same shape as the logits, summing to 1 along dim ${classAxis(shape)}`,
        `labels = torch.softmax(torch.randn(${sizeArgs(shape)}), dim=${classAxis(shape)})`],
      s2, 'logits', 'labels', options(s2, { dropIgnoreIndex: true }));
    },
  },
  {
    id: 'argmax-onehot',
    title: 'Turn one-hot labels into class indices with argmax',
    summary: 'For one-hot labels (1.0 at the right class), labels.argmax(dim=-1) gives the class index of each row. ' +
      'It changes the kind of labels, not how many rows there are.',
    apply(ctx) {
      const s = scenarioOf(ctx);
      return program([...originalLines(s), '# the position of the 1 in each one-hot row is the class index',
        'labels_idx = labels.argmax(dim=-1)'], s, 'logits', 'labels_idx', options(s));
    },
  },
  {
    id: 'same-batch',
    title: 'Take logits and labels from the same loader batch',
    summary: 'Logits and labels must describe the same examples: get both from one batch of the loader, and ' +
      'flatten them the same way (here a batch of sequences, one label per token).',
    apply(ctx) {
      return sequenceProgram(ctx, ['# the model\'s output for one batch, one row per token',
        'logits = torch.randn(batch_size * seq_len, classes)',
        '# the labels of the SAME batch: one class index per token',
        SEQUENCE_LABELS], 'logits', 'labels.reshape(-1)');
    },
  },
  {
    id: 'flatten',
    title: 'Flatten (batch, sequence, classes) to (batch×sequence, classes)',
    summary: 'A sequence model returns (B, T, C); cross_entropy wants classes in dimension 1. Flatten the logits to ' +
      '(B*T, C) and the labels to (B*T,), so token i of the logits meets token i of the labels.',
    apply(ctx) {
      return sequenceProgram(ctx, ['# (batch, sequence, classes), as a sequence model returns it',
        SEQUENCE_LOGITS, SEQUENCE_LABELS], 'logits.reshape(-1, classes)', 'labels.reshape(-1)');
    },
  },
  {
    id: 'permute',
    title: 'Move the classes to dimension 1 with permute',
    summary: 'For (B, T, C) logits, logits.permute(0, 2, 1) gives (B, C, T), the layout cross_entropy expects for ' +
      'K-dimensional inputs; the labels stay (B, T).',
    apply(ctx) {
      return sequenceProgram(ctx, ['# (batch, sequence, classes), as a sequence model returns it',
        SEQUENCE_LOGITS, SEQUENCE_LABELS], 'logits.permute(0, 2, 1)', 'labels');
    },
  },
  {
    id: 'view-not-permute',
    title: 'Use view to get (batch, classes, sequence)',
    summary: 'logits.view(B, C, T) has the right shape but does not move any data: it regroups the numbers in ' +
      'memory order, so classes and positions get mixed. permute is the one that swaps axes.',
    apply(ctx) {
      return sequenceProgram(ctx, [SEQUENCE_LOGITS, SEQUENCE_LABELS], 'logits.view(batch_size, classes, seq_len)', 'labels');
    },
  },
  {
    id: 'pad-ignore-index',
    title: 'Pad sequences to one length and ignore the padding (-100)',
    summary: 'When sequences have different lengths, pad them to a common length and mark padded label positions ' +
      'with -100, the default ignore_index: those positions add nothing to the loss.',
    apply(ctx) {
      const s = scenarioOf(ctx);
      const { B, T, C, Tlabels } = sequenceNumbers(s);
      const long = Math.max(T, Tlabels ?? T + 1);
      const short = Math.min(T, Tlabels ?? T);
      const s2 = { ...s, numClasses: C };
      const body = [`batch_size, seq_len, classes = ${B}, ${long}, ${C}`,
        '# the model ran over sequences padded to seq_len tokens',
        'logits = torch.randn(batch_size * seq_len, classes)',
        `# ${short} real tokens per sequence, then padding marked with -100`,
        `real = torch.randint(0, classes, (batch_size, ${short}))`,
        `padding = torch.full((batch_size, seq_len - ${short}), -100)`,
        'labels = torch.cat([real, padding], dim=1)'];
      return program(body, s2, 'logits', 'labels.reshape(-1)', options(s2, { ignoreIndex: -100 }));
    },
  },
];

export const fixById = (id) => FIXES.find((f) => f.id === id) ?? null;

// The program a fix produces for a scenario (for reading the response against its code).
function codeFor(fix, scenario) {
  const f = typeof fix === 'string' ? fixById(fix) : fix;
  if (!f || typeof f.apply !== 'function' || !scenario) return undefined;
  try {
    return f.apply({ scenario });
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// judge: what running a fix's program says.

const shapeOf = (response, name) => {
  const v = response?.variables?.[name];
  return v && Array.isArray(v.shape) ? v.shape : null;
};

function firstLine(text) {
  const line = String(text ?? '').split('\n').find((l) => l.trim() !== '');
  return line ?? '';
}

// Why a fix that runs is still wrong, from the shapes the program ended with; null when it is fine.
function silentProblem(fix, response) {
  const id = typeof fix === 'string' ? fix : fix?.id;
  if (id === 'truncate') {
    const before = shapeOf(response, 'labels');
    const after = shapeOf(response, 'labels_cut');
    if (before && after && before.length > 0 && after.length > 0 && after[0] < before[0]) {
      return `the truncation drops ${before[0] - after[0]} of ${before[0]} label rows: those examples never ` +
        `reach the loss, and the ${after[0]} rows kept only match the logits if they happen to be the same examples.`;
    }
  }
  if (id === 'reshape-split') {
    const before = shapeOf(response, 'labels');
    const after = shapeOf(response, 'labels_first');
    if (before && after && before.length > 0 && after.length > 0 && after[0] < before[0]) {
      return `it keeps only the first ${after[0]} of ${before[0]} label rows (block 0 of the reshape) and ` +
        `drops ${before[0] - after[0]}; if the rows were sequences flattened one after another, blocks cut across ` +
        'examples, so logits meet labels of other examples.';
    }
  }
  if (id === 'cast-to-float') {
    return 'the labels are class indices read as probabilities: a row such as [3, 0, 7, …] becomes ' +
      'weights on every class, which sum to far more than 1. The loss is a number with no meaning.';
  }
  if (id === 'view-not-permute') {
    const logits = shapeOf(response, 'logits');
    const dims = logits && logits.length === 3 ? ` (${logits[0]}, ${logits[2]}, ${logits[1]})` : '';
    return `view only regroups the numbers in memory order: the tensor has the shape${dims} PyTorch ` +
      'expects, yet each "class" row now holds scores of several positions. The loss is computed on scrambled logits.';
  }
  return null;
}

function lossText(response) {
  const out = firstLine(response?.stdout);
  return out ? `Runs and prints ${out}` : 'Runs without an error';
}

// verdict and message, plus (when the program raised) why: the error card's summary and its most
// likely cause, e.g. why the article's truncation and reshape fail in PyTorch.
export function judge(fix, response, { scenario, code } = {}) {
  if (!response || typeof response !== 'object') return { verdict: 'raises', message: 'No response from the core.' };
  if (response.error) {
    const { type, message } = response.error;
    const card = explain(response, { scenario, code: code ?? codeFor(fix, scenario) });
    const why = card ? [card.summary, card.causes[0]].filter(Boolean).join(' ') : '';
    return { verdict: 'raises', message: `${type}: ${message}`, errorType: type, errorMessage: message, why,
      explanationId: card ? card.id : null };
  }
  const problem = silentProblem(fix, response);
  if (problem) return { verdict: 'silent', message: `${lossText(response)}, but ${problem}` };
  if (/\bnan\b/.test(String(response.stdout ?? ''))) {
    return { verdict: 'silent', message: `${lossText(response)}, but the loss is nan: every target was ignored, or a value overflowed.` };
  }
  return { verdict: 'works', message: `${lossText(response)}.` };
}
