// The page's side of a worker running the wasm core. One job at a time; a job past its time
// limit, or a worker that crashes, is answered with a failure and the worker is replaced by a
// fresh one, so the page never waits on a stuck module. A run that ran out of memory, or left the
// module's memory (which a wasm32 module never gives back) past RECYCLE_BYTES, is answered
// normally and then also gets a fresh worker, so the memory is released.
//
//   const engine = new Engine({ timeLimitMs: 3000, onReady, onLoadError, onRestart });
//   const outcome = await engine.run(request, { latestOnly: true });
//   outcome: {response, ms, restarted?: 'memory'} | {failure: 'timeout' | 'crash' | 'load' | 'superseded', message}
//   engine.restarts: how many times the worker was replaced (any reason)

const WORKER_URL = new URL('./worker.js', import.meta.url);
const LOAD_LIMIT_MS = 60_000;

// The wasm module may grow to 2 GB (-sMAXIMUM_MEMORY); past half of that, a run's memory is given
// back by replacing the worker rather than kept for the rest of the visit.
export const RECYCLE_BYTES = 1024 ** 3;

// The core's answer when an allocation failed (core/src/api/run.cpp, internal_failure: a
// MemoryError at line 0, unlike the budgets' MemoryErrors, which name their line and limit), or
// the loader's when the request or the response did not fit in the module's memory.
export function isOutOfMemory(response) {
  if (!response || typeof response !== 'object') return false;
  const { error, request_error: requestError } = response;
  if (error && error.type === 'MemoryError' && !(error.line > 0) && /ran out of memory/.test(String(error.message))) return true;
  return typeof requestError === 'string' && /(ran out of memory|does not fit in memory)/.test(requestError);
}

// Why the worker that gave this answer should be replaced, or null.
export function recycleReason(response, memoryBytes) {
  if (isOutOfMemory(response)) return 'out-of-memory';
  if (Number.isFinite(memoryBytes) && memoryBytes > RECYCLE_BYTES) return 'memory-grown';
  return null;
}

export class Engine {
  constructor({ timeLimitMs = 3000, onReady = () => {}, onLoadError = () => {}, onRestart = () => {} } = {}) {
    this.timeLimitMs = timeLimitMs;
    this.onReady = onReady;
    this.onLoadError = onLoadError;
    this.onRestart = onRestart;
    this.queue = [];
    this.current = null;
    this.nextId = 1;
    this.info = null;  // {build, simd} once loaded
    this.loadError = null;  // set when the module cannot load: every job then fails at once
    this.restarts = 0;  // workers replaced (time limit, crash, memory); the browser tests read it
    this.spawn();
  }

  spawn() {
    this.ready = false;
    this.worker = new Worker(WORKER_URL, { type: 'module' });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail('crash', `The engine stopped unexpectedly${event.message ? ` (${event.message})` : ''}.`);
    };
    this.loadTimer = setTimeout(() => this.fail('load', 'The engine took too long to load.'), LOAD_LIMIT_MS);
  }

  // Posts a job; resolves with its outcome. latestOnly drops the queued jobs of the same kind
  // (their promises resolve as 'superseded'): only the newest edit is worth running.
  run(request, { latestOnly = false, kind = 'run', timeLimitMs = this.timeLimitMs } = {}) {
    return this.post({ type: 'run', request }, { latestOnly, kind, timeLimitMs });
  }

  bench(job, { timeLimitMs = 120_000 } = {}) {
    return this.post({ type: 'bench', ...job }, { latestOnly: true, kind: 'bench', timeLimitMs });
  }

  post(message, { latestOnly, kind, timeLimitMs }) {
    return new Promise((resolve) => {
      if (this.loadError) {
        resolve({ failure: 'load', message: `The engine could not load: ${this.loadError}` });
        return;
      }
      if (latestOnly) {
        this.queue = this.queue.filter((job) => {
          if (job.kind !== kind) return true;
          job.resolve({ failure: 'superseded', message: 'A newer run replaced this one.' });
          return false;
        });
      }
      this.queue.push({ message: { ...message, id: this.nextId++ }, kind, timeLimitMs, resolve });
      this.pump();
    });
  }

  // Forgets queued jobs of one kind (e.g. fix verdicts for code that is no longer shown).
  cancel(kind) {
    this.queue = this.queue.filter((job) => {
      if (job.kind !== kind) return true;
      job.resolve({ failure: 'superseded', message: 'Cancelled.' });
      return false;
    });
  }

  get busy() {
    return this.current !== null;
  }

  pump() {
    if (!this.ready || this.current || this.queue.length === 0) return;
    const job = this.queue.shift();
    this.current = job;
    job.started = performance.now();
    job.timer = setTimeout(() => {
      const seconds = (job.timeLimitMs / 1000).toFixed(job.timeLimitMs % 1000 ? 1 : 0);
      this.fail('timeout', `Stopped after ${seconds} s: the program ran too long. The engine was restarted; shorten the program or use smaller shapes.`);
    }, job.timeLimitMs);
    this.worker.postMessage(job.message);
  }

  receive(data) {
    if (data.type === 'ready') {
      clearTimeout(this.loadTimer);
      this.ready = true;
      this.info = { build: data.build, simd: data.simd };
      this.onReady(this.info);
      this.pump();
      return;
    }
    if (data.type === 'load-error') {
      clearTimeout(this.loadTimer);
      this.loadFailed(data.message);
      return;
    }
    const job = this.current;
    if (!job || job.message.id !== data.id) return;
    if (data.type === 'crash') {
      this.fail('crash', `The engine crashed while running this program (${data.message}). It was restarted.`);
      return;
    }
    clearTimeout(job.timer);
    this.current = null;
    const recycle = recycleReason(data.response, data.memoryBytes);
    if (data.type === 'response') job.resolve({ response: data.response, ms: data.ms, ...(recycle ? { restarted: 'memory' } : {}) });
    else if (data.type === 'bench-result') job.resolve({ results: data.results });
    if (recycle) this.replace('memory');
    else this.pump();
  }

  // A fresh worker in place of this one (the queued jobs wait for it to be ready).
  replace(reason) {
    clearTimeout(this.loadTimer);
    this.worker.terminate();
    this.restarts++;
    this.onRestart(reason);
    this.spawn();
  }

  loadFailed(rawMessage) {
    // Emscripten wraps the cause as "Aborted(<cause>). Build with -s ASSERTIONS=1 ...".
    const message = String(rawMessage).replace(/^Aborted\((.*)\)\.?\s*Build with .*$/s, '$1');
    this.loadError = message;
    this.worker.terminate();
    const jobs = this.current ? [this.current, ...this.queue] : this.queue;
    this.current = null;
    this.queue = [];
    for (const job of jobs) {
      clearTimeout(job.timer);
      job.resolve({ failure: 'load', message: `The engine could not load: ${message}` });
    }
    this.onLoadError(message);
  }

  // The current job failed (or the worker died between jobs): answer it, replace the worker.
  fail(failure, message) {
    if (!this.ready) {  // no job runs before the module is ready: the module failed to load
      this.loadFailed(message);
      return;
    }
    const job = this.current;
    this.current = null;
    if (job) {
      clearTimeout(job.timer);
      job.resolve({ failure, message, ms: performance.now() - job.started });
    }
    this.replace(failure);
  }

  terminate() {
    clearTimeout(this.loadTimer);
    this.worker.terminate();
  }
}
