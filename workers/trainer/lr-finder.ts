// The learning-rate range test in the trainer worker (core/lr-range.ts): on a trainer of its own (a
// seeded sample of the training split, the run's network from the settings' initialization and seed,
// the run's kernels), in slices of ~15 ms between which the worker answers other calls. Offered before
// training ("Find a learning rate"), and run by the divergence doctor so its fix proposes a rate that
// lowered the loss rather than a guess. Never touches a run's arena or weights.
import { LrRangeTest, rangeTestTrainer } from '../core/lr-range.ts';
import { withTestedRate } from '../core/diverge.ts';
import { specFor } from '../core/types.ts';
import { singleThreadKernels } from '../core/kernels/select.ts';
import type { Divergence, LrRangeResult, TrainConfig } from '../core/types.ts';
import type { PreparedDataset } from '../data/prepared.ts';
import type { SessionHooks } from './hooks.ts';

const SLICE_MS = 15;
/** Progress is reported at most this often (a message to the page each time). */
const PROGRESS_MS = 100;

/** Hears a range test's progress: the mini-batches done and the rate of the last one. */
export type RangeTestProgress = (steps: number, lr: number) => void;

/** Runs a range test for `config` on the dataset's training split. */
export async function findLearningRate(
  ds: PreparedDataset,
  config: TrainConfig,
  hooks: SessionHooks,
  kernels: 'auto' | 'ts' = 'auto',
  onProgress?: RangeTestProgress,
): Promise<LrRangeResult> {
  const ny = ds.train.y.length / ds.train.m;
  const trainer = rangeTestTrainer({
    spec: specFor(ds.task, ds.featureNames.length, ny, config.hidden),
    config,
    task: ds.task,
    train: ds.train,
    featureNames: ds.featureNames,
    targetScale: ds.targetScale,
    elementwise: kernels === 'auto' ? 'wasm' : 'js',
    kernels: (arena) => singleThreadKernels(arena, kernels),
    now: hooks.now,
  });
  const test = new LrRangeTest(trainer);
  let told = hooks.now();
  for (;;) {
    const end = hooks.now() + SLICE_MS;
    while (hooks.now() < end) if (!test.step()) return test.result();
    const last = test.points.at(-1);
    if (onProgress && last && hooks.now() - told >= PROGRESS_MS) {
      told = hooks.now();
      onProgress(test.points.length, last.lr);
    }
    await hooks.yieldToEvents();
  }
}

/** The doctor's prescription after a divergence at config.learningRate: the range test's rate when it
 *  found one below the rate that diverged (else the diagnosis keeps its lower fallback rate). */
export function prescribe(d: Divergence, test: LrRangeResult, config: TrainConfig): Divergence {
  const rate = test.suggested;
  return rate !== null && rate < config.learningRate ? withTestedRate(d, rate) : d;
}
