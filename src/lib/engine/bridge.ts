// The one owner of the trainer worker: spawns it lazily, wraps it with Comlink, and notices when it dies.
import * as Comlink from 'comlink';
import type { TrainerApi } from '../../../workers/trainer.worker.ts';

export type Trainer = Comlink.Remote<TrainerApi>;

export class WorkerCrashedError extends Error {
  constructor(detail: string) {
    super(
      `The training worker stopped unexpectedly (${detail}). Reload the page to start it again.`,
    );
    this.name = 'WorkerCrashedError';
  }
}

let worker: Worker | null = null;
let remote: Trainer | null = null;
let crashListeners: Array<(err: Error) => void> = [];

/** The trainer, started on first use. */
export function trainer(): Trainer {
  if (remote) return remote;
  worker = new Worker(new URL('../../../workers/trainer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'trainer',
  });
  // Comlink does not reject pending calls when a worker dies: report it ourselves.
  worker.addEventListener('error', (e) => {
    const err = new WorkerCrashedError(e.message || 'script error');
    for (const l of crashListeners) l(err);
    terminate();
  });
  remote = Comlink.wrap<TrainerApi>(worker);
  return remote;
}

/** Subscribe to worker crashes; returns an unsubscribe function. */
export function onWorkerCrash(listener: (err: Error) => void): () => void {
  crashListeners.push(listener);
  return () => {
    crashListeners = crashListeners.filter((l) => l !== listener);
  };
}

/** Last resort: kill the worker (a cooperative stop goes through the shared control block instead). */
export function terminate(): void {
  if (remote) remote[Comlink.releaseProxy]();
  worker?.terminate();
  worker = null;
  remote = null;
}

/** Resolves with `promise`, or rejects after `ms` (Comlink calls never time out on their own). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s.`)),
      ms,
    );
    promise.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
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
