// Lessons: predict, then reveal. Each step shows a program; the learner guesses whether it
// raises, runs, or runs but gives a wrong answer; then the page runs it and shows what happened.
// The lesson is plain data so a course author can copy it, edit it and link it.
//
// A step: {id, prompt, code, answer, error?, wrongIf?, explanation}
//   answer:  'raises' | 'runs' | 'runs-wrong': what running `code` gives (tests/web/lessons.test.mjs
//            runs every step through the core and checks it; real PyTorch 1.13 agrees)
//   error:   for 'raises', the exception type
//   wrongIf: a Python expression over the program's variables, true when a program that runs gives
//            a wrong result; it is checked after the program (lessonRequest), never shown
// Pure data and functions, no DOM: the page inserts every text with textContent.

export const CHOICES = Object.freeze([
  { id: 'raises', label: 'It raises an error' },
  { id: 'runs', label: 'It runs and the loss is right' },
  { id: 'runs-wrong', label: 'It runs, but the loss is wrong' },
]);

const HEAD = 'import torch\nimport torch.nn.functional as F\n\n';

export const LESSON = Object.freeze({
  id: 'batch-mismatch-to-fix',
  title: 'From "batch sizes don\'t match" to a loss you can trust',
  steps: Object.freeze([
    {
      id: 'start',
      prompt: 'The model scored 384 examples over 2971 classes, and the labels tensor has 864 rows. What does cross_entropy do?',
      code: `${HEAD}logits = torch.randn(384, 2971)\nlabels = torch.randint(0, 2971, (864, 2971))\n\nloss = F.cross_entropy(logits, labels)\nprint(loss)\n`,
      answer: 'raises',
      error: 'ValueError',
      explanation: 'Dimension 0 is the batch: 384 predictions, 864 answers. cross_entropy pairs row i with row i, so it refuses before looking at anything else.',
    },
    {
      id: 'cut-rows',
      prompt: 'A common suggestion: keep only the first 384 label rows so the batch sizes agree. Does it work now?',
      code: `${HEAD}logits = torch.randn(384, 2971)\nlabels = torch.randint(0, 2971, (864, 2971))\n\nlabels_cut = labels[:384]\nloss = F.cross_entropy(logits, labels_cut)\nprint(loss)\n`,
      answer: 'raises',
      error: 'RuntimeError',
      explanation: 'The batch sizes agree now, but labels of exactly the logits\' shape are read as class probabilities, and these are integers. PyTorch stops again.',
    },
    {
      id: 'cut-and-cast',
      prompt: 'So make them floats too: labels[:384].float(). What happens?',
      code: `${HEAD}logits = torch.randn(384, 2971)\nlabels = torch.randint(0, 2971, (864, 2971))\n\nlabels_cut = labels[:384].float()\nloss = F.cross_entropy(logits, labels_cut)\nprint(loss)\n`,
      answer: 'runs-wrong',
      wrongIf: 'bool((labels_cut.sum(dim=1) - 1).abs().max() > 0.001)',
      explanation: 'No error, and a huge number. Each row is now read as a probability for every class, but the rows are class indices that sum to millions, not to 1: the loss means nothing. Silencing an error is not fixing it.',
    },
    {
      id: 'one-index-cut',
      prompt: 'The labels should be one class index per example: shape [N], not [N, C]. With 864 of them, cut to 384?',
      code: `${HEAD}logits = torch.randn(384, 2971)\nlabels = torch.randint(0, 2971, (864,))\n\nlabels_cut = labels[:384]\nloss = F.cross_entropy(logits, labels_cut)\nprint(loss)\n`,
      answer: 'runs-wrong',
      wrongIf: 'labels_cut.shape[0] < labels.shape[0]',
      explanation: 'The shapes are right and the loss looks normal, yet 480 labels were thrown away, and the 384 kept belong to the logits only by luck. The counts differ because logits and labels come from different batches (or one was flattened): find where, do not cut.',
    },
    {
      id: 'same-batch',
      prompt: 'Take logits and labels from the same batch: 384 predictions, 384 class indices. What now?',
      code: `${HEAD}# one batch: the model's scores and the answers for the same 384 examples\nlogits = torch.randn(384, 2971)\nlabels = torch.randint(0, 2971, (384,))\n\nloss = F.cross_entropy(logits, labels)\nprint(loss)\n`,
      answer: 'runs',
      wrongIf: 'labels.dim() != 1 or labels.shape[0] != logits.shape[0]',
      explanation: 'Every prediction meets its own answer: logits [N, C] and labels [N] of class indices in 0 … C−1. For random scores the loss is about 8.5, a little above ln(2971) ≈ 8.0, as it should be.',
    },
  ].map(Object.freeze)),
});

const PROBE = '_lesson_wrong';

// The request that runs a step: its program, then (for wrongIf) one line the learner never sees.
export function lessonRequest(step) {
  const code = step.wrongIf ? `${step.code.replace(/\n*$/, '\n')}${PROBE} = bool(${step.wrongIf})\n` : step.code;
  return { code, seed: 0, outputs: step.wrongIf ? [PROBE] : [] };
}

// What running the step gave: 'raises', 'runs' or 'runs-wrong' (null when the response is unusable).
export function verdictOf(step, response) {
  if (!response || typeof response !== 'object' || response.request_error) return null;
  if (response.error) return 'raises';
  if (!step.wrongIf) return 'runs';
  const probe = response.values?.[PROBE];
  if (!probe || typeof probe.data !== 'boolean') return null;
  return probe.data ? 'runs-wrong' : 'runs';
}

// Checks a lesson written by hand (or edited by an author); returns a list of problems.
export function validateLesson(lesson) {
  const problems = [];
  const ids = new Set();
  if (!lesson || typeof lesson !== 'object' || !Array.isArray(lesson.steps) || lesson.steps.length === 0) {
    return ['a lesson has a non-empty list of steps'];
  }
  for (const [i, step] of lesson.steps.entries()) {
    const where = `step ${i + 1}${step?.id ? ` (${step.id})` : ''}`;
    if (typeof step?.id !== 'string' || !/^[a-z0-9-]+$/.test(step.id)) problems.push(`${where}: id is lowercase letters, digits and dashes`);
    else if (ids.has(step.id)) problems.push(`${where}: duplicate id`);
    else ids.add(step.id);
    for (const key of ['prompt', 'code', 'explanation']) {
      if (typeof step?.[key] !== 'string' || step[key].trim() === '') problems.push(`${where}: ${key} is text`);
    }
    if (!CHOICES.some((c) => c.id === step?.answer)) problems.push(`${where}: answer is one of ${CHOICES.map((c) => c.id).join(', ')}`);
    if (step?.answer === 'runs-wrong' && !step.wrongIf) problems.push(`${where}: a runs-wrong answer needs wrongIf`);
    if (step?.answer === 'raises' && typeof step.error !== 'string') problems.push(`${where}: a raises answer names its error`);
    if (step?.wrongIf !== undefined && (typeof step.wrongIf !== 'string' || /\n/.test(step.wrongIf))) problems.push(`${where}: wrongIf is one expression`);
  }
  return problems;
}
