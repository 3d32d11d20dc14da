// A full disk while a run trains: the first checkpoint that fails for lack of room stops the saving
// at once (one alert saying what is kept), no more writes are tried, and the student keeps training
// without saving or stops; what was saved before stays whole. The same holds when the trainer worker
// writes the checkpoints into the database itself (a library on disk), which the last tests check.
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Library } from './library.svelte.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import type {
  ResumeFrom,
  RunSummary,
  TrainingLink,
  TrainingSnapshot,
} from './run-recorder.svelte.ts';
import { LabStore } from '../../../workers/store/store.ts';
import { getCheckpoint, getRun } from '../../../workers/store/runs.ts';
import type {
  EpochMetrics,
  SerializedNetwork,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { CheckpointWriting } from '../engine/trainer-client.ts';
import { checkpointWriter } from '../../../workers/trainer/checkpoint-writer.ts';
import { checkpointSaver } from '../../../workers/store/checkpoint-save.ts';
import { packNetwork } from '../../../workers/core/packed.ts';

const config: TrainConfig = {
  hidden: [],
  init: 'xavier',
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 8,
  epochs: 100,
  lambda: 0,
  seed: 1,
  beta1: 0.9,
  beta2: 0.999,
};
const net = (v: number): SerializedNetwork => ({
  format: 'backprop-lab/network',
  version: 1,
  spec: { inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' },
  params: [{ W: [v, v], b: [v] }],
});
const rows = (to: number): EpochMetrics[] =>
  Array.from({ length: to }, (_, i) => ({
    epoch: i + 1,
    trainLoss: 1 / (i + 1),
    devLoss: 1,
    trainAccuracy: 0.5,
    devAccuracy: 0.5,
    trainRmse: NaN,
    devRmse: NaN,
    examplesPerSecond: 1,
    elapsedMs: (i + 1) * 100,
  }));
const dataset = {
  task: 'binary',
  targetName: 'label',
  featureNames: ['x1', 'x2'],
  classLabels: ['a', 'b'],
  targetScale: null,
} as unknown as PreparedDataset;

class FakeTraining implements TrainingLink {
  onCheckpoint: ((s: TrainingSnapshot) => void) | null = null;
  checkpointWriting: (() => CheckpointWriting | null) | null = null;
  /** Checkpoints go through the worker's writer into this database connection (null: to the page). */
  worker: LabStore | null = null;
  writes: Promise<void>[] = [];
  onRunLost: (() => void) | null = null;
  onRunEnd: ((summary: RunSummary, config: TrainConfig) => Promise<void> | void) | null = null;
  dataset: PreparedDataset | null = dataset;
  state: TrainingState = 'running';
  stops = 0;
  form = { load: () => undefined };
  train = (): Promise<void> => Promise.resolve();
  resumeFrom = (_: ResumeFrom): Promise<void> => Promise.resolve();
  stop(): void {
    this.stops++;
  }
  checkpoint(epochs: number, v: number): void {
    const writing = this.checkpointWriting?.();
    if (this.worker) {
      if (!writing) throw new Error('The recorder did not hand the writing to the worker.');
      const listen = checkpointWriter(checkpointSaver(this.worker), writing.sink);
      const snap = {
        network: packNetwork(net(v)),
        config,
        history: rows(epochs),
        state: 'running' as const,
        epoch: epochs,
        step: epochs,
        divergence: null,
        kernel: 'ts',
        savedAt: 0,
        elapsedMs: epochs * 100,
        resume: null,
      };
      this.writes.push(Promise.resolve(listen(snap)));
      return;
    }
    this.onCheckpoint?.({
      network: net(v),
      config,
      history: rows(epochs),
      state: 'running',
      epoch: epochs,
      savedAt: 0,
    });
  }
  end(state: RunSummary['state']): void {
    this.state = state === 'done' ? 'done' : state;
    this.onRunEnd?.({ state, final: null, test: null, divergence: null, elapsedMs: 1 }, config);
  }
}

let k = 0;
const libs: Library[] = [];
async function recording(viaWorker = false): Promise<{ lib: Library; t: FakeTraining }> {
  const name = `quota-${k++}`;
  const open = () => new LabStore({ name, broadcast: false, onFirstWrite: () => undefined });
  const lib = new Library({ open: async () => open() });
  libs.push(lib);
  await lib.start();
  const t = new FakeTraining();
  if (viaWorker) t.worker = open();
  lib.attachTraining(t);
  return { lib, t };
}
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
}
/** Every put fails as a full disk makes it fail; returns the spy (its calls are the writes tried). */
function diskFull() {
  return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  });
}

