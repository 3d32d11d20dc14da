// Plain-data types shared by the engine, the trainer, the store and the UI. No behaviour here.
// Notation of the seed notes: X is (n_x, m), W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).

export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'linear';
/** The output layer's activation; it fixes the loss: sigmoid -> binary cross-entropy,
 * softmax -> categorical cross-entropy, linear -> mean squared error. */
export type OutputActivation = 'sigmoid' | 'softmax' | 'linear';
export type Loss = 'binary_cross_entropy' | 'categorical_cross_entropy' | 'mse';
export type Init = 'zeros' | 'random' | 'xavier' | 'he';
/** gd: batch gradient descent (one batch = the whole training set); sgd: mini-batch SGD. */
export type OptimizerName = 'gd' | 'sgd' | 'momentum' | 'adam';
export type Task = 'binary' | 'multiclass' | 'regression';

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

export type TrainingState = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'diverged' | 'interrupted';

/** One row of a run's history, written once per epoch. NaN where a value does not apply
 * (accuracy for regression, RMSE for classification, dev metrics with an empty dev split). */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  devLoss: number;
  trainAccuracy: number;
  devAccuracy: number;
  trainRmse: number;
  devRmse: number;
  examplesPerSecond: number;
  elapsedMs: number;
}

/** Why a run diverged, in words a student understands, with a suggested fix. */
export interface Divergence {
  epoch: number;
  step: number;
  cause: string;
  fix: { label: string; learningRate?: number; lambda?: number };
}
