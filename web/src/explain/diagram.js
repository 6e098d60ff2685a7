// shapeDiagram(): logits and labels drawn as blocks, row 0 of both at the same height so the
// batch axis lines up; rows that have no partner are hatched and labelled, the disagreeing
// dimension gets a dashed edge and a "≠" label (never colour alone). After a fix it shows what
// happened to the data: rows dropped, blocks cut, axes permuted, memory regrouped.
//
// Safety: the SVG is assembled only from numbers (formatted by num()) and from text passed
// through esc(). Attribute values are numbers or constants written here. Nothing from the
// response (messages, variable names) is copied into it except through esc().

import { validateScenario } from '../model/scenario.js';
import { explain, lossOperands } from './explain.js';
import { product } from './numbers.js';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
// A finite number with at most one decimal, for coordinates.
const num = (x) => {
  const v = Number(x);
  return Number.isFinite(v) ? String(Math.round(v * 10) / 10) : '0';
};
const isShape = (s) => Array.isArray(s) && s.every((d) => Number.isInteger(d) && d >= 0);
const fmtShape = (shape) => `[${shape.map((d) => num(d)).join(', ')}]`;

const WIDTH = 640;
const TOP = 64; // y of row 0
const MAX_H = 150; // height of the block with the most rows
const MIN_H = 6;

let instance = 0;

// ---------------------------------------------------------------------------------------------
// Geometry: rows are linear in the batch (clamped so a batch of 1 stays visible), widths are
// logarithmic in the number of values per row (2971 classes and 10 classes both fit).

// Logits of one dimension are a single example (classes only); labels of one dimension are a
// batch of class indices.
const hasBatch = (name, shape) => (name === 'logits' ? shape.length >= 2 : shape.length >= 1);
const rowsOf = (name, shape) => (hasBatch(name, shape) ? shape[0] : 1);
const tailOf = (name, shape) => (hasBatch(name, shape) ? shape.slice(1) : shape);
function widthOf(name, shape) {
  const tail = tailOf(name, shape);
  if (tail.length === 0) return 18;
  return Math.min(160, Math.max(24, 24 + 30 * Math.log10(Math.max(1, product(tail)))));
}

// ---------------------------------------------------------------------------------------------
// Which shapes to draw, and which axes disagree.

// The variable each fix program passes as the target (fixes.js), for responses without a trace.
const FIX_TARGET = { truncate: 'labels_cut', 'reshape-split': 'labels_first', 'argmax-onehot': 'labels_idx',
  'cast-to-float': 'labels_float' };

function shapesFrom(response, scenario, code, fixId) {
  const ops = lossOperands(response, code, Number.isInteger(response?.error?.line) ? response.error.line : null);
  const vars = response?.variables ?? {};
  const pick = (fromCall, name, fallback) => {
    if (fromCall && isShape(fromCall.shape)) return fromCall.shape;
    if (vars[name] && isShape(vars[name].shape)) return vars[name].shape;
    return fallback;
  };
  return {
    logits: pick(ops.input, 'logits', scenario.logitsShape),
    labels: pick(ops.target, FIX_TARGET[fixId] && vars[FIX_TARGET[fixId]] ? FIX_TARGET[fixId] : 'labels', scenario.labelsShape),
  };
}

function conflictsOf(explanation, logits, labels) {
  const out = { logits: new Set(), labels: new Set() };
  if (explanation && Array.isArray(explanation.dims)) {
    for (const d of explanation.dims) if (d.conflict && out[d.tensor]) out[d.tensor].add(d.axis);
  }
  if (out.logits.size === 0 && out.labels.size === 0 && logits.length >= 2 && labels.length >= 1 && logits[0] !== labels[0]) {
    out.logits.add(0);
    out.labels.add(0);
  }
  return out;
}

function roleName(tensor, shape, axis, logitsRank) {
  const logitsRole = (rank) => (rank <= 1 ? 'classes'
    : axis === 0 ? 'batch' : axis === 1 ? 'classes' : rank === 3 ? 'sequence' : 'position');
  if (tensor === 'logits') return logitsRole(shape.length);
  if (shape.length === logitsRank && logitsRank >= 2) return logitsRole(logitsRank); // read like the logits
  if (axis === 0) return 'batch';
  return shape.length === 2 ? 'sequence' : 'position';
}

