// Reading sizes the way a person debugging a shape error does: common factors, typical batch
// sizes, products. Pure arithmetic on small integers.

export function gcd(a, b) {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export const product = (shape) => shape.reduce((a, b) => a * b, 1);
export const showShape = (shape) => `[${shape.join(', ')}]`;

// Largest power of two dividing n (n > 0).
const twoPart = (n) => (n > 0 ? n & -n : 0);

// N = B×T1 and M = B×T2 with B a typical batch size: the largest power of two (at least 2) that
// divides both and leaves sequence lengths of at least 2, e.g. 384 = 32×12 and 864 = 32×27.
// null when there is no such B, or when one side is a multiple of the other (that reads better
// as "k labels per row").
export function sharedBatch(n, m) {
  if (!(n > 1 && m > 1) || n === m || n % m === 0 || m % n === 0) return null;
  let b = Math.min(twoPart(gcd(n, m)), 1 << 30);
  while (b >= 2 && (n / b < 2 || m / b < 2)) b /= 2;
  if (b < 2) return null;
  return { batch: b, first: n / b, second: m / b, gcd: gcd(n, m) };
}

// Split n rows into (batch, sequence) for programs that show a (B, T, C) model output: prefer
// the batch shared with m (the other side's rows), else the largest power of two up to 64 that
// leaves a sequence of at least 2, else (1, n).
export function batchAndSequence(n, m = null) {
  const shared = m === null ? null : sharedBatch(n, m);
  if (shared) return { batch: shared.batch, seq: shared.first, otherSeq: shared.second };
  let b = 64;
  while (b >= 2 && (n % b !== 0 || n / b < 2)) b /= 2;
  if (b < 2) return { batch: 1, seq: Math.max(1, n), otherSeq: m === null ? null : Math.max(1, m) };
  return { batch: b, seq: n / b, otherSeq: m !== null && m % b === 0 ? m / b : null };
}

// The role of each axis for cross_entropy: input (N, C, d1, ...), class-index target (N, d1, ...),
// probability target like the input. 1-D input is a single example: (C).
export function inputRoles(rank) {
  if (rank <= 1) return ['classes'];
  return Array.from({ length: rank }, (_, i) => (i === 0 ? 'batch' : i === 1 ? 'classes' : rank === 3 ? 'sequence' : 'other'));
}

export function targetRoles(targetRank, inputRank) {
  if (targetRank === inputRank) return inputRoles(inputRank);
  return Array.from({ length: targetRank }, (_, i) => (i === 0 ? 'batch' : targetRank === 2 ? 'sequence' : 'other'));
}
