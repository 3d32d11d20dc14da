// Tests only: a small network, training settings, a model and a run record to build files from.
import type { NetworkSpec, SerializedNetwork, TrainConfig } from '../core/types.ts';
import { createNetwork, serialize } from '../core/network.ts';
import type { NewModel } from './models.ts';
import type { NewRun } from './runs.ts';

export function network(): SerializedNetwork {
  return serialize(
    createNetwork(
      {
        inputs: 2,
        hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
        outputs: 1,
        output: 'sigmoid',
      },
      { init: 'xavier', seed: 7 },
    ),
  );
}

export const config: TrainConfig = {
  hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 32,
  epochs: 5,
  lambda: 0,
  seed: 3,
  beta1: 0.9,
  beta2: 0.999,
};

export function model(name = 'circle'): NewModel & { network: SerializedNetwork } {
  return {
    name,
    network: network(),
    recipe: null,
    task: 'binary',
    targetName: 'label',
    featureNames: ['x', 'y'],
    classLabels: ['out', 'in'],
    targetScale: null,
    metrics: { testAccuracy: 0.97, testRmse: NaN },
    runId: null,
    datasetHash: null,
  };
}

/** What createRun needs for a small two-feature binary run of a network shaped `spec`. */
export function newRunInput(spec: NetworkSpec, cfg: TrainConfig = config): NewRun {
  return {
    config: cfg,
    datasetHash: null,
    datasetName: 'd',
    recipe: null,
    spec,
    task: 'binary',
    targetName: 'y',
    featureNames: ['a', 'b'],
    classLabels: ['0', '1'],
    targetScale: null,
  };
}

export function runRecordStub() {
  return {
    id: 'run-1',
    name: 'r',
    created: 1,
    updated: 1,
    status: 'completed' as const,
    config,
    seed: 3,
    datasetHash: null,
    datasetName: 'd',
    recipe: null,
    spec: network().spec,
    task: 'binary' as const,
    targetName: 'label',
    featureNames: ['x', 'y'],
    classLabels: ['a', 'b'],
    targetScale: null,
    history: [
      {
        epoch: 1,
        trainLoss: 0.5,
        devLoss: 0.6,
        trainAccuracy: 0.7,
        devAccuracy: 0.6,
        trainRmse: NaN,
        devRmse: NaN,
        examplesPerSecond: 10,
        elapsedMs: 5,
      },
    ],
    final: { testAccuracy: 0.8 },
    divergence: null,
    timings: { startedAt: 1, endedAt: 2, elapsedMs: 1 },
    checkpointEpoch: 1,
  };
}
