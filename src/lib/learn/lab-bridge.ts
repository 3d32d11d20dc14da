// Owns the labs' worker: starts it lazily, and terminates it to cancel a run (the labs keep no state).
import * as Comlink from 'comlink';
import type { LabApi } from './lab.worker.ts';

let worker: Worker | null = null;
let remote: Comlink.Remote<LabApi> | null = null;
let onCrash: ((e: Error) => void) | null = null;

/** The labs' worker, started on first use. `crash` is called if the worker dies. */
export function labWorker(crash?: (e: Error) => void): Comlink.Remote<LabApi> {
  if (crash) onCrash = crash;
  if (remote) return remote;
  worker = new Worker(new URL('./lab.worker.ts', import.meta.url), {
    type: 'module',
    name: 'labs',
  });
  worker.addEventListener('error', (e) => {
    const err = new Error(
      `The labs worker stopped unexpectedly (${e.message || 'script error'}). Try again; reload the page if it happens again.`,
    );
    stopLabWorker();
    onCrash?.(err);
  });
  remote = Comlink.wrap<LabApi>(worker);
  return remote;
}

/** Cancels whatever the worker is doing by ending it; the next call starts a fresh one. */
export function stopLabWorker(): void {
  if (remote) remote[Comlink.releaseProxy]();
  worker?.terminate();
  worker = null;
  remote = null;
}

/** The labs' worker as the LearnSession's runner (cancel ends the worker). */
export function labRunner(): import('../state/learn.svelte.ts').LabRunner {
  const w = labWorker();
  return {
    run: (data, variants, onProgress) =>
      w.run(data, variants, onProgress ? Comlink.proxy(onProgress) : undefined),
    gradientCheck: (spec, params, x, y, m, lambda) =>
      w.gradientCheck(spec, params, x, y, m, lambda),
    sandboxStart: (train, opts) => w.sandboxStart(train, opts),
    sandboxStep: () => w.sandboxStep(),
    sandboxNetwork: () => w.sandboxNetwork(),
    cancel: () => stopLabWorker(),
  };
}
