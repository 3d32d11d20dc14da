// A small network and an Adam resume state (with the epoch watch) for the tests of packing: float32
// values, a third, the smallest subnormal, -0 and a huge weight, which must all come back exactly.
import type { ResumeState, SerializedNetwork, TrainConfig } from './types.ts';

export const f32 = (x: number) => Math.fround(x);
export const net: SerializedNetwork = {
  format: 'backprop-lab/network',
  version: 1,
  spec: {
    inputs: 2,
    outputs: 1,
    output: 'sigmoid',
    hidden: [{ units: 2, activation: 'relu', keepProb: 1 }],
  },
  params: [
    { W: [f32(0.1), f32(-0.2), 1 / 3, 2 ** -1074], b: [0, -0] },
    { W: [f32(1.7), -1e300], b: [f32(0.3)] },
  ],
};
/** Training settings of `net`'s shape (the run record a checkpoint of it belongs to). */
export const netConfig: TrainConfig = {
  hidden: [{ units: 2, activation: 'relu', keepProb: 1 }],
  init: 'he',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 2,
  epochs: 5,
  lambda: 0,
  seed: 1,
  beta1: 0.9,
  beta2: 0.999,
};
export const state: ResumeState = {
  version: 1,
  optimizer: 'adam',
  epoch: 2,
  batch: 1,
  rng: [1, 2, 3, 4],
  perm: [2, 0, 1],
  v: [f32(0.5), 1e-30, 0, 1, 2, 3, 4, 5, 6],
  s: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  t: 7,
  sums: { loss: 1.5, correct: 2, sqErr: 0, seen: 3, ms: 4.5 },
  elapsedMs: 12,
  backup: [9, 8, 7, 6, 5, 4, 3, 2, 1],
  watch: {
    bestEpoch: 1,
    bestLoss: 0.25,
    bestParams: [f32(0.7), 1, 2, 3, 4, 5, 6, 7, 8],
    sinceBest: 1,
    minTrainLoss: 0.2,
    plateau: 0,
    stopped: false,
  },
};
