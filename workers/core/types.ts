// Plain data shared by the engine, the trainer, the store and the page: types, the lists every select
// and validator uses, and the constants of the maths. No behaviour here but shape arithmetic on these
// types; the page may import this file (it is the one copy the maths panel shows).
// Notation of the seed notes: X is (n_x, m), W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).

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

/** Why a run diverged, in words a student understands, with a suggested fix. */
export interface Divergence {
  epoch: number;
  step: number;
  cause: string;
  fix: { label: string; learningRate?: number; lambda?: number };
}
