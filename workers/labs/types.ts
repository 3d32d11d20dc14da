// Plain data shared by the labs' worker and the page: what the maths area asks of the labs and what
// comes back. No behaviour here; everything goes through Comlink as is. The page may import this file
// (its values are plain data); the labs themselves run in workers/labs.worker.ts.
// Notation of the seed notes: X is (n_x, m), Y is (n_y, m), W[l] is (n_l, n_{l-1}).
import type { Activation, Init, NetworkSpec, OutputActivation, Task } from '../core/types.ts';
import type { SyntheticKind } from '../data/types.ts';
import type { Msg } from '../messages/index.ts';

export interface LabSplit {
  /** Examples m. */
  m: number;
  /** X (n_x, m), row-major. */
  x: Float32Array | Float64Array;
  /** Y (n_y, m), row-major. */
  y: Float32Array | Float64Array;
}

export interface LabData {
  task: Task;
  train: LabSplit;
  dev: LabSplit;
}

/** The data a lab works on: the user's prepared splits, or `null` for the example set (made in the
 *  worker). The lab uses the first `maxExamples` examples of each split. */
export interface LabInput {
  data: LabData | null;
  maxExamples: number;
}

/** The example the maths area uses until the user's data is prepared: the data pipeline's seeded
 *  circle set (two features, inside the disk = 1), one split per seed. The worker generates it; the
 *  page reads its shape from here. */
export interface ExampleDataInfo {
  synthetic: SyntheticKind;
  noise: number;
  task: Task;
  targetName: string;
  featureNames: readonly string[];
  classLabels: readonly string[];
  /** Rows of Y (n_y). */
  outputs: number;
  splits: { train: { m: number; seed: number }; dev: { m: number; seed: number } };
}

export const EXAMPLE_DATA: ExampleDataInfo = {
  synthetic: 'circle',
  noise: 0,
  task: 'binary',
  targetName: 'inside',
  featureNames: ['x1', 'x2'],
  classLabels: ['outside', 'inside'],
  outputs: 1,
  splits: { train: { m: 160, seed: 11 }, dev: { m: 60, seed: 12 } },
};

export interface LabRunOptions {
  spec: NetworkSpec;
  init: Init;
  seed: number;
  /** L2 strength. */
  lambda: number;
  learningRate: number;
  epochs: number;
  /** Mini-batch size (>= m means batch gradient descent). */
  batchSize: number;
}

export interface LabVariant {
  id: string;
  label: Msg;
  options: LabRunOptions;
}

export interface RegularizationSettings {
  /** L2 strength used by the "L2" variants (> 0). */
  lambda: number;
  /** Keep probability used on every hidden layer by the "dropout" variants (< 1). */
  keepProb: number;
}

export interface Histogram {
  /** Left edge of the first bin and width of each bin. */
  min: number;
  max: number;
  counts: number[];
  /** Number of values, and how many were not finite (left out). */
  total: number;
  nonFinite: number;
  mean: number;
  std: number;
}

export interface LayerStats {
  layer: number;
  /** Histogram of A[l] over the training examples (no dropout). */
  activations: Histogram;
  /** Histogram of dW[l] over the whole training set. */
  gradients: Histogram;
  /** Largest difference between any unit's incoming weights and bias and those of unit 1 (0: all units identical). */
  unitSpread: number;
  units: number;
}

export interface LabCurves {
  trainLoss: number[];
  devLoss: number[];
  trainAccuracy: number[];
  devAccuracy: number[];
}

export interface LabRunResult {
  id: string;
  label: Msg;
  options: LabRunOptions;
  curves: LabCurves;
  /** Per layer (1..L), before training and after. */
  before: LayerStats[];
  after: LayerStats[];
  /** The run stopped because the loss became NaN or infinite. */
  diverged: boolean;
  epochsRun: number;
  /** Final train and dev error: 1 - accuracy for classification, the loss for regression. */
  final: { train: number; dev: number };
}

/** A lab's answer: one result per variant, and how many training examples it used. */
export interface LabRun {
  examples: number;
  results: LabRunResult[];
}

export interface LabProgress {
  /** Epochs done over all variants, and the total. */
  done: number;
  total: number;
  /** The variant being trained. */
  label: Msg;
}

type Values = Float32Array | Float64Array;

export interface InspectedLayer {
  layer: number;
  /** n_l */
  rows: number;
  /** n_{l-1} */
  cols: number;
  /** The activation's name ('tanh', 'relu', ..., 'softmax'). */
  activation: Activation | OutputActivation | string;
  W: Values;
  b: Values;
  /** rows x m */
  Z: Values;
  A: Values;
  dZ: Values;
  /** rows x cols */
  dW: Values;
  db: Values;
  /** Dropout mask D[l] (rows x m) of this batch, when the layer uses dropout. */
  D?: Values | null;
}

/** One mini-batch's matrices, the shape of the trainer's inspect() (workers/trainer/README.md). */
export interface Inspection {
  epoch: number;
  step: number;
  m: number;
  layers: InspectedLayer[];
  /** (n_x, m) */
  X: Values;
  /** (n_y, m) */
  Y: Values;
}

export interface SandboxOptions {
  spec: NetworkSpec;
  task: Task;
  init: Init;
  seed: number;
  /** Mini-batch size (>= m means the whole training set). */
  batchSize: number;
  learningRate: number;
  lambda: number;
}

/** The gradient check without a training session: on the sandbox's parameters, or on a freshly
 *  initialized network. Dropout is off; at most 64 evenly spaced parameters per layer. */
export interface GradientCheckRequest {
  spec: NetworkSpec;
  lambda: number;
  params: 'sandbox' | { init: Init; seed: number };
}
