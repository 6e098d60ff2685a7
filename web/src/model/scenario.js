// The learner's scenario: the shapes and options of one cross-entropy call, the program the
// editor shows for it, and the way back from (edited) code to a scenario when the code still has
// the generated form. The code is the single source of truth; the scenario is what the controls
// can express. Pure functions, no DOM.

export const LABEL_KINDS = ['indices', 'indices-like-logits', 'onehot', 'probs'];
export const REDUCTIONS = ['mean', 'sum', 'none'];

// Limits for controls and for parsed code. The core checks shapes without allocating, so large
// shapes are fine; these keep the numbers printable and the program readable.
export const MAX_RANK = 6;
export const MAX_DIM = 1_000_000;

// The article's situation: 384 rows of logits over 2971 classes, and 864 rows of integer labels
// shaped like the logits.
export const DEFAULT_SCENARIO = Object.freeze({
  logitsShape: Object.freeze([384, 2971]),
  labelsShape: Object.freeze([864, 2971]),
  labelKind: 'indices-like-logits',
  numClasses: 2971,
  reduction: 'mean',
  ignoreIndex: null,
  labelSmoothing: 0,
  weights: false,
});

// The class axis of cross_entropy's input: 0 for a single example (1-D), else 1.
export const classAxis = (shape) => (shape.length <= 1 ? 0 : 1);
export const classCount = (logitsShape) => logitsShape[classAxis(logitsShape)];

// ---------------------------------------------------------------------------------------------
// validateScenario: anything in, a usable scenario out, with a sentence per thing it changed.

const isInt = (v) => typeof v === 'number' && Number.isInteger(v);

function cleanShape(value, name, problems, fallback, minRank) {
  if (!Array.isArray(value)) {
    problems.push(`${name} is not a list of sizes; using [${fallback.join(', ')}]`);
    return [...fallback];
  }
  let shape = value;
  if (shape.length > MAX_RANK) {
    problems.push(`${name} has ${shape.length} dimensions; keeping the first ${MAX_RANK}`);
    shape = shape.slice(0, MAX_RANK);
  }
  const out = shape.map((d, i) => {
    const n = typeof d === 'string' && /^\s*\d+\s*$/.test(d) ? Number(d) : d;
    if (!isInt(n) || n < 0) {
      problems.push(`${name}[${i}] is not a whole number of 0 or more; using 1`);
      return 1;
    }
    if (n > MAX_DIM) {
      problems.push(`${name}[${i}] is larger than ${MAX_DIM}; using ${MAX_DIM}`);
      return MAX_DIM;
    }
    return n;
  });
  if (out.length < minRank) {
    problems.push(`${name} needs at least ${minRank} dimension${minRank === 1 ? '' : 's'}; using [${fallback.join(', ')}]`);
    return [...fallback];
  }
  return out;
}

export function validateScenario(obj) {
  const problems = [];
  const d = DEFAULT_SCENARIO;
  const src = obj && typeof obj === 'object' && !Array.isArray(obj) ? obj : {};
  if (src !== obj) problems.push('the scenario is not an object; using the default');

  const logitsShape = cleanShape(src.logitsShape ?? d.logitsShape, 'logitsShape', problems, d.logitsShape, 1);
  let labelKind = src.labelKind ?? d.labelKind;
  if (!LABEL_KINDS.includes(labelKind)) {
    problems.push(`labelKind must be one of ${LABEL_KINDS.join(', ')}; using ${d.labelKind}`);
    labelKind = d.labelKind;
  }
  let labelsShape = cleanShape(src.labelsShape ?? d.labelsShape, 'labelsShape', problems, d.labelsShape,
    labelKind === 'onehot' ? 1 : 0);

  let numClasses = src.numClasses ?? classCount(logitsShape);
  if (!isInt(numClasses) || numClasses < 1 || numClasses > MAX_DIM) {
    const fallback = Math.max(1, classCount(logitsShape));
    problems.push(`numClasses must be a whole number from 1 to ${MAX_DIM}; using ${fallback}`);
    numClasses = fallback;
  }

  // Integer labels: the kind follows the rank (same rank as the logits = the article's form).
  if (labelKind === 'indices' || labelKind === 'indices-like-logits') {
    const kind = labelsShape.length === logitsShape.length ? 'indices-like-logits' : 'indices';
    if (kind !== labelKind) {
      problems.push(`labels of ${labelsShape.length} dimension(s) with logits of ${logitsShape.length} are ` +
        `${kind === 'indices' ? 'class indices' : 'class indices shaped like the logits'}; labelKind set to ${kind}`);
      labelKind = kind;
    }
  }
  if (labelKind === 'onehot' && labelsShape[labelsShape.length - 1] !== numClasses) {
    problems.push(`one-hot labels have numClasses (${numClasses}) entries in their last dimension; labelsShape adjusted`);
    labelsShape = [...labelsShape.slice(0, -1), numClasses];
  }

  let reduction = src.reduction ?? d.reduction;
  if (!REDUCTIONS.includes(reduction)) {
    problems.push(`reduction must be one of ${REDUCTIONS.join(', ')}; using mean`);
    reduction = 'mean';
  }
  let ignoreIndex = src.ignoreIndex ?? null;
  if (ignoreIndex !== null && (!isInt(ignoreIndex) || Math.abs(ignoreIndex) > MAX_DIM)) {
    problems.push('ignoreIndex must be a whole number or null; ignoring it');
    ignoreIndex = null;
  }
  let labelSmoothing = src.labelSmoothing ?? 0;
  if (typeof labelSmoothing !== 'number' || !Number.isFinite(labelSmoothing) || Math.abs(labelSmoothing) > 10) {
    problems.push('labelSmoothing must be a number (PyTorch accepts 0.0 to 1.0); using 0');
    labelSmoothing = 0;
  }
  let weights = src.weights ?? false;
  if (typeof weights !== 'boolean') {
    problems.push('weights must be true or false; using false');
    weights = false;
  }
  return {
    scenario: { logitsShape, labelsShape, labelKind, numClasses, reduction, ignoreIndex, labelSmoothing, weights },
    problems,
  };
}

