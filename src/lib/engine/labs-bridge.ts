// The one owner of the labs' worker (workers/labs.worker.ts): starts it lazily, wraps it with Comlink,
// notices when it dies and rejects the calls in flight (Comlink never rejects calls to a dead worker),
// and ends it to cancel a lab; the next call starts a fresh one (the labs keep no state worth keeping).
import * as Comlink from 'comlink';
import type { LabApi } from '../../../workers/labs.worker.ts';
import type { LabRunner } from '../state/learn.svelte.ts';

export type LabsWorker = Comlink.Remote<LabApi>;

export class LabsWorkerCrashedError extends Error {
  constructor(detail: string) {
    super(
      `The labs worker stopped unexpectedly (${detail}). Try again; reload the page if it happens again.`,
    );
    this.name = 'LabsWorkerCrashedError';
  }
}

/** What a call in flight rejects with when the worker is ended on purpose. */
export class LabsCancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'LabsCancelledError';
  }
}

let worker: Worker | null = null;
let remote: LabsWorker | null = null;
/** Rejecters of the calls in flight, so a crash or a cancel ends them at once. */
const inFlight = new Set<(err: Error) => void>();

/** The labs' worker, started on first use. */
export function labsWorker(): LabsWorker {
  if (remote) return remote;
  worker = new Worker(new URL('../../../workers/labs.worker.ts', import.meta.url), {
    type: 'module',
    name: 'labs',
  });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    terminateLabsWorker(new LabsWorkerCrashedError(e.message || 'script error'));
  });
  remote = Comlink.wrap<LabApi>(worker);
  return remote;
}

/** Ends the worker (cancelling what it does); calls in flight reject with `reason`. */
export function terminateLabsWorker(reason: Error = new LabsCancelledError()): void {
  for (const reject of [...inFlight]) reject(reason);
  inFlight.clear();
  if (remote) remote[Comlink.releaseProxy]();
  worker?.terminate();
  worker = null;
  remote = null;
}

/** Whether the worker is running (started and not ended). */
export function labsWorkerRunning(): boolean {
  return worker !== null;
}

/** Resolves with the call, or rejects when it fails, the worker crashes or the labs are cancelled. */
function guarded<T>(call: (w: LabsWorker) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const end = (err: Error) => {
      if (settled) return;
      settled = true;
      inFlight.delete(end);
      reject(err);
    };
    inFlight.add(end);
    call(labsWorker()).then(
      (v) => {
        if (settled) return;
        settled = true;
        inFlight.delete(end);
        resolve(v);
      },
      (e: unknown) => end(e instanceof Error ? e : new Error(String(e))),
    );
  });
}

/** A progress callback the worker can call back through Comlink. */
function proxied<A extends unknown[]>(fn?: (...a: A) => void): ((...a: A) => void) | undefined {
  return fn ? Comlink.proxy(fn) : undefined;
}

const runner: LabRunner = {
  initLab: (input, base, onProgress) => guarded((w) => w.initLab(input, base, proxied(onProgress))),
  regularizationLab: (input, base, reg, onProgress) =>
    guarded((w) => w.regularizationLab(input, base, reg, proxied(onProgress))),
  sandboxStart: (input, opts) => guarded((w) => w.sandboxStart(input, opts)),
  sandboxStep: () => guarded((w) => w.sandboxStep()),
  sandboxNetwork: () => guarded((w) => w.sandboxNetwork()),
  gradientCheck: (input, req) => guarded((w) => w.gradientCheck(input, req)),
  cancel: () => terminateLabsWorker(),
};

/** The labs' worker as the LearnSession's runner (cancel ends the worker). */
export function labRunner(): LabRunner {
  return runner;
}
