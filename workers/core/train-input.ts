// What the planned trainer is built from, and the checks that refuse bad input with a message naming
// the field, the column or the example (before anything is planned).
import type { Floats, PackedNetwork, PackedResumeState } from './packed.ts';
import type { Arena } from './arena.ts';
import type { Kernels } from './kernels/types.ts';
import type { BufferOffsets, Split } from './plan.ts';
import { INITS, OPTIMIZERS, type NetworkSpec, type Task, type TrainConfig } from './types.ts';
import { MessageError, msg } from '../messages/index.ts';

/** One split of the data: X (n_x, m) and Y (n_y, m), row-major (same shape as PreparedSplit). */
export interface SplitData {
  m: number;
  x: Float32Array;
  y: Float32Array;
}

export interface PlannedTrainerInput {
  spec: NetworkSpec;
  config: TrainConfig;
  task: Task;
  data: { train: SplitData; dev?: SplitData; test?: SplitData };
  featureNames?: string[];
  targetScale?: { mean: number; std: number } | null;
  /** Start from these parameters instead of initializing from config.init / config.seed. */
  params?: PackedNetwork['params'];
  /** Builds the kernels on the arena (default: the TypeScript reference). */
  kernels?: (arena: Arena) => Kernels;
  /** Use a shared memory when possible (default true). */
  shared?: boolean;
  /** Clock in ms (default performance.now or Date.now); the worker passes performance.now. */
  now?: () => number;
  scratchBytes?: number;
  scratchRegions?: number;
  /** Epochs already trained (resuming a checkpoint): this run trains config.epochs - startEpoch more,
   *  numbering its history rows from startEpoch + 1. Default 0, or resume.epoch. */
  startEpoch?: number;
  /** A checkpoint's state (with its parameters in `params`): the run continues exactly where it was
   *  taken, mid-epoch included. Without it a resume starts the optimizer and the generator afresh. */
  resume?: PackedResumeState;
  /** 'wasm': the sigmoid/tanh pass in WebAssembly SIMD when the memory allows it (the worker's
   *  choice); 'js' (default): plain JavaScript with Math.exp / Math.tanh. */
  elementwise?: 'wasm' | 'js';
  /** false: finite blow-ups and plateaus do not end the run (a learning-rate range test). Default true. */
  watch?: boolean;
}

/** Throws, naming the field, when a TrainConfig cannot be trained. */
export function assertTrainConfig(c: TrainConfig): void {
  const bad = (field: string, value: unknown) => {
    throw new MessageError(msg('trainer.config.bad', { field, value: String(value) }));
  };
  if (!(c.learningRate > 0 && Number.isFinite(c.learningRate))) bad('learningRate', c.learningRate);
  if (!(Number.isInteger(c.epochs) && c.epochs >= 1)) bad('epochs', c.epochs);
  if (c.optimizer !== 'gd' && !(Number.isInteger(c.batchSize) && c.batchSize >= 1))
    bad('batchSize', c.batchSize);
  if (!(c.lambda >= 0 && Number.isFinite(c.lambda))) bad('lambda', c.lambda);
  if (!Number.isFinite(c.seed)) bad('seed', c.seed);
  if (c.patience !== undefined && !(Number.isInteger(c.patience) && c.patience >= 0))
    bad('patience', c.patience);
  if (c.optimizer === 'momentum' || c.optimizer === 'adam') {
    if (!(c.beta1 >= 0 && c.beta1 < 1)) bad('beta1', c.beta1);
  }
  if (c.optimizer === 'adam' && !(c.beta2 >= 0 && c.beta2 < 1)) bad('beta2', c.beta2);
  if (!(OPTIMIZERS as readonly string[]).includes(c.optimizer)) bad('optimizer', c.optimizer);
  if (!(INITS as readonly string[]).includes(c.init)) bad('init', c.init);
}

/** Throws, naming the split, column and example, when the data does not fit the spec or holds a
 *  value that is not a number (it would only show up later as a NaN loss). */
export function assertTrainData(
  spec: NetworkSpec,
  splits: Record<'train' | 'dev' | 'test', SplitData>,
  featureNames: readonly string[] = [],
): void {
  for (const [name, s] of Object.entries(splits)) {
    if (s.x.length !== spec.inputs * s.m)
      throw new Error(
        `The ${name} split's X should be ${spec.inputs} x ${s.m} (${spec.inputs * s.m} values) but has ${s.x.length}.`,
      );
    if (s.y.length !== spec.outputs * s.m)
      throw new Error(
        `The ${name} split's Y should be ${spec.outputs} x ${s.m} (${spec.outputs * s.m} values) but has ${s.y.length}.`,
      );
  }
  for (const [name, sp] of Object.entries(splits)) {
    for (let f = 0; f < spec.inputs; f++) {
      for (let j = 0; j < sp.m; j++) {
        if (!Number.isFinite(sp.x[f * sp.m + j])) {
          throw new MessageError(
            msg('trainer.data.notNumber', {
              column: featureNames[f] ?? String(f + 1),
              value: String(sp.x[f * sp.m + j]),
              example: j + 1,
              split: name,
            }),
          );
        }
      }
    }
    for (let i = 0; i < sp.y.length; i++) {
      if (!Number.isFinite(sp.y[i]))
        throw new MessageError(
          msg('trainer.data.targetNotNumber', { example: (i % sp.m) + 1, split: name }),
        );
    }
  }
}

