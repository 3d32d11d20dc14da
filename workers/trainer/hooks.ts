// What a training session needs from its realm: a clock, a way to let queued messages run, a wait on
// the control block, and (in the worker) a thread pool for big products. Node tests use the defaults.
import type { PlannedTrainer } from '../core/train.ts';
import type { Kernels } from '../core/kernels/types.ts';
import type { Switchable } from './thread-trial.ts';

/** Kernels that split big products across threads; `use` caps the threads (thread-trial.ts). */
export type PoolKernels = Kernels & { close(): void } & Partial<Switchable>;

export interface SessionHooks {
  now(): number;
  /** Lets queued messages run, then resumes. */
  yieldToEvents(): Promise<void>;
  /** Resolves when ctrl[index] is no longer `value` or after `ms`. */
  waitFor(ctrl: Int32Array, index: number, value: number, ms: number): Promise<void>;
  /** Optional: kernels that split big products across threads (returns null when it cannot). */
  createPool?: (trainer: PlannedTrainer, helpers: number) => Promise<PoolKernels | null>;
  /** Optional: helper threads for a run's pool (threads.ts: calibrates once, then the choice within
   *  the user's cap, minus the calling thread); none without it. */
  chooseHelpers?: () => Promise<number>;
  /** Whether helper threads can be started at all (Worker, SharedArrayBuffer, isolation). */
  canSpawnHelpers?: boolean;
  poolThresholdFlops?: number;
  /** The calibrated speed of big products on `threads` threads, GFLOP/s (0: not measured). */
  gflops?: (threads: number) => number;
}

export function defaultHooks(): SessionHooks {
  let resolveYield: (() => void) | null = null;
  let channel: MessageChannel | null = null;
  const perf = globalThis.performance;
  return {
    now: () => (perf ? perf.now() : Date.now()),
    yieldToEvents: () =>
      new Promise<void>((resolve) => {
        // Node (tests): setImmediate lets timers and I/O run; browsers: a MessageChannel task.
        if (typeof setImmediate === 'function') {
          setImmediate(resolve);
          return;
        }
        if (!channel) {
          channel = new MessageChannel();
          channel.port1.onmessage = () => {
            const r = resolveYield;
            resolveYield = null;
            r?.();
          };
        }
        resolveYield = resolve;
        channel.port2.postMessage(0);
      }),
    waitFor: async (ctrl, index, value, ms) => {
      const waitAsync = (
        Atomics as unknown as {
          waitAsync?: (
            a: Int32Array,
            i: number,
            v: number,
            t: number,
          ) => { async: boolean; value: Promise<string> | string };
        }
      ).waitAsync;
      if (
        waitAsync &&
        typeof SharedArrayBuffer !== 'undefined' &&
        ctrl.buffer instanceof SharedArrayBuffer
      ) {
        const r = waitAsync(ctrl, index, value, ms);
        if (r.async) await r.value;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(ms, 20)));
    },
  };
}
