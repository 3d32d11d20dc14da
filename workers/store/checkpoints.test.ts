// Checkpoints are stored packed (Float64Array: one memory copy for the page and IndexedDB) and read
// back plain; records written before packing still read.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { packNetwork, packResume } from '../core/packed.ts';
import { net, netConfig, state } from '../core/packed.test-support.ts';
import { LabStore } from './store.ts';
import { createRun, getCheckpoint, resumePoint, saveCheckpoint } from './runs.ts';
import { newRunInput } from './fixtures.test-support.ts';

describe('stored checkpoints', () => {
  it('a checkpoint is stored packed and read back plain; an older plain record still reads', async () => {
    const store = new LabStore({ name: 'packed-cp', broadcast: false, onFirstWrite: () => {} });
    try {
      const run = await createRun(store, newRunInput(net.spec, netConfig));
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