beforeAll(() => i18n.use('en', false));
afterEach(() => {
  vi.restoreAllMocks();
  for (const l of libs.splice(0)) l.dispose();
});

describe('a full disk while a run trains', () => {
  it('alerts once at the first failing checkpoint; "Keep training without saving" tries no more writes; the saved part stays', async () => {
    const { lib, t } = await recording();
    t.checkpoint(3, 0.3);
    await settle();
    const id = lib.recordingId!;
    expect(lib.storage.full).toBeNull();

    const puts = diskFull();
    t.checkpoint(5, 0.5);
    await settle();
    expect(lib.storage.full).toEqual({ runId: id, savedEpoch: 3 });
    expect(lib.storage.mode).toBe('held');
    expect(lib.error).toBeNull();
    const tried = puts.mock.calls.length;
    expect(tried).toBeGreaterThan(0);

    // Waiting for the choice: later checkpoints are not written, and the alert is the same one.
    const alert = lib.storage.full;
    t.checkpoint(7, 0.7);
    await settle();
    expect(puts.mock.calls.length).toBe(tried);
    expect(lib.storage.full).toBe(alert);

    lib.keepTrainingUnsaved();
    expect(lib.storage.full).toBeNull();
    expect(t.stops).toBe(0);
    t.checkpoint(9, 0.9);
    await settle();
    t.checkpoint(11, 1.1);
    await settle();
    expect(puts.mock.calls.length).toBe(tried);
    expect(lib.storage.unsaved).toBe(3);
    expect(lib.storage.full).toBeNull();
    expect(lib.error).toBeNull();

    // The run ends with the disk still full: one try to end its record, no second alert; its card
    // says interrupted (as after a reload), and a notice says what is kept.
    t.end('stopped');
    await settle();
    expect(lib.error).toBeNull();
    expect(lib.storage.full).toBeNull();
    expect(lib.notice).toBe(
      'The run is kept in the Library up to epoch 3; the epochs after it were not saved.',
    );
    expect(lib.statusOf(lib.runs.find((r) => r.id === id)!)).toBe('interrupted');
    vi.restoreAllMocks();
    const run = await getRun(lib.store!, id);
    expect(run?.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(run?.checkpointEpoch).toBe(3);
    expect((await getCheckpoint(lib.store!, id))?.network.params[0].W[0]).toBe(0.3);
    // The next run is saved again.
    t.state = 'running';
    t.checkpoint(2, 0.2);
    await settle();
    expect(lib.recordingId).not.toBe(id);
    expect(lib.storage.mode).toBe('on');
    expect((await getRun(lib.store!, lib.recordingId!))?.history).toHaveLength(2);
  });

  for (const viaWorker of [false, true]) {
    it(`"Save again" after room was made writes the next checkpoint whole${viaWorker ? ' (the worker writes it)' : ''}`, async () => {
      const { lib, t } = await recording(viaWorker);
      t.checkpoint(3, 0.3);
      await settle();
      const id = lib.recordingId!;
      const puts = diskFull();
      t.checkpoint(5, 0.5);
      await settle();
      lib.keepTrainingUnsaved();
      t.checkpoint(7, 0.7);
      await settle();
      expect(lib.storage.mode).toBe('off');
      expect(lib.storage.unsaved).toBeGreaterThan(0);

      // Room again (runs deleted elsewhere): the student saves again.
      puts.mockRestore();
      lib.resumeSaving();
      expect(lib.storage.mode).toBe('on');
      expect(lib.storage.unsaved).toBe(0);
      t.checkpoint(9, 0.9);
      await settle();
      const run = await getRun(lib.store!, id);
      expect(run?.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(run?.checkpointEpoch).toBe(9);
      expect((await getCheckpoint(lib.store!, id))?.network.params[0].W[0]).toBe(0.9);
      expect(lib.storage.savedEpoch).toBe(9);
      // A second full disk alerts again.
      diskFull();
      t.checkpoint(11, 1.1);
      await settle();
      expect(lib.storage.full).toEqual({ runId: id, savedEpoch: 9 });
      // Saving again does nothing while the alert waits for a choice.
      lib.resumeSaving();
      expect(lib.storage.mode).toBe('held');
    });
  }

  it('"Stop" stops the run; with room again its record ends as stopped at the last saved epoch', async () => {
    const { lib, t } = await recording();
    t.checkpoint(4, 0.4);
    await settle();
    const id = lib.recordingId!;
    diskFull();
    t.checkpoint(6, 0.6);
    await settle();
    expect(lib.storage.full?.savedEpoch).toBe(4);
    lib.stopUnsaved();
    expect(t.stops).toBe(1);
    expect(lib.storage.full).toBeNull();
    vi.restoreAllMocks(); // room again (the student deleted something)
    t.end('stopped');
    await settle();
    expect(lib.error).toBeNull();
    const run = await getRun(lib.store!, id);
    expect(run?.status).toBe('stopped');
    expect(run?.history).toHaveLength(4);
    expect((await getCheckpoint(lib.store!, id))?.epoch).toBe(4);
  });

  it('a run that could not be saved at all says so, with nothing kept', async () => {
    const { lib, t } = await recording();
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    diskFull();
    t.checkpoint(2, 0.2);
    await settle();
    expect(lib.storage.full).toEqual({ runId: null, savedEpoch: 0 });
    expect(lib.error).toBeNull();
    lib.stopUnsaved();
    t.end('stopped');
    await settle();
    expect(lib.notice).toBe('The run ended without being saved: this device had no room left.');
    vi.restoreAllMocks();
    await lib.refresh();
    expect(lib.runs).toHaveLength(0);
  });
});

describe('checkpoints the trainer worker writes into the library itself', () => {
  it('are in the run record with their weights; the end keeps them', async () => {
    const { lib, t } = await recording(true);
    t.checkpoint(3, 0.3);
    await Promise.all(t.writes);
    await settle();
    const id = lib.recordingId!;
    expect(id).toBeTruthy();
    expect(lib.storage.savedEpoch).toBe(3);
    expect(lib.runs.find((r) => r.id === id)?.history).toHaveLength(3);
    t.checkpoint(5, 0.5);
    await Promise.all(t.writes);
    t.end('done');
    await settle();
    expect(lib.error).toBeNull();
    const run = await getRun(lib.store!, id);
    expect(run?.status).toBe('completed');
    expect(run?.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    const cp = await getCheckpoint(lib.store!, id);
    expect(cp?.epoch).toBe(5);
    expect(cp?.network.params[0].W[0]).toBe(0.5);
  });

  it('a full disk stops the saving with one alert; later checkpoints are not written', async () => {
    const { lib, t } = await recording(true);
    t.checkpoint(4, 0.4);
    await Promise.all(t.writes);
    await settle();
    const id = lib.recordingId!;
    const puts = diskFull();
    t.checkpoint(6, 0.6);
    await Promise.all(t.writes);
    await settle();
    expect(lib.storage.full).toEqual({ runId: id, savedEpoch: 4 });
    expect(lib.error).toBeNull();
    const tried = puts.mock.calls.length;
    t.checkpoint(8, 0.8);
    await Promise.all(t.writes);
    await settle();
    expect(puts.mock.calls.length).toBe(tried);
    expect(lib.storage.unsaved).toBe(1);
    vi.restoreAllMocks();
    expect((await getCheckpoint(lib.store!, id))?.epoch).toBe(4);
  });

  it('a worker that dies leaves the run interrupted at its last written checkpoint', async () => {
    const { lib, t } = await recording(true);
    t.checkpoint(2, 0.2);
    await Promise.all(t.writes);
    await settle();
    const id = lib.recordingId!;
    t.state = 'interrupted';
    t.onRunLost?.();
    await settle();
    const run = await getRun(lib.store!, id);
    expect(run?.status).toBe('interrupted');
    expect(run?.history).toHaveLength(2);
    expect((await getCheckpoint(lib.store!, id))?.network.params[0].W[0]).toBe(0.2);
  });
});