// Wrap text into lines of at most width characters, at spaces.
function wrap(content, width) {
  const out = [];
  let line = '';
  for (const word of String(content).split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Drawing.

function defs(id) {
  return `<defs>` +
    `<pattern id="${id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="8" height="8" fill="var(--err-bg, #fde8e8)"/><line x1="0" y1="0" x2="0" y2="8" stroke="var(--err, #b42318)" stroke-width="3"/></pattern>` +
    `<pattern id="${id}-dropped" width="10" height="10" patternUnits="userSpaceOnUse">` +
    `<rect width="10" height="10" fill="var(--surface-2, #eeeeee)"/><path d="M1 1 L9 9 M9 1 L1 9" stroke="var(--muted, #666666)" stroke-width="1.2"/></pattern>` +
    `<pattern id="${id}-mixed" width="12" height="12" patternUnits="userSpaceOnUse">` +
    `<rect width="12" height="12" fill="var(--surface-2, #eeeeee)"/><path d="M0 3 L6 9 L12 3" fill="none" stroke="var(--warn, #b54708)" stroke-width="1.5"/></pattern>` +
    `</defs>`;
}

function text(x, y, content, { anchor = 'start', size = 12, weight = 'normal', fill = 'var(--text, #111111)' } = {}) {
  const a = anchor === 'middle' ? 'middle' : anchor === 'end' ? 'end' : 'start';
  const w = weight === 'bold' ? 'bold' : 'normal';
  return `<text x="${num(x)}" y="${num(y)}" text-anchor="${a}" font-size="${num(size)}" font-weight="${w}" fill="${fill}">${esc(content)}</text>`;
}

// One tensor as a block; returns { svg, x, w, h, lines } (lines: its plain-text description).
function block(name, shape, x, rowScale, conflicts, id, logitsRank, dropAfter = null) {
  const rows = rowsOf(name, shape);
  const w = widthOf(name, shape);
  const h = Math.max(MIN_H, rows * rowScale);
  const parts = [];
  const lines = [];
  const batchConflict = conflicts.has(0) && hasBatch(name, shape);
  const role = (axis) => roleName(name, shape, axis, logitsRank);
  const tailConflict = [...conflicts].some((a) => a > 0);

  parts.push(text(x, TOP - 34, `${name} ${fmtShape(shape)}`, { weight: 'bold', size: 13 }));
  // A translucent tint of the page's accent (logits) and ok (labels) colours, so dark mode follows.
  const fill = name === 'logits' ? 'var(--accent, #2563eb)' : 'var(--ok, #15803d)';
  const keptH = dropAfter !== null ? Math.max(MIN_H, Math.min(h, dropAfter * rowScale)) : h;
  parts.push(`<rect x="${num(x)}" y="${num(TOP)}" width="${num(w)}" height="${num(keptH)}" fill="${fill}" fill-opacity="0.18" stroke="var(--border, #888888)" stroke-width="1"/>`);
  if (dropAfter !== null && keptH < h) {
    parts.push(`<rect x="${num(x)}" y="${num(TOP + keptH)}" width="${num(w)}" height="${num(h - keptH)}" fill="url(#${id}-dropped)" stroke="var(--muted, #666666)" stroke-width="1" stroke-dasharray="4 3"/>`);
  }
  // the batch edge (left) and the class edge (top)
  const edge = (x1, y1, x2, y2, bad) => `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ` +
    `stroke="${bad ? 'var(--err, #b42318)' : 'var(--border, #888888)'}" stroke-width="${bad ? 4 : 1}"${bad ? ' stroke-dasharray="6 3"' : ''}/>`;
  parts.push(edge(x, TOP, x, TOP + h, batchConflict));
  parts.push(edge(x, TOP, x + w, TOP, tailConflict));

  const tail = tailOf(name, shape);
  if (hasBatch(name, shape)) {
    const rowsLabel = `${batchConflict ? '≠ ' : ''}${rows} ${rows === 1 ? 'row' : 'rows'} (${role(0)})`;
    const left = name === 'logits';
    parts.push(text(left ? x - 6 : x + w + 6, TOP + Math.min(h, 40) / 2 + 4, rowsLabel, { anchor: left ? 'end' : 'start', size: 11,
      weight: batchConflict ? 'bold' : 'normal', fill: batchConflict ? 'var(--err, #b42318)' : 'var(--text, #111111)' }));
  }
  const WORDS = { classes: 'classes', sequence: 'sequence steps', position: 'positions', batch: 'rows' };
  const tailWords = tail.map((d, i) => `${d} ${WORDS[role(hasBatch(name, shape) ? i + 1 : i)]}`).join(' × ');
  const narrow = w < 70;
  parts.push(text(narrow ? x : x + w / 2, TOP - 8, `${tailConflict ? '≠ ' : ''}${tailWords || 'one class index per row'}`,
    { anchor: narrow ? 'start' : 'middle', size: 11, weight: tailConflict ? 'bold' : 'normal', fill: tailConflict ? 'var(--err, #b42318)' : 'var(--muted, #555555)' }));

  const desc = hasBatch(name, shape) ? `${rows} ${rows === 1 ? 'row' : 'rows'} (${role(0)})${tailWords ? ` of ${tailWords}` : ', one class index each'}`
    : shape.length >= 1 ? tailWords : 'a single value (0-d)';
  lines.push(`${name === 'logits' ? 'Logits' : 'Labels'} ${fmtShape(shape)}: ${desc}.`);
  return { svg: parts.join(''), x, w, h, lines };
}

// ---------------------------------------------------------------------------------------------

function fixIdOf(fix) {
  if (!fix) return null;
  if (typeof fix === 'string') return fix;
  return typeof fix.id === 'string' ? fix.id : null;
}

// Did the program get to a loss at all? (Else there is nothing to draw: a SyntaxError, or a program
// that never calls cross_entropy.)
function reachedLoss(response, code) {
  if (['SyntaxError', 'IndentationError'].includes(response?.error?.type)) return false;
  const trace = Array.isArray(response?.trace) ? response.trace : [];
  if (trace.some((t) => t && (t.op === 'cross_entropy' || t.op === 'nll_loss'))) return true;
  return typeof code === 'string' && code.length <= 200_000 &&
    /cross_entropy\s*\(|nll_loss\s*\(|CrossEntropyLoss\s*\(|NLLLoss\s*\(/.test(code);
}

// { svg, text }, or null when a response is given but the program never reached a loss call.
// Without a response (before the first run) it draws the scenario.
export function shapeDiagram(response, { scenario, fix, code } = {}) {
  const ok = response && typeof response === 'object';
  if (ok && !reachedLoss(response, code)) return null;
  const s = validateScenario(scenario).scenario;
  const id = `ll-diagram-${++instance}`;
  const fixId = fixIdOf(fix);
  const explanation = ok ? explain(response, { code, scenario: s }) : null;
  const { logits, labels } = ok ? shapesFrom(response, s, code, fixId) : { logits: s.logitsShape, labels: s.labelsShape };
  const conflicts = conflictsOf(explanation, logits, labels);
  const rank = logits.length;

  // What the labels were before a fix cut them (the program's own "labels", else the scenario's).
  const originalLabels = isShape(response?.variables?.labels?.shape) ? response.variables.labels.shape : s.labelsShape;
  const cutting = (fixId === 'truncate' || fixId === 'reshape-split') && originalLabels.length >= 1 &&
    labels.length >= 1 && rowsOf('labels', originalLabels) > rowsOf('labels', labels);
  const labelsDrawn = cutting ? originalLabels : labels;

  const nL = rowsOf('logits', logits);
  const nB = rowsOf('labels', labelsDrawn);
  // Few rows (a single example, a tiny batch) stay small instead of filling the whole height.
  const rowScale = Math.min(MAX_H / Math.max(1, nL, nB), 20);
  const logitsX = 150;
  const L = block('logits', logits, logitsX, rowScale, conflicts.logits, id, rank);
  const labelsX = Math.min(WIDTH - 200, logitsX + L.w + 110);
  const B = block('labels', labelsDrawn, labelsX, rowScale, cutting ? new Set() : conflicts.labels, id, rank,
    cutting ? rowsOf('labels', labels) : null);

  const parts = [L.svg, B.svg];
  const notes = [];
  const footer = []; // [text, emphasis]

  // The pairing the loss uses: row i with row i.
  parts.push(`<path d="M${num(logitsX + L.w + 6)} ${num(TOP + 6)} L${num(labelsX - 6)} ${num(TOP + 6)}" stroke="var(--muted, #555555)" stroke-width="1.5" fill="none"/>`);
  parts.push(text((logitsX + L.w + labelsX) / 2, TOP - 20, 'row i ↔ row i', { anchor: 'middle', size: 10, fill: 'var(--muted, #555555)' }));

  // Rows without a partner: a dashed line where the shorter block ends, the rest hatched.
  const bothBatched = hasBatch('logits', logits) && hasBatch('labels', labelsDrawn);
  if (bothBatched && nL !== nB && !cutting) {
    const shortH = Math.min(L.h, B.h);
    const longer = nB > nL ? B : L;
    const extra = Math.abs(nB - nL);
    parts.push(`<line x1="${num(logitsX - 4)}" y1="${num(TOP + shortH)}" x2="${num(labelsX + B.w + 4)}" y2="${num(TOP + shortH)}" stroke="var(--err, #b42318)" stroke-width="1.5" stroke-dasharray="5 4"/>`);
    parts.push(`<rect x="${num(longer.x)}" y="${num(TOP + shortH)}" width="${num(longer.w)}" height="${num(Math.max(2, longer.h - shortH))}" fill="url(#${id}-hatch)" stroke="var(--err, #b42318)" stroke-width="1"/>`);
    const msg = nB > nL ? `${extra} of ${nB} label rows have no logits row (hatched)`
      : `${extra} of ${nL} logits rows have no label (hatched)`;
    footer.push([`≠ batch: ${nL} rows of logits, ${nB} rows of labels. ${msg}.`, 'err']);
    notes.push(`The batch sizes disagree: ${nL} rows of logits, ${nB} rows of labels; ${msg.replace(' (hatched)', '')}.`);
  } else if (bothBatched && nL === nB) {
    notes.push(`Both have ${nL} rows: row i of the logits is paired with row i of the labels.`);
  }
  if (explanation && explanation.id !== 'batch-mismatch' && !cutting) {
    // The card's own sentence (numbers and fixed words), marked like the conflicting edges.
    const conflict = [...conflicts.labels, ...conflicts.logits].length > 0;
    footer.push([`${conflict ? '≠ ' : ''}${explanation.summary}`, explanation.severity === 'error' ? 'err' : 'text']);
    notes.push(explanation.summary);
  }

  // What a fix did to the data.
  let caption = null;
  if (cutting) {
    const total = rowsOf('labels', originalLabels);
    const kept = rowsOf('labels', labels);
    caption = fixId === 'truncate'
      ? `Truncation: ${total - kept} of ${total} label rows dropped (crossed out); the ${kept} kept are paired by position only.`
      : `Reshape split: only block 0 kept; ${total - kept} of ${total} label rows dropped (crossed out).`;
    if (fixId === 'reshape-split' && kept > 0) {
      // the block boundaries of the reshape, and which block survived
      const blocks = Math.min(50, Math.floor(total / kept));
      for (let j = 1; j < blocks; j++) {
        const y = TOP + j * kept * rowScale;
        parts.push(`<line x1="${num(labelsX - 4)}" y1="${num(y)}" x2="${num(labelsX + B.w + 4)}" y2="${num(y)}" stroke="var(--text, #111111)" stroke-width="1.5"/>`);
      }
      parts.push(text(labelsX + B.w + 6, TOP + Math.min(kept * rowScale, 40) / 2 + 18, 'block 0 kept', { size: 11, fill: 'var(--muted, #555555)' }));
    }
  } else if (fixId === 'view-not-permute' && rank >= 3) {
    parts.push(`<rect x="${num(logitsX)}" y="${num(TOP)}" width="${num(L.w)}" height="${num(L.h)}" fill="url(#${id}-mixed)" fill-opacity="0.8" stroke="var(--warn, #b54708)" stroke-width="2" stroke-dasharray="2 2"/>`);
    caption = `view regrouped memory (zigzag): the shape ${fmtShape(logits)} is right, but each row mixes positions and classes.`;
  } else if (fixId === 'permute' && rank >= 3) {
    caption = `Axes permuted: (batch, sequence, classes) became ${fmtShape(logits)} = (batch, classes, sequence); the labels ${fmtShape(labels)} stay (batch, sequence).`;
  } else if ((fixId === 'flatten' || fixId === 'same-batch') && rank === 2) {
    caption = `Flattened: ${nL} rows, one per token, in the same order for logits and labels.`;
  } else if (fixId === 'pad-ignore-index') {
    caption = 'Padded label positions hold -100 (ignore_index) and add nothing to the loss.';
  } else if (fixId === 'argmax-onehot') {
    caption = `argmax: the one-hot rows became class indices ${fmtShape(labels)}.`;
  } else if (fixId === 'cast-to-float') {
    caption = 'Class indices cast to float are read as probabilities: same shape, wrong meaning.';
  }
  if (caption) footer.push([`After the fix: ${caption}`, 'text']);

  // Footer lines under the blocks, wrapped to the width.
  let y = TOP + Math.max(L.h, B.h) + 24;
  for (const [content, tone] of footer) {
    for (const line of wrap(content, 92)) {
      parts.push(text(16, y, line, { size: 12, weight: 'bold', fill: tone === 'err' ? 'var(--err, #b42318)' : 'var(--text, #111111)' }));
      y += 16;
    }
  }
  const H = y + 4;

  const title = explanation ? explanation.title : 'Shapes of logits and labels';
  const plain = [...L.lines, ...B.lines, ...notes, ...(caption ? [`After the fix: ${caption}`] : [])].join(' ');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(WIDTH)} ${num(H)}" width="${num(WIDTH)}" height="${num(H)}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, sans-serif">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(plain)}</desc>` +
    defs(id) + parts.join('') + '</svg>';
  return { svg, text: plain };
}
