// The trainer worker's bridge: one WorkerOwner starts it lazily, wraps it with Comlink, notices when it
// dies and ends the calls in flight then.
import type * as Comlink from 'comlink';
import type { TrainerApi } from '../../../workers/trainer.worker.ts';
import type { ThreadChoice } from '../../../workers/trainer/types.ts';
import { WorkerOwner } from './worker-owner.ts';

export type Trainer = Comlink.Remote<TrainerApi>;

export class WorkerCrashedError extends Error {
  constructor(detail: string) {
    super(
      `The training worker stopped unexpectedly (${detail}). Reload the page to start it again.`,
    );
    this.name = 'WorkerCrashedError';
  }
}

const owner = new WorkerOwner<TrainerApi>({
  spawn: () =>
    new Worker(new URL('../../../workers/trainer.worker.ts', import.meta.url), {
      type: 'module',
      name: 'trainer',
    }),
  crashed: (detail) => new WorkerCrashedError(detail),
  name: 'The training worker',
});

/** The trainer, started on first use. */
export function trainer(): Trainer {
  return owner.remote();
}

/** Subscribe to worker crashes; returns an unsubscribe function. */
export function onWorkerCrash(listener: (err: Error) => void): () => void {
  return owner.onCrash(listener);
}

/** Last resort: kill the worker (a cooperative stop goes through the shared control block instead). */
export function terminate(): void {
  owner.terminate();
}

/** Resolves with `promise`, or rejects after `ms` (0: no limit) or when the worker crashes. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return owner.call(promise, ms, what);
}

/** Proves the boundary: the worker writes into a SharedArrayBuffer that the page then reads. */
export async function probeIsolation(): Promise<{
  pageIsolated: boolean;
  workerIsolated: boolean;
  sharedValue: number | null;
}> {
  const pageIsolated = globalThis.crossOriginIsolated === true;
  if (typeof SharedArrayBuffer === 'undefined')
    return { pageIsolated, workerIsolated: false, sharedValue: null };
  const sab = new SharedArrayBuffer(16);
  const value = 0x5eed;
  const res = await withTimeout(trainer().probe(sab, 1, value), 10_000, 'The training worker');
  return {
    pageIsolated,
    workerIsolated: res.crossOriginIsolated,
    sharedValue: Atomics.load(new Int32Array(sab), 1),
  };
}

/** The threads big products run on (the worker calibrates once, on the first ask), with its speeds. */
export function threadChoice(): Promise<ThreadChoice> {
  return withTimeout(trainer().threads(), 30_000, 'The training worker');
}

/** Caps the kernel threads (null: automatic) from the next run on; answers the new choice. */
export function capThreads(cap: number | null): Promise<ThreadChoice> {
  return withTimeout(trainer().setThreadCap(cap), 30_000, 'The training worker');
}
