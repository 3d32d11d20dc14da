// The labs' worker (workers/labs.worker.ts) through its WorkerOwner: started lazily, a crash rejects
// the calls in flight, and a cancel ends the worker (the next call starts a fresh one: the labs keep
// no state worth keeping).
import * as Comlink from 'comlink';
import type { LabApi } from '../../../workers/labs.worker.ts';
import type { LabRunner } from '../state/learn.svelte.ts';
import { WorkerOwner } from './worker-owner.ts';

export type LabsWorker = Comlink.Remote<LabApi>;

/** What a call in flight rejects with when the worker is ended on purpose. */
export class LabsCancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'LabsCancelledError';
  }
}

const owner = new WorkerOwner<LabApi>({
  spawn: () =>
    new Worker(new URL('../../../workers/labs.worker.ts', import.meta.url), {
      type: 'module',
      name: 'labs',
    }),
  crashed: (detail) =>
    new Error(
      `The labs worker stopped unexpectedly (${detail}). Try again; reload the page if it happens again.`,
    ),
  name: 'The labs worker',
});

/** Ends the worker (cancelling what it does); calls in flight reject with `reason`. */
export function terminateLabsWorker(reason: Error = new LabsCancelledError()): void {
  owner.terminate(reason);
}

/** Whether the worker is running (started and not ended). */
export function labsWorkerRunning(): boolean {
  return owner.running;
}

/** A lab call: no time limit (a lab may take a while), ended by a crash or a cancel. */
function guarded<T>(call: (w: LabsWorker) => Promise<T>): Promise<T> {
  return owner.call(call(owner.remote()), 0, 'The labs worker');
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