// Helpers for controls that change one thing and keep the rest consistent.

// Switch the kind of labels, reshaping them the way that kind is usually shaped for these logits
// while keeping the labels' own batch size (so a batch mismatch stays visible).
export function setLabelKind(scenario, kind) {
  const s = validateScenario(scenario).scenario;
  const batch = s.labelsShape.length > 0 ? s.labelsShape[0] : 1;
  const positions = s.logitsShape.slice(2); // K-dimensional inputs: (N, C, d1, ...)
  let labelsShape;
  if (kind === 'indices') labelsShape = s.logitsShape.length === 1 ? [] : [batch, ...positions];
  else if (kind === 'indices-like-logits') labelsShape = s.logitsShape.length === 1 ? [batch] : [batch, ...s.logitsShape.slice(1)];
  else if (kind === 'onehot') labelsShape = s.logitsShape.length === 1 ? [s.numClasses] : [batch, ...positions, s.numClasses];
  else if (kind === 'probs') labelsShape = s.logitsShape.length === 1 ? [...s.logitsShape] : [batch, ...s.logitsShape.slice(1)];
  else return s;
  return validateScenario({ ...s, labelKind: kind, labelsShape }).scenario;
}

// Change the number of classes everywhere it appears: the logits' class axis, the labels' class
// axis (one-hot, probabilities, indices shaped like the logits) and the range of class indices.
export function setClasses(scenario, classes) {
  const s = validateScenario(scenario).scenario;
  const logitsShape = [...s.logitsShape];
  logitsShape[classAxis(logitsShape)] = classes;
  const labelsShape = [...s.labelsShape];
  if (s.labelKind === 'onehot') labelsShape[labelsShape.length - 1] = classes;
  else if ((s.labelKind === 'probs' || s.labelKind === 'indices-like-logits') && labelsShape.length > classAxis(labelsShape)) {
    labelsShape[classAxis(labelsShape)] = classes;
  }
  return validateScenario({ ...s, logitsShape, labelsShape, numClasses: classes }).scenario;
}

// ---------------------------------------------------------------------------------------------
// scenarioToCode: the program in the editor.

const sizeTuple = (shape) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);
// torch.randn(2, 3) reads best with the sizes as arguments; a 0-d shape needs the empty tuple.
const sizeArgs = (shape) => (shape.length === 0 ? '()' : shape.join(', '));
const times = (shape) => (shape.length === 0 ? 'a single value' : shape.join(' x '));

function logitsComment(shape) {
  if (shape.length === 1) return `# the model's scores for one example: one score per class (${shape[0]})`;
  if (shape.length === 2) return `# the model's scores: one row of ${shape[1]} class scores for each of ${shape[0]} examples`;
  return `# the model's scores: (batch ${shape[0]}, classes ${shape[1]}, then ${shape.slice(2).join(' x ')} positions)`;
}

