// Test helper for store.browser.test.ts: a worker that records a run the way a trainer worker could.
import { openLabStore } from './store.ts';
import { saveCheckpoint, startRun } from './runs.ts';
import type { EpochMetrics, SerializedNetwork } from '../core/types.ts';

const row = (epoch: number): EpochMetrics => ({
  epoch,
  trainLoss: 1 / epoch,
  devLoss: 1 / epoch,
  trainAccuracy: 0.5,
  devAccuracy: 0.5,
  trainRmse: NaN,
  devRmse: NaN,
  examplesPerSecond: 1,
  elapsedMs: epoch,
});
const net: SerializedNetwork = {
  format: 'backprop-lab/network',
  version: 1,
  spec: { inputs: 1, hidden: [], outputs: 1, output: 'sigmoid' },
  params: [{ W: [0.25], b: [0.5] }],
};

self.onmessage = async (e: MessageEvent<{ name: string }>) => {
  try {
    const store = await openLabStore({ name: e.data.name, onFirstWrite: () => undefined });
    const { run } = await startRun(store, {
      name: 'from the worker',
      config: {
        hidden: [],
        init: 'xavier',
        optimizer: 'sgd',
        learningRate: 0.1,
        batchSize: 4,
        epochs: 10,
        lambda: 0,
        seed: 5,
        beta1: 0.9,
        beta2: 0.999,
      },
      datasetHash: null,
      datasetName: 'd',
      recipe: null,
      spec: net.spec,
      task: 'binary',
      targetName: 'y',
      featureNames: ['x'],
      classLabels: ['a', 'b'],
      targetScale: null,
    });
    await saveCheckpoint(store, run.id, { history: [row(1)], network: net });
    await saveCheckpoint(store, run.id, { history: [row(1), row(2)], network: net });
    self.postMessage({ runId: run.id, inMemory: store.inMemory });
    // The run's lock stays held: this worker is "training" until it is terminated.
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
