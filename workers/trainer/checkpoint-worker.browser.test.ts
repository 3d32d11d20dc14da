// The checkpoint worker (headless Chromium): the trainer's side hands a checkpoint's arrays over to
// it, and IndexedDB clones them there, not on the thread that trains.
import { afterEach, describe, expect, it } from 'vitest';
import { packNetwork, packResume } from '../core/packed.ts';
import { net, netConfig as config, state } from '../core/packed.test-support.ts';
import { LabStore } from '../store/store.ts';
import { createRun, getCheckpoint } from '../store/runs.ts';
import { newRunInput } from '../store/fixtures.test-support.ts';
import { ownBuffers } from './transfer.ts';
import { workerSaver } from './checkpoint-writer.ts';
import type { EpochMetrics } from '../core/types.ts';

const rows = [1, 2].map((epoch) => ({ epoch, trainLoss: 1 / epoch }) as EpochMetrics);

let store: LabStore | null = null;
let db = '';
afterEach(async () => {
  await store?.close();
  indexedDB.deleteDatabase(db);
});

async function newRun(): Promise<string> {
  db = `checkpoint-worker-${Date.now()}-${Math.random()}`;
  store = new LabStore({ name: db, broadcast: false, onFirstWrite: () => {} });
  return (await createRun(store, newRunInput(net.spec, config))).id;
}

describe('the checkpoint worker', () => {
  it('receives the arrays (no longer here once handed over) and writes the checkpoint', async () => {
    const runId = await newRun();
    const cp = {
      history: rows,
      network: packNetwork(net),
      epoch: 2,
      elapsedMs: 20,
      trainerState: packResume({ ...state, epoch: 2 }),
    };
    const buffers = ownBuffers(cp);
    expect(buffers.length).toBeGreaterThan(1);
    const written = await workerSaver(db)(runId, cp);
    expect(written).toEqual({ ok: true });
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true);
    const saved = await getCheckpoint(store!, runId);
    expect(saved!.epoch).toBe(2);
    expect(saved!.network.params.map((p) => p.W)).toEqual(net.params.map((p) => p.W));
    expect(saved!.trainerState).toEqual({ ...state, epoch: 2 });
  });

  it('tells how a failed write ended, as a message the page translates', async () => {
    await newRun();
    const cp = { history: rows, network: packNetwork(net), epoch: 2, elapsedMs: 20 };
    expect(await workerSaver(db)('no-such-run', cp)).toEqual({
      ok: false,
      quota: false,
      error: { key: 'store.error.runDeletedProgress' },
    });
  });
});