function labelsLine(s) {
  const C = s.numClasses;
  switch (s.labelKind) {
    case 'indices':
      return [`# the right answer for each example: a class index from 0 to ${C - 1} (${times(s.labelsShape)})`,
        `labels = torch.randint(0, ${C}, ${sizeTuple(s.labelsShape)})`];
    case 'indices-like-logits':
      return ['# class indices again, but in a tensor shaped like the logits',
        `labels = torch.randint(0, ${C}, ${sizeTuple(s.labelsShape)})`];
    case 'onehot':
      return ['# one-hot labels: 1.0 at the right class, 0.0 everywhere else',
        `labels = F.one_hot(torch.randint(0, ${C}, ${sizeTuple(s.labelsShape.slice(0, -1))}), num_classes=${C}).float()`];
    case 'probs':
    default:
      return ['# a probability for every class, summing to 1 along the class axis',
        `labels = torch.softmax(torch.randn(${sizeArgs(s.labelsShape)}), dim=${classAxis(s.labelsShape)})`];
  }
}

function formatFloat(x) {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

export function scenarioToCode(scenario) {
  const s = validateScenario(scenario).scenario;
  const lines = [
    'import torch',
    'import torch.nn.functional as F',
    '',
    logitsComment(s.logitsShape),
    `logits = torch.randn(${sizeArgs(s.logitsShape)})`,
    ...labelsLine(s),
  ];
  const options = [];
  if (s.weights) {
    lines.push(`# a weight for each of the ${s.numClasses} classes`, `weight = torch.rand(${s.numClasses})`);
    options.push('weight=weight');
  }
  if (s.ignoreIndex !== null) options.push(`ignore_index=${s.ignoreIndex}`);
  if (s.reduction !== 'mean') options.push(`reduction='${s.reduction}'`);
  if (s.labelSmoothing !== 0) options.push(`label_smoothing=${formatFloat(s.labelSmoothing)}`);
  lines.push('', `loss = F.cross_entropy(${['logits', 'labels', ...options].join(', ')})`, 'print(loss)', '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// codeToScenario: read a program of the generated form back (whitespace, comments, quotes,
// tuple/list spellings, keyword order and line breaks inside brackets may differ). Anything the
// scenario cannot express gives null.

// Logical lines without comments: brackets may span lines; '#' inside strings is kept.
export function logicalLines(code) {
  const out = [];
  let current = '';
  let depth = 0;
  let quote = null;
  let startLine = 1;
  let line = 1;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (quote) {
      current += c;
      if (c === '\\' && i + 1 < code.length) current += code[++i];
      else if (c === quote) quote = null;
      else if (c === '\n') { quote = null; line++; } // unterminated string: stop at the line end
      continue;
    }
    if (c === '#') {
      while (i + 1 < code.length && code[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    if (c === '\n') {
      line++;
      if (depth > 0) { current += ' '; continue; }
      if (current.trim()) out.push({ text: current.trim(), line: startLine, indented: /^\s/.test(current) });
      current = '';
      startLine = line;
      continue;
    }
    if (c === '\r') continue;
    current += c;
  }
  if (current.trim()) out.push({ text: current.trim(), line: startLine, indented: /^\s/.test(current) });
  return out;
}

const INT = String.raw`-?\d+`;
const NAME = String.raw`[A-Za-z_]\w*`;

// "2, 3" | "(2, 3)" | "[2, 3]" | "(2,)" | "()" -> [2, 3]; null when not a list of ints.
function parseSizes(text) {
  let t = text.trim();
  if (/^size\s*=/.test(t)) t = t.replace(/^size\s*=\s*/, '');
  const bracketed = /^[([]([\s\S]*)[)\]]$/.exec(t);
  if (bracketed) t = bracketed[1];
  t = t.trim().replace(/,\s*$/, '');
  if (t === '') return bracketed ? [] : null;
  const parts = t.split(',').map((p) => p.trim());
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  return parts.map(Number);
}

// Split "a, (b, c), d=1" at top-level commas.
function splitArgs(text) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let cur = '';
  for (const c of text) {
    if (quote) {
      cur += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

// "f(args)" where the parentheses close at the end of text -> the inside; null otherwise.
function callArgs(text, prefixRe) {
  const m = prefixRe.exec(text);
  if (!m || m.index !== 0) return null;
  const open = m[0].length - 1;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) {
      return { inside: text.slice(open + 1, i), rest: text.slice(i + 1).trim() };
    }
  }
  return null;
}

function parseKeywords(parts) {
  const positional = [];
  const keywords = {};
  for (const p of parts) {
    const m = new RegExp(`^(${NAME})\\s*=\\s*([\\s\\S]+)$`).exec(p);
    if (m && !p.startsWith('(')) keywords[m[1]] = m[2].trim();
    else positional.push(p);
  }
  return { positional, keywords };
}

const LONG_DTYPE = /^torch\.(long|int64)$/;

// torch.randint(low?, high, size[, dtype=torch.long]) -> { high, shape }
function parseRandint(text) {
  const call = callArgs(text, /torch\.randint\s*\(/y);
  if (!call || call.rest !== '') return null;
  const { positional, keywords } = parseKeywords(splitArgs(call.inside));
  for (const [k, v] of Object.entries(keywords)) {
    if (k === 'dtype' && LONG_DTYPE.test(v)) continue;
    if (k === 'size' && positional.length < 3) { positional.push(v); continue; }
    return null;
  }
  let low = '0';
  let high;
  let size;
  if (positional.length === 3) [low, high, size] = positional;
  else if (positional.length === 2) [high, size] = positional;
  else return null;
  if (!/^0$/.test(low.trim()) || !/^\d+$/.test(high.trim())) return null;
  const shape = parseSizes(size);
  if (!shape || !/^[([]/.test(size.trim().replace(/^size\s*=\s*/, ''))) return null;
  return { high: Number(high), shape };
}

// torch.randn(sizes...) -> shape
function parseRandn(text, fn = 'randn') {
  const call = callArgs(text, new RegExp(`torch\\.${fn}\\s*\\(`, 'y'));
  if (!call || call.rest !== '') return null;
  return parseSizes(call.inside);
}

function parseLabels(expr) {
  const randint = parseRandint(expr);
  if (randint) return { kind: 'int', shape: randint.shape, classes: randint.high };

  // F.one_hot(torch.randint(...), num_classes=C).float()  (or .to(torch.float32) / .to(torch.float))
  const oneHot = callArgs(expr, /(?:F|torch\.nn\.functional)\.one_hot\s*\(/y);
  if (oneHot && /^\.(float\(\)|to\(\s*(dtype\s*=\s*)?torch\.(float|float32)\s*\))$/.test(oneHot.rest.replace(/\s+/g, ''))) {
    const parts = splitArgs(oneHot.inside);
    if (parts.length !== 2) return null;
    const inner = parseRandint(parts[0]);
    const nc = /^(?:num_classes\s*=\s*)?(\d+)$/.exec(parts[1]);
    if (!inner || !nc || inner.high !== Number(nc[1])) return null;
    return { kind: 'onehot', shape: [...inner.shape, Number(nc[1])], classes: Number(nc[1]) };
  }

  // torch.softmax(torch.randn(...), dim=D) | F.softmax(...) | torch.randn(...).softmax(dim=D)
  let randnText = null;
  let dimText = null;
  const softmax = callArgs(expr, /(?:torch|F|torch\.nn\.functional)\.softmax\s*\(/y);
  if (softmax && softmax.rest === '') {
    const parts = splitArgs(softmax.inside);
    if (parts.length !== 2) return null;
    randnText = parts[0];
    dimText = parts[1];
  } else {
    const m = /^(torch\.randn\s*\([^()]*(?:\([^()]*\)[^()]*)*\))\s*\.softmax\s*\(([^()]*)\)$/.exec(expr);
    if (m) [, randnText, dimText] = m;
  }
  if (randnText !== null) {
    const shape = parseRandn(randnText);
    const dim = /^(?:dim\s*=\s*)?(-?\d+)$/.exec(dimText.trim());
    if (!shape || !dim) return null;
    const axis = Number(dim[1]);
    const wanted = classAxis(shape);
    if (axis !== wanted && axis !== wanted - shape.length) return null;
    return { kind: 'probs', shape };
  }
  return null;
}

function parseOptions(keywords, weightName) {
  const opts = { reduction: 'mean', ignoreIndex: null, labelSmoothing: 0, weights: false };
  for (const [k, v] of Object.entries(keywords)) {
    if (k === 'reduction') {
      const m = /^(['"])(mean|sum|none)\1$/.exec(v);
      if (!m) return null;
      opts.reduction = m[2];
    } else if (k === 'ignore_index') {
      if (!new RegExp(`^${INT}$`).test(v)) return null;
      opts.ignoreIndex = Number(v);
    } else if (k === 'label_smoothing') {
      if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(v)) return null;
      opts.labelSmoothing = Number(v);
    } else if (k === 'weight') {
      if (v !== weightName) return null;
      opts.weights = true;
    } else return null;
  }
  return opts;
}

const IMPORT_LINES = [
  /^import\s+torch$/,
  /^import\s+torch\.nn\.functional\s+as\s+F$/,
  /^import\s+torch\.nn\s+as\s+nn$/,
  /^from\s+torch\.nn\s+import\s+functional\s+as\s+F$/,
];

export function codeToScenario(code) {
  if (typeof code !== 'string' || code.length > 100_000) return null;
  let logits = null;
  let labels = null;
  let weight = null;
  let loss = null;
  let module = null; // criterion = nn.CrossEntropyLoss(...): its options, used by criterion(logits, labels)
  for (const { text, indented } of logicalLines(code)) {
    if (text.length > 2000) return null; // no generated line is this long; keeps the regexes fast
    // A try/except around the loss (as in many tutorials) is fine; other blocks are not.
    if (text === 'try:' || /^except(\s+[A-Za-z_]\w*(\s+as\s+[A-Za-z_]\w*)?)?\s*:$/.test(text)) continue;
    if (indented && !/^(print\s*\(|[A-Za-z_]\w*\s*=\s*((F|torch\.nn\.functional)\.cross_entropy|[A-Za-z_]\w*)\s*\()/.test(text)) return null;
    if (IMPORT_LINES.some((re) => re.test(text))) continue;
    if (/^torch\.manual_seed\s*\(\s*\d+\s*\)$/.test(text)) continue;
    if (/^print\s*\(/.test(text) && callArgs(text, /print\s*\(/y)?.rest === '') continue;
    const assign = new RegExp(`^(${NAME})\\s*=\\s*([\\s\\S]+)$`).exec(text);
    if (!assign) return null;
    const [, name, expr] = assign;
    if (name === 'logits') {
      if (logits) return null;
      logits = parseRandn(expr);
      if (!logits || logits.length === 0) return null;
    } else if (name === 'labels') {
      if (labels) return null;
      labels = parseLabels(expr);
      if (!labels) return null;
    } else if (/^torch\.(rand|ones)\s*\(/.test(expr) && !weight && !loss) {
      const shape = parseRandn(expr, expr.startsWith('torch.rand') ? 'rand' : 'ones');
      if (!shape || shape.length !== 1) return null;
      weight = { name, size: shape[0] };
    } else if (/^(?:nn|torch\.nn)\.CrossEntropyLoss\s*\(/.test(expr) && !module && !loss) {
      const call = callArgs(expr, /(?:nn|torch\.nn)\.CrossEntropyLoss\s*\(/y);
      if (!call || call.rest !== '') return null;
      const { positional, keywords } = parseKeywords(splitArgs(call.inside));
      if (positional.length !== 0) return null;
      module = { name, keywords };
    } else {
      const call = callArgs(expr, /(?:F|torch\.nn\.functional)\.cross_entropy\s*\(/y) ??
        (module ? callArgs(expr, new RegExp(`${module.name}\\s*\\(`, 'y')) : null);
      if (!call || call.rest !== '' || loss || !logits || !labels) return null;
      const { positional, keywords } = parseKeywords(splitArgs(call.inside));
      if (positional.length !== 2 || positional[0] !== 'logits' || positional[1] !== 'labels') return null;
      const isModuleCall = module && expr.startsWith(module.name);
      if (isModuleCall && Object.keys(keywords).length) return null;
      loss = parseOptions(isModuleCall ? module.keywords : keywords, weight?.name);
      if (!loss) return null;
    }
  }
  if (!logits || !labels || !loss) return null;
  if (weight && !loss.weights) return null; // a weight tensor the loss does not use

  let labelKind;
  if (labels.kind === 'int') labelKind = labels.shape.length === logits.length ? 'indices-like-logits' : 'indices';
  else labelKind = labels.kind;
  let numClasses = labels.classes ?? (weight ? weight.size : classCount(logits));
  if (weight && weight.size !== numClasses) return null; // two different class counts: not expressible
  const scenario = {
    logitsShape: logits,
    labelsShape: labels.shape,
    labelKind,
    numClasses,
    reduction: loss.reduction,
    ignoreIndex: loss.ignoreIndex,
    labelSmoothing: loss.labelSmoothing,
    weights: loss.weights,
  };
  const { scenario: clean, problems } = validateScenario(scenario);
  return problems.length === 0 ? clean : null;
}