/** Throws, in words that say what to do, when a checkpoint's state cannot continue this run. */
export function assertResumeState(
  s: PackedResumeState,
  p: {
    config: TrainConfig;
    startEpoch: number;
    batchesPerEpoch: number;
    mTrain: number;
    /** Float32 elements of the parameter block (v, s and the rollback copy have as many). */
    paramCount: number;
    hasParams: boolean;
  },
): void {
  const bad = (what: string) => {
    throw new Error(`The saved training state cannot continue this run: ${what}.`);
  };
  if (!s || s.version !== 1) bad('it comes from another version of the app');
  if (!p.hasParams) bad('its parameters are missing');
  if (s.optimizer !== p.config.optimizer)
    bad(`it was saved with the ${s.optimizer} optimizer, this run uses ${p.config.optimizer}`);
  if (s.epoch !== p.startEpoch)
    bad(`it is at epoch ${s.epoch}, the run resumes after ${p.startEpoch}`);
  if (!(Number.isInteger(s.batch) && s.batch >= 0 && s.batch < p.batchesPerEpoch))
    bad(`batch ${s.batch} does not exist in an epoch of ${p.batchesPerEpoch} batches`);
  if (p.config.optimizer !== 'gd') {
    if (s.perm.length !== p.mTrain || s.perm.some((i) => !(i >= 0 && i < p.mTrain)))
      bad(
        `it shuffled ${s.perm.length} training examples, the data has ${p.mTrain}; load the run's own data`,
      );
  }
  if (!Array.isArray(s.rng) || s.rng.length !== 4) bad('the generator state is damaged');
  const block = (a: Floats | null, name: string, wanted: boolean) => {
    if (wanted ? a?.length !== p.paramCount : a !== null && a.length > 0)
      bad(
        `its ${name} does not fit this network (${a?.length ?? 0} values, ${p.paramCount} expected)`,
      );
  };
  block(s.v, 'first moment v', p.config.optimizer === 'momentum' || p.config.optimizer === 'adam');
  block(s.s, 'second moment s', p.config.optimizer === 'adam');
  if (s.backup) block(s.backup, 'rollback copy', true);
  if (s.watch) {
    const w = s.watch;
    if (!(Number.isInteger(w.bestEpoch) && w.bestEpoch >= 0 && w.bestEpoch <= s.epoch))
      bad(`its best epoch ${w.bestEpoch} is not one of its ${s.epoch} epochs`);
    if (w.bestParams) block(w.bestParams, 'best parameters', true);
    else if (w.bestEpoch > 0 && (s.batch > 0 || w.bestEpoch !== s.epoch))
      bad('the parameters of its best epoch are missing');
  }
}

/** Throws when a run of config.epochs cannot resume after `epoch` epochs; returns it. */
export function assertStartEpoch(epoch: number, config: TrainConfig): number {
  if (!(Number.isInteger(epoch) && epoch >= 0) || epoch >= config.epochs)
    throw new MessageError(msg('trainer.resume.epochs', { epochs: config.epochs, epoch }));
  return epoch;
}

/** Copies the splits into the arena (the training X example-major when the plan says so) and
 *  records each feature's max |x| on the training split (for the divergence doctor). */
export function loadSplits(
  heap: Float32Array,
  o: BufferOffsets,
  nx: number,
  splits: Record<Split, SplitData>,
  featureMaxAbs: Float32Array,
): void {
  for (const s of ['train', 'dev', 'test'] as const) {
    const { x, y, m } = splits[s];
    if (s === 'train' && o.trainT) {
      for (let f = 0; f < nx; f++)
        for (let j = 0; j < m; j++) heap[o.X.train + j * nx + f] = x[f * m + j];
    } else heap.set(x, o.X[s]);
    heap.set(y, o.Y[s]);
  }
  const { x, m } = splits.train;
  for (let f = 0; f < nx; f++) {
    let mx = 0;
    for (let j = 0; j < m; j++) mx = Math.max(mx, Math.abs(x[f * m + j]));
    featureMaxAbs[f] = mx;
  }
}
