// Checkpoints are stored packed (Float64Array: one memory copy for the page and IndexedDB) and read
// back plain; records written before packing still read.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { packNetwork, packResume } from '../core/packed.ts';
import type { ResumeState, SerializedNetwork } from '../core/types.ts';
import { LabStore } from './store.ts';
import { createRun, getCheckpoint, resumePoint, saveCheckpoint } from './runs.ts';

const f32 = (x: number) => Math.fround(x);
const net: SerializedNetwork = {
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
const state: ResumeState = {
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
};

describe('stored checkpoints', () => {
  it('a checkpoint is stored packed and read back plain; an older plain record still reads', async () => {
    const store = new LabStore({ name: 'packed-cp', broadcast: false, onFirstWrite: () => {} });
    try {
      const config = {
        hidden: [{ units: 2, activation: 'relu' as const, keepProb: 1 }],
        init: 'he' as const,
        optimizer: 'adam' as const,
        learningRate: 0.01,
        batchSize: 2,
        epochs: 5,
        lambda: 0,
        seed: 1,
        beta1: 0.9,
        beta2: 0.999,
      };
      const run = await createRun(store, {
        config,
        datasetHash: null,
        datasetName: 'd',
        recipe: null,
        spec: net.spec,
        task: 'binary',
        targetName: 'y',
        featureNames: ['a', 'b'],
        classLabels: ['0', '1'],
        targetScale: null,
      });
      await saveCheckpoint(store, run.id, {
        history: [],
        network: packNetwork(net),
        epoch: 2,
        trainerState: packResume(state),
      });
      const raw = await store.read((db) => db.get('checkpoints', run.id));
      expect(raw!.network.params[0].W).toBeInstanceOf(Float64Array);
      expect(raw!.trainerState!.v).toBeInstanceOf(Float64Array);
      const cp = await getCheckpoint(store, run.id);
      expect(cp!.network).toEqual(net);
      expect(cp!.trainerState).toEqual(state);
      expect((await resumePoint(store, run.id)).trainerState).toEqual(state);

      // As written before packing: plain arrays.
      await store.write(['checkpoints'], async (tx) => {
        await tx.objectStore('checkpoints').put({ ...raw!, network: net, trainerState: state });
      });
      expect((await getCheckpoint(store, run.id))!.network).toEqual(net);
      expect((await resumePoint(store, run.id)).trainerState).toEqual(state);
    } finally {
      await store.close();
      indexedDB.deleteDatabase('packed-cp');
    }
  });
});
