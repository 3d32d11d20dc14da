// Plain data shared by the engine, the trainer, the store and the page: types, the lists every select
// and validator uses, and the constants of the maths. No behaviour here but shape arithmetic on these
// types; the page may import this file (it is the one copy the maths panel shows).
// Notation of the seed notes: X is (n_x, m), W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).
import type { Msg } from '../messages/index.ts';

/** Hidden-layer activations, in the order the notes introduce them. */
export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/** The output layer's activation; it fixes the loss: sigmoid -> binary cross-entropy,
 * softmax -> categorical cross-entropy, linear -> mean squared error. */
export const OUTPUT_ACTIVATIONS = ['sigmoid', 'softmax', 'linear'] as const;
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];
export const LOSSES = ['binary_cross_entropy', 'categorical_cross_entropy', 'mse'] as const;
export type Loss = (typeof LOSSES)[number];
/** Weight initializations, from the worst to the best (the init lab shows them in this order). */
export const INITS = ['zeros', 'random', 'xavier', 'he'] as const;
export type Init = (typeof INITS)[number];
/** gd: batch gradient descent (one batch = the whole training set); sgd: mini-batch SGD. */
export const OPTIMIZERS = ['gd', 'sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const TASKS = ['binary', 'multiclass', 'regression'] as const;
export type Task = (typeof TASKS)[number];

/** Regression targets are standardized for training: y_std = (y - mean) / std, undone at prediction. */
export interface TargetScale {
  mean: number;
  std: number;
}

// ---------------------------------------------------------------- constants of the maths
// The engine computes with these and the maths panel shows these: never write the numbers elsewhere.

/** Leaky ReLU: g(z) = z for z > 0, LEAKY_RELU_SLOPE * z otherwise. */
export const LEAKY_RELU_SLOPE = 0.01;
/** "Random" initialization: W = randn * RANDOM_INIT_SCALE (the notes' 0.01). */
export const RANDOM_INIT_SCALE = 0.01;
/** Adam's epsilon in W -= alpha v_hat / (sqrt(s_hat) + epsilon); 1e-7 suits float32. */
export const ADAM_EPSILON = 1e-7;
/** Default momentum coefficient (also Adam's beta1) and Adam's beta2. */
export const DEFAULT_BETA1 = 0.9;
export const DEFAULT_BETA2 = 0.999;
/** Gradient check: a relative difference below GRADCHECK_RIGHT is right, above GRADCHECK_WRONG wrong. */
export const GRADCHECK_RIGHT = 1e-7;
export const GRADCHECK_WRONG = 1e-3;
/** Central-difference step of the gradient check. */
export const GRADCHECK_EPSILON = 1e-6;
/** When a run diverges, an input column whose absolute values exceed this is named as "not scaled". */
export const UNSCALED_FEATURE_LIMIT = 1000;
/** The trainer hands the page a checkpoint at least this often (ms of training), and at pause/end. */
export const CHECKPOINT_EVERY_MS = 2000;

// ---------------------------------------------------------------- the epoch watch (watch.ts)
// After each epoch the trainer compares the epoch's training loss with the loss of a constant
// prediction (the training split's class shares, or its mean for regression) and with its best.

/** A finite blow-up: the epoch's training loss is above BLOWUP_FACTOR x min(its best, the constant
 *  prediction's loss) and above the constant prediction's loss. */
export const BLOWUP_FACTOR = 10;
/** A plateau above the constant prediction: PLATEAU_EPOCHS epochs in a row with a training loss above
 *  PLATEAU_MARGIN x the constant prediction's loss and above its lowest so far. */
export const PLATEAU_EPOCHS = 3;
export const PLATEAU_MARGIN = 1.1;
/** Early stopping: a dev loss counts as better when below best x (1 - EARLY_STOP_MIN_DELTA). */
export const EARLY_STOP_MIN_DELTA = 1e-4;
/** Early stopping's patience is chosen so that about this many optimizer steps pass without a better
 *  dev loss before a run stops, within [PATIENCE_MIN, PATIENCE_MAX] epochs. */
export const PATIENCE_STEPS = 300;
export const PATIENCE_MIN = 5;
export const PATIENCE_MAX = 50;

/** Early stopping's patience for a training split of `examples` cut in batches of `batchSize` (the
 *  whole split for gd): about PATIENCE_STEPS steps, within [PATIENCE_MIN, PATIENCE_MAX] epochs. */
export function patienceFor(examples: number, batchSize: number, optimizer: OptimizerName): number {
  const perEpoch =
    optimizer === 'gd' ? 1 : Math.max(1, Math.ceil(examples / Math.max(1, batchSize)));
  return Math.min(PATIENCE_MAX, Math.max(PATIENCE_MIN, Math.ceil(PATIENCE_STEPS / perEpoch)));
}

// ---------------------------------------------------------------- learning-rate range test (lr-range.ts)

/** The range test raises the learning rate geometrically from LR_RANGE.min to LR_RANGE.max over
 *  LR_RANGE.steps mini-batches on a copy of the weights, and stops early once the smoothed loss
 *  exceeds LR_RANGE.stopFactor x its minimum. The suggested rate lies in the valley of the smoothed
 *  loss (lr-range.ts). */
export const LR_RANGE = {
  min: 1e-6,
  max: 10,
  steps: 200,
  /** Exponential moving average of the batch loss: avg = beta avg + (1 - beta) loss (debiased). */
  smoothing: 0.9,
  stopFactor: 4,
  /** No suggestion unless the smoothed loss fell at least this fraction below its start. */
  minDrop: 0.1,
  /** The test trains on at most this many training examples (a seeded sample). */
  maxExamples: 8192,
} as const;

/** One point of a range test's curve: the learning rate of a batch and the smoothed loss after it. */
export interface LrRangePoint {
  lr: number;
  loss: number;
}

/** What a learning-rate range test found. */
export interface LrRangeResult {
  optimizer: OptimizerName;
  points: LrRangePoint[];
  /** The suggested learning rate (two significant digits), or null when the loss never went down. */
  suggested: number | null;
  /** The rate at the smoothed loss's minimum, and that minimum. */
  minLr: number | null;
  minLoss: number | null;
  /** Mini-batches the test ran. */
  steps: number;
}

// ---------------------------------------------------------------- shared memory of a session
// The control block (Int32, Atomics) and the history block (Float64): the trainer writes state and
// counters and reads the command flags; the page does the opposite.

/** Int32 slots of the control block. */
export const CTRL = {
  /** TrainingState as an index into STATES. Written by the trainer. */
  STATE: 0,
  /** Epochs completed (counting a resumed checkpoint's epochs). */
  EPOCH: 1,
  /** Batches completed in the current epoch. */
  STEP: 2,
  /** Batches completed in the run. */
  TOTAL_STEPS: 3,
  /** Command: 1 = stop (acknowledged within one batch). */
  STOP: 4,
  /** Command: 1 = pause, 0 = run. */
  PAUSE: 5,
  /** Command: while paused, 1 = run one batch, 2 = run one epoch (the trainer clears it). */
  STEP_REQ: 6,
  /** Rows written in the history block (this run's epochs only). */
  HISTORY_LEN: 7,
  /** Epochs planned in all (config.epochs). */
  EPOCHS: 8,
  /** Batches per epoch. */
  BATCHES_PER_EPOCH: 9,
  /** Increments after every parameter update (live views can tell a new state). */
  PARAMS_VERSION: 10,
  /** Futex word: bumped (Atomics.add + notify) with every command so a paused trainer wakes. */
  WAKE: 11,
  /** Columns (m) of the last mini-batch (for the inspect panel). */
  LAST_COLS: 12,
  /** The epoch (counted as EPOCH) of the best dev loss so far, 0 before any; with early stopping on,
   *  the parameters a finished run keeps. Written by the trainer. */
  BEST_EPOCH: 13,
  /** Threads the run's big products are split over since its last thread trial (0: no trial yet;
   *  workers/trainer/thread-trial.ts). Written by the trainer. */
  THREADS: 14,
} as const;
export const CTRL_SLOTS = 16;

/** Float64 slots of the live block. */
export const LIVE = {
  /** Data loss of the last mini-batch. */
  BATCH_LOSS: 0,
  /** Compute time of the run so far, ms. */
  ELAPSED_MS: 1,
} as const;
export const LIVE_SLOTS = 4;

export const STATES = [
  'idle',
  'running',
  'paused',
  'done',
  'stopped',
  'diverged',
  'interrupted',
] as const;
export type TrainingState = (typeof STATES)[number];

/** Column order of a history row (one row per epoch, Float64). */
export const EPOCH_FIELDS = [
  'epoch',
  'trainLoss',
  'devLoss',
  'trainAccuracy',
  'devAccuracy',
  'trainRmse',
  'devRmse',
  'examplesPerSecond',
  'elapsedMs',
] as const;

/** Layer sizes [n_0 = n_x, n_1, ..., n_L = n_y] of a spec. */
export function layerSizes(spec: NetworkSpec): number[] {
  return [spec.inputs, ...spec.hidden.map((h) => h.units), spec.outputs];
}

/** The output activation a task calls for (it fixes the loss, see OUTPUT_ACTIVATIONS). */
export function outputFor(task: Task): OutputActivation {
  return task === 'binary' ? 'sigmoid' : task === 'multiclass' ? 'softmax' : 'linear';
}

/** The network shape a task and a dataset call for: n_x inputs, n_y outputs (the rows of Y). The
 *  trainer and the maths panels both build their spec here. */
export function specFor(
  task: Task,
  inputs: number,
  outputs: number,
  hidden: HiddenLayerSpec[],
): NetworkSpec {
  return { inputs, outputs, hidden: hidden.map((h) => ({ ...h })), output: outputFor(task) };
}

export interface HiddenLayerSpec {
  units: number;
  activation: Activation;
  /** Inverted-dropout keep probability for this hidden layer (1 = no dropout). */
  keepProb: number;
}

/** The shape of a network: n_x inputs, hidden layers, n_y outputs with the output activation. */
export interface NetworkSpec {
  inputs: number;
  hidden: HiddenLayerSpec[];
  outputs: number;
  output: OutputActivation;
}

/** Everything a run needs besides the data. Plain data: goes through Comlink, the URL hash and IndexedDB. */
export interface TrainConfig {
  hidden: HiddenLayerSpec[];
  init: Init;
  optimizer: OptimizerName;
  learningRate: number;
  /** Mini-batch size (ignored by 'gd', which uses the whole training set). */
  batchSize: number;
  epochs: number;
  /** L2 lambda; the cost gets lambda/(2m) sum W^2 and dW gets (lambda/m) W. */
  lambda: number;
  seed: number;
  /** Momentum coefficient (momentum) and Adam's beta1. */
  beta1: number;
  /** Adam's beta2. */
  beta2: number;
  /** Early stopping: stop after this many epochs without a better dev loss and keep the parameters of
   *  the best epoch. 0 or absent (configurations saved before it existed): off. */
  patience?: number;
}

// ---------------------------------------------------------------- limits of a network and its settings
// The network editor, the URL hash and every stored or imported file are checked against these ranges,
// so a network the editor can build is one a file can carry, and the other way round.

/** A number field's valid range. */
export interface FieldRange {
  min: number;
  max: number;
  /** Whether min itself is allowed. */
  minInclusive: boolean;
  /** Whether max itself is allowed. */
  maxInclusive: boolean;
  integer: boolean;
}

/** Hidden layers a network may have. */
export const MAX_HIDDEN_LAYERS = 8;

/** The numeric fields of TrainConfig. */
export const CONFIG_RANGES = {
  learningRate: { min: 0, max: 1e6, minInclusive: false, maxInclusive: true, integer: false },
  batchSize: { min: 1, max: 65536, minInclusive: true, maxInclusive: true, integer: true },
  epochs: { min: 1, max: 100000, minInclusive: true, maxInclusive: true, integer: true },
  seed: { min: 0, max: 4294967295, minInclusive: true, maxInclusive: true, integer: true },
  lambda: { min: 0, max: 1000, minInclusive: true, maxInclusive: true, integer: false },
  beta1: { min: 0, max: 1, minInclusive: true, maxInclusive: false, integer: false },
  beta2: { min: 0, max: 1, minInclusive: true, maxInclusive: false, integer: false },
  /** Early stopping's patience in epochs (0: off); at most the longest run. */
  patience: { min: 0, max: 100000, minInclusive: true, maxInclusive: true, integer: true },
} as const satisfies Record<string, FieldRange>;

/** The fields of a hidden layer. */
export const LAYER_RANGES = {
  units: { min: 1, max: 1024, minInclusive: true, maxInclusive: true, integer: true },
  keepProb: { min: 0, max: 1, minInclusive: false, maxInclusive: true, integer: false },
} as const satisfies Record<string, FieldRange>;

/** Parameters of one layer as plain arrays, row-major with the notes' shapes. */
export interface LayerParams {
  /** W[l]: n_l x n_{l-1}, row-major, length n_l * n_{l-1}. */
  W: number[];
  /** b[l]: n_l x 1. */
  b: number[];
}

/** A network as plain data (serialize / deserialize round trip). */
export interface SerializedNetwork {
  format: 'backprop-lab/network';
  version: 1;
  spec: NetworkSpec;
  params: LayerParams[];
}

/**
 * What a resume needs besides the parameters to continue a run exactly as an uninterrupted run would,
 * bit for bit (taken between two batches; plain data for Comlink, IndexedDB and JSON). Float32 buffers
 * are kept as plain numbers, which hold float32 values exactly.
 */
export interface ResumeState {
  version: 1;
  /** The optimizer the state belongs to (its v, s, t mean nothing to another). */
  optimizer: OptimizerName;
  /** Epochs completed in all (the resumed run numbers its history rows from epoch + 1). */
  epoch: number;
  /** Batches completed in the epoch in progress (0 between epochs). */
  batch: number;
  /** The seeded generator's 4-word state (next: the rest of this epoch's dropout masks, or the next shuffle). */
  rng: [number, number, number, number];
  /** This epoch's shuffle of the training examples ([] for gd, which does not shuffle). */
  perm: number[];
  /** Momentum's velocity or Adam's first moment over the parameter block W1 b1 W2 b2 ... ([] for gd, sgd). */
  v: number[];
  /** Adam's second moment ([] otherwise). */
  s: number[];
  /** Adam's step count (0 otherwise). */
  t: number;
  /** Running sums of the epoch in progress: data loss, correct count, squared error, examples, compute ms. */
  sums: { loss: number; correct: number; sqErr: number; seen: number; ms: number };
  /** Compute time of the run so far, ms. */
  elapsedMs: number;
  /** The rollback copy (the parameters at the last epoch end, over the block) when the checkpoint is
   *  mid-epoch; null between epochs, where it equals the parameters. */
  backup: number[] | null;
  /** The epoch watch (best epoch, early stopping, blow-ups); absent in checkpoints written before it
   *  existed, which resume with the watch afresh. */
  watch?: WatchState;
}

/** The epoch watch's state (watch.ts), plain data. */
export interface WatchState {
  /** Epoch (counted from the run's start) of the best monitored loss, 0 before any. */
  bestEpoch: number;
  /** That loss (dev loss, or training loss without a dev split); null before any. */
  bestLoss: number | null;
  /** The best epoch's parameters over the block, or null when they are the current parameters. */
  bestParams: number[] | null;
  /** Epochs since the best one. */
  sinceBest: number;
  /** The lowest epoch training loss so far (null before any). */
  minTrainLoss: number | null;
  /** Epochs in a row with a training loss above the constant prediction's and above its lowest. */
  plateau: number;
  /** Whether early stopping ended the run. */
  stopped: boolean;
}

/** One row of a run's history, written once per epoch. NaN where a value does not apply
 * (accuracy for regression, RMSE for classification, dev metrics with an empty dev split). */
export type EpochMetrics = Record<(typeof EPOCH_FIELDS)[number], number>;

// ---------------------------------------------------------------- test metrics (computed in the trainer)

export interface ClassificationMetrics {
  accuracy: number;
  /** confusion[actual][predicted] = count. */
  confusion: number[][];
  /** Per class: of the examples predicted as this class, the fraction that are; NaN when none was predicted. */
  precision: number[];
  /** Per class: of the examples of this class, the fraction found; NaN when the class has no example. */
  recall: number[];
  /** Examples per actual class. */
  support: number[];
  m: number;
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  /** 1 - SS_res / SS_tot; NaN when the actual values are all equal. */
  r2: number;
  m: number;
}

/** The test report of a run: classification or regression metrics. */
export type TestMetrics =
  | {
      task: 'binary' | 'multiclass';
      /** Mean data loss on the test split. */ loss: number;
      classification: ClassificationMetrics;
      labels: string[];
    }
  | { task: 'regression'; loss: number; regression: RegressionMetrics };

/** How a run went wrong: the loss stopped being a number (NaN), grew to infinity, grew past
 *  BLOWUP_FACTOR x its best (finite), or stayed above the constant prediction's loss (plateau). */
export const DIVERGENCE_KINDS = ['nan', 'infinite', 'blowup', 'plateau'] as const;
export type DivergenceKind = (typeof DIVERGENCE_KINDS)[number];

/** Why a run diverged, as messages the page formats (workers/messages), with a suggested fix. */
export interface Divergence {
  /** 1-based epoch and batch where the run stopped (batch 0: at the end of the epoch). */
  epoch: number;
  step: number;
  kind: DivergenceKind;
  /** The last loss seen (NaN, Infinity, or the epoch's training loss). */
  loss: number;
  /** The epoch whose parameters the run went back to (0: the initial ones). */
  restoredEpoch: number;
  cause: Msg;
  fix: { label: Msg; learningRate?: number; lambda?: number };
}
