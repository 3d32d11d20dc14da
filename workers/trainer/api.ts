// The trainer worker's API object. Every method is a command; progress lives in shared memory
// (see README.md and control.ts). One session per worker.
import * as Comlink from 'comlink';
import { TrainerSession, defaultHooks, type SessionHooks } from './session.ts';
import { createPooledKernels, POOL_THRESHOLD_FLOPS } from './pool.ts';
import { ownBuffers } from './transfer.ts';
import { ThreadManager } from './threads.ts';
import type { PreparedDataset } from '../data/prepared.ts';
import type { TrainConfig } from '../core/types.ts';
import { checkpointWriter, workerSaver } from './checkpoint-writer.ts';
import type {
  CheckpointSink,
  DataShape,
  PrepareOptions,
  StartOptions,
  ThreadChoice,
} from './types.ts';
import type { RangeTestProgress } from './lr-finder.ts';

/** Isolation self-test: writes `value` at `index` of the shared buffer and reports the worker's isolation. */
function probe(
  shared: SharedArrayBuffer,
  index: number,
  value: number,
): { crossOriginIsolated: boolean } {
  const view = new Int32Array(shared);
  Atomics.store(view, index, value);
  Atomics.notify(view, index);
  return { crossOriginIsolated: globalThis.crossOriginIsolated === true };
}

const cores =
  typeof navigator !== 'undefined' && navigator.hardwareConcurrency
    ? navigator.hardwareConcurrency
    : 1;
const canSpawn =
  typeof Worker !== 'undefined' &&
  typeof SharedArrayBuffer !== 'undefined' &&
  globalThis.crossOriginIsolated === true;

function hooks(threads: ThreadManager): SessionHooks {
  return {
    ...defaultHooks(),
    // Measured, not guessed: a short calibration on first need picks the threads that pay on this
    // device (threads.ts); each run keeps its pool only where it pays on its batches (thread-trial.ts).
    chooseHelpers: () => threads.helpers(),
    gflops: (n) => threads.gflops(n),
    canSpawnHelpers: canSpawn,
    poolThresholdFlops: POOL_THRESHOLD_FLOPS,
    createPool: async (trainer, helpers) => {
      const memory = trainer.arena.memory as WebAssembly.Memory | null;
      if (!memory) return null;
      const scratch = Array.from({ length: helpers + 1 }, (_, r) => {
        const e = trainer.plan.layout.buffers[`scratch${r}`];
        return { offset: e.offset, bytes: e.rows * e.cols * 4 };
      });
      try {
        return await createPooledKernels(memory, { helpers, scratch });
      } catch {
        return null;
      }
    },
  };
}

const threadManager = new ThreadManager(cores, canSpawn);
const session = new TrainerSession(hooks(threadManager));

/** The thread choice (calibrating first, once), with what the prepared run's helpers computed. */
async function threads(): Promise<ThreadChoice> {
  await threadManager.calibrate();
  return threadManager.choice(session.threadUse());
}

export const api = {
  probe,
  load: (dataset: PreparedDataset) => session.load(dataset),
  prepare: (config: TrainConfig, opts?: PrepareOptions) => session.prepare(config, opts),
  views: () => session.views(),
  /** Comlink carries a callback only as a top-level argument: pass Comlink.proxy(fn) as `onCheckpoint`.
   *  With `opts.writeTo` (the lab's database name) and a `sink` (Comlink.proxy of a CheckpointSink),
   *  this worker writes each checkpoint into the database itself and the page hears only a notice
   *  without the parameters; else each checkpoint goes to `onCheckpoint` whole. */
  start: (
    config?: TrainConfig,
    opts?: Omit<StartOptions, 'onCheckpoint'> & { writeTo?: string },
    onCheckpoint?: StartOptions['onCheckpoint'],
    sink?: CheckpointSink,
  ) => {
    const { writeTo, ...rest } = opts ?? {};
    const listener: StartOptions['onCheckpoint'] =
      writeTo && sink
        ? checkpointWriter(workerSaver(writeTo), sink)
        : onCheckpoint
          ? // A checkpoint's arrays are handed over, not copied: the page gets tens of MB at once.
            (s) => onCheckpoint(Comlink.transfer(s, ownBuffers(s)))
          : undefined;
    return session.start(config, { ...rest, onCheckpoint: listener });
  },
  pause: () => session.pause(),
  resume: () => session.resume(),
  step: (kind?: 'batch' | 'epoch') => session.step(kind),
  stop: () => session.stop(),
  poll: () => session.poll(),
  predict: (x: Float32Array, m: number) => {
    const out = session.predict(x, m);
    return Comlink.transfer(out, [out.buffer]);
  },
  evaluate: (split: 'train' | 'dev' | 'test') => session.evaluate(split),
  snapshot: () => session.snapshot(),
  /** A learning-rate range test for this configuration on the loaded data (LrRangeResult); pass
   *  Comlink.proxy(fn) as `onProgress` to hear the mini-batches done and the rate reached. */
  findLearningRate: (config: TrainConfig, onProgress?: RangeTestProgress) =>
    session.findLearningRate(config, onProgress),
  /** What a run with `config` on data of `shape` will cost (RunEstimate): arena bytes against
   *  `budgetBytes`, time per epoch from a short probe. */
  estimate: (shape: DataShape, config: TrainConfig, budgetBytes?: number) =>
    session.estimate(shape, config, budgetBytes),
  gradientCheck: (opts?: { examples?: number; epsilon?: number; maxPerLayer?: number }) =>
    session.gradientCheck(opts),
  inspect: () => session.inspect(),
  /** Threads big products run on (ThreadChoice): calibrated on first call, within the cap. */
  threads,
  /** Caps the threads (null: automatic) from the next prepared run; returns the new choice. */
  setThreadCap: (cap: number | null) => {
    threadManager.setCap(cap);
    return threads();
  },
  reset: () => session.reset(),
};
