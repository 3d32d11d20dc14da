// The run recorder, through the Library that owns it: checkpoints and the end of a run are written
// to IndexedDB (fake-indexeddb here), a finished run keeps its weights as its model until it is kept
// as a named model, an interrupted or stopped run resumes from its checkpoint (exactly, with the
// trainer's state) and a run replays.
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  ResumeState,
  SerializedNetwork,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';

const config: TrainConfig = {
  hidden: [{ units: 2, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 8,
  epochs: 10,
  lambda: 0,
  seed: 9,
  beta1: 0.9,
  beta2: 0.999,
};
const net = (v: number): SerializedNetwork => ({
  format: 'backprop-lab/network',
  version: 1,
  spec: { inputs: 2, hidden: config.hidden, outputs: 1, output: 'sigmoid' },
  params: [
    { W: [v, v, v, v], b: [v, v] },
    { W: [v, v], b: [v] },
  ],
});
const rows = (from: number, to: number): EpochMetrics[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    epoch: from + i,
    trainLoss: 1 / (from + i),
    devLoss: 1,
    trainAccuracy: 0.5,
    devAccuracy: 0.5,
    trainRmse: NaN,
    devRmse: NaN,
    examplesPerSecond: 1,
    elapsedMs: (from + i) * 100,
  }));
/** A trainer state as the worker hands it over (its content matters only to the trainer). */
const state = (epoch: number, batch: number): ResumeState => ({
  version: 1,
  optimizer: 'adam',
  epoch,
  batch,
  rng: [1, 2, 3, epoch],
  perm: [2, 0, 1],
  v: [0.5, 0.25],
  s: [0.125, 0.0625],
  t: epoch * 3 + batch,
  sums: { loss: 0.5, correct: 2, sqErr: 0, seen: batch * 8, ms: 3 },
  elapsedMs: 1000 + epoch * 100,
  backup: batch ? [9, 9] : null,
});
const dataset = {
  task: 'binary',
  targetName: 'label',
  featureNames: ['x1', 'x2'],
  classLabels: ['a', 'b'],
  targetScale: null,
} as unknown as PreparedDataset;

class FakeTraining implements TrainingLink {
  onCheckpoint: ((s: TrainingSnapshot) => void) | null = null;
  onRunEnd: ((summary: RunSummary, config: TrainConfig) => Promise<void> | void) | null = null;
  onRunLost: (() => void) | null = null;
  dataset: PreparedDataset | null = dataset;
  state: TrainingState = 'idle';
  loaded: TrainConfig | null = null;
  resumed: ResumeFrom | null = null;
  trained = 0;
  form = { load: (c: TrainConfig) => (this.loaded = c) };
  train(): Promise<void> {
    this.trained++;
    return Promise.resolve();
  }
  resumeFrom(s: ResumeFrom): Promise<void> {
    this.resumed = s;
    return Promise.resolve();
  }
  checkpoint(
    history: EpochMetrics[],
    v: number,
    cfg = config,
    extra: Partial<TrainingSnapshot> = {},
  ): void {
    this.onCheckpoint?.({
      network: net(v),
      config: cfg,
      history,
      state: 'running',
      epoch: history.at(-1)?.epoch ?? 0,
      savedAt: 0,
      ...extra,
    });
  }
  end(state: RunSummary['state'], elapsedMs = 1): void {
    this.onRunEnd?.({ state, final: null, test: null, divergence: null, elapsedMs }, config);
  }
}

let k = 0;
const libs: Library[] = [];
function makeLibrary(name: string): Library {
  const lib = new Library({
    open: async () => new LabStore({ name, broadcast: false, onFirstWrite: () => undefined }),
  });
  libs.push(lib);
  return lib;
}
/** A started library recording a fake training session. */
async function recording(): Promise<{ lib: Library; t: FakeTraining }> {
  const lib = makeLibrary(`lib-${k++}`);
  await lib.start();
  const t = new FakeTraining();
  lib.attachTraining(t);
  return { lib, t };
}
async function settle(lib: Library): Promise<void> {
  // Let the recorder's write queue drain.
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
  await lib.refresh();
}
beforeAll(() => i18n.use('en', false));
afterEach(() => {
  for (const l of libs.splice(0)) l.dispose();
});

describe('RunRecorder', () => {
  it('records a run from checkpoints and completes it; its model stays with the run until kept by name', async () => {
    const { lib, t } = await recording();
    t.checkpoint(rows(1, 3), 0.1);
    await settle(lib);
    expect(lib.runs).toHaveLength(1);
    expect(lib.runs[0].status).toBe('running');
    expect(lib.runs[0].history).toHaveLength(3);
    t.checkpoint(rows(1, 10), 0.2);
    t.onRunEnd?.(
      {
        state: 'done',
        final: null,
        test: {
          task: 'binary',
          loss: 0.2,
          labels: ['a', 'b'],
          classification: {
            accuracy: 0.9,
            confusion: [
              [9, 1],
              [0, 0],
            ],
            precision: [1, 0],
            recall: [0.9, NaN],
            support: [10, 0],
            m: 10,
          },
        },
        divergence: null,
        elapsedMs: 1000,
        keptEpoch: 6,
      },
      config,
    );
    await settle(lib);
    expect(lib.runs[0].status).toBe('completed');
    expect(lib.runs[0].history).toHaveLength(10);
    expect(lib.runs[0].final?.testAccuracy).toBe(0.9);
    expect(lib.runs[0].final?.keptEpoch).toBe(6);
    // A finished run is not a model by itself: its last weights stay with the run.
    expect(lib.models).toHaveLength(0);
    const run = lib.runs[0];
    expect((await getCheckpoint(lib.store!, run.id))?.network.params[0].W[0]).toBe(0.2);
    expect(lib.keptModel(run)).toBeUndefined();
    // "Keep as model" makes a named model of them, once.
    const id = await lib.saveModelFromRun(run.id);
    expect(lib.error).toBeNull();
    expect(lib.models.map((m) => m.id)).toEqual([id]);
    const model = lib.models[0];
    expect(model.name).toBe(run.name);
    expect(model.runId).toBe(run.id);
    expect(model.network.params[0].W[0]).toBe(0.2);
    expect(model.classLabels).toEqual(['a', 'b']);
    expect(model.metrics).toMatchObject({ testAccuracy: 0.9, epoch: 10 });
    expect(lib.notice).toBe(
      `The model of “${run.name}” is kept as “${run.name}”: it can predict and be exported.`,
    );
    expect(lib.keptModel(lib.runs[0])?.id).toBe(id);
    // Predict or export from the run again: the same model, no copy.
    expect(await lib.saveModelFromRun(run.id)).toBe(id);
    const saved: BlobPart[] = [];
    await lib.exportModelFromRun(run.id, (data) => saved.push(data));
    expect(lib.models).toHaveLength(1);
    expect(JSON.parse(await new Blob(saved.slice(0, 1)).text())).toMatchObject({
      format: 'backprop-lab/model',
      model: { name: run.name },
    });
  });

  it("a run's end resolves once its record is stored, and the page asks before closing meanwhile", async () => {
    const { lib, t } = await recording();
    t.checkpoint(rows(1, 4), 0.3);
    const ended = t.onRunEnd?.(
      { state: 'done', final: null, test: null, divergence: null, elapsedMs: 5 },
      config,
    );
    let done = false;
    let askedBeforeClosing = false;
    void Promise.resolve(ended).then(() => (done = true));
    while (!done) {
      askedBeforeClosing ||= lib.saving;
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(askedBeforeClosing).toBe(true);
    expect(lib.saving).toBe(false);
    // No settling: when the end's promise resolves, the record is complete in storage.
    const [run] = await lib.store!.read((db) => db.getAll('runs'));
    expect(run.status).toBe('completed');
    expect(run.history).toHaveLength(4);
    expect((await getCheckpoint(lib.store!, run.id))?.network.params[0].W[0]).toBe(0.3);
  });

  it('a worker crash ends the run as interrupted at its last snapshot; the next run has a record of its own', async () => {
    const { lib, t } = await recording();
    t.checkpoint(rows(1, 3), 0.1);
    await settle(lib);
    t.checkpoint(rows(1, 5), 0.5); // handed over, then the worker dies
    t.onRunLost?.();
    await settle(lib);
    expect(lib.runs).toHaveLength(1);
    const first = lib.runs[0];
    expect(first.status).toBe('interrupted');
    expect(first.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(first.checkpointEpoch).toBe(5);
    expect((await getCheckpoint(lib.store!, first.id))?.network.params[0].W[0]).toBe(0.5);
    expect(lib.recordingId).toBeNull();
    // A second run in the same tab: a new record; the first keeps its history and weights.
    t.checkpoint(rows(1, 2), 0.9);
    await settle(lib);
    expect(lib.runs).toHaveLength(2);
    const second = lib.runs.find((r) => r.id !== first.id)!;
    expect(second.status).toBe('running');
    expect(second.history).toHaveLength(2);
    expect((await getRun(lib.store!, first.id))?.history).toHaveLength(5);
    expect((await getCheckpoint(lib.store!, first.id))?.network.params[0].W[0]).toBe(0.5);
  });

  it('keeps the final weights of a run kept as a model the moment it ends, before its end is written', async () => {
    const { lib, t } = await recording();
    t.checkpoint(rows(1, 3), 0.1);
    await settle(lib);
    const runId = lib.runs[0].id;
    t.checkpoint(rows(1, 10), 0.7);
    t.end('done');
    // No wait: the keep queues behind the end's writes and gets the final weights.
    await lib.saveModelFromRun(runId);
    expect(lib.models).toHaveLength(1);
    expect(lib.models[0].network.params[0].W[0]).toBe(0.7);
    expect(lib.models[0].metrics.epoch).toBe(10);
  });

  it('keeps the dropped file of a run once, by content, and links the run to it', async () => {
    const lib = makeLibrary(`lib-${k++}`);
    await lib.start();
    const t = new FakeTraining();
    const file = new File(['x1,x2,label\n1,2,a\n'], 'mine.csv', { type: 'text/csv' });
    lib.attachTraining(t, { file, sourceName: 'mine.csv', recipe: null, report: null });
    for (let i = 0; i < 2; i++) {
      t.checkpoint(rows(1, 1), 0.1);
      t.onRunEnd?.(
        { state: 'stopped', final: null, test: null, divergence: null, elapsedMs: 1 },
        config,
      );
      await settle(lib);
    }
    const store = lib.store!;
    const hashes = lib.runs.map((r) => r.datasetHash);
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[1]).toBe(hashes[0]);
    expect(lib.runs[0].datasetName).toBe('mine.csv');
    const { listDatasets } = await import('../../../workers/store/datasets.ts');
    const sets = await listDatasets(store);
    expect(sets).toHaveLength(1);
    expect(await sets[0].file.text()).toBe('x1,x2,label\n1,2,a\n');
  });

  it('a run cut short by a closed tab is interrupted after reload, and resumes with its history', async () => {
    const name = `lib-${k++}`;
    const first = makeLibrary(name);
    await first.start();
    const t1 = new FakeTraining();
    first.attachTraining(t1);
    t1.checkpoint(rows(1, 4), 0.4);
    await settle(first);
    const runId = first.runs[0].id;
    first.dispose(); // the tab closes: its run lock goes with it

    const second = makeLibrary(name);
    await second.start();
    expect(second.runs[0].status).toBe('interrupted');
    expect(second.interruptedRuns.map((r) => r.id)).toEqual([runId]);
    const t2 = new FakeTraining();
    second.attachTraining(t2);
    await second.resume(runId);
    expect(second.error).toBeNull();
    expect(t2.resumed?.network.params[0].W[0]).toBe(0.4);
    // The run's own configuration; the trainer trains epochs 5..10 (numbered on from the checkpoint).
    expect(t2.resumed?.config.epochs).toBe(10);
    expect(t2.resumed?.startEpoch).toBe(4);
    // This checkpoint holds no trainer state (as an older one): the optimizer will start afresh.
    expect(t2.resumed?.resume).toBeNull();
    expect(t2.resumed?.history?.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    // A trainer that counts the resumed part from epoch 1 is offset by the recorder.
    t2.checkpoint(rows(1, 2), 0.5);
    await settle(second);
    const store = second.store!;
    expect((await getRun(store, runId))?.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await getRun(store, runId))?.status).toBe('running');
    expect((await getCheckpoint(store, runId))?.epoch).toBe(6);
    // A trainer that numbers the resumed part on from the checkpoint is taken as it is.
    t2.checkpoint(rows(5, 7), 0.6);
    await settle(second);
    expect((await getRun(store, runId))?.history.map((h) => h.epoch)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('replay loads the same configuration and seed, then trains', async () => {
    const { lib, t } = await recording();
    t.checkpoint(rows(1, 1), 0.3, { ...config, seed: 1234 });
    t.onRunEnd?.(
      { state: 'done', final: null, test: null, divergence: null, elapsedMs: 1 },
      config,
    );
    await settle(lib);
    await lib.replay(lib.runs[0].id);
    expect(t.loaded?.seed).toBe(1234);
    expect(t.trained).toBe(1);
    t.dataset = { ...dataset, featureNames: ['other'] } as PreparedDataset;
    await lib.replay(lib.runs[0].id);
    expect(lib.error).toBe(
      `The data of “${lib.runs[0].name}” (label) is not stored on this device. Load it in the Data area, then press Replay again.`,
    );
  });

  it('records the trainer state with each checkpoint and resumes exactly from it after a reload', async () => {
    const name = `rec-${k++}`;
    const first = makeLibrary(name);
    await first.start();
    const t1 = new FakeTraining();
    first.attachTraining(t1);
    // Mid-epoch 4: three epochs done, two batches into the fourth.
    t1.checkpoint(rows(1, 3), 0.3, config, { resume: state(3, 2), elapsedMs: 1300 });
    await settle(first);
    const runId = first.runs[0].id;
    const store = first.store!;
    expect((await getCheckpoint(store, runId))?.trainerState).toEqual(state(3, 2));
    expect((await getRun(store, runId))?.timings.elapsedMs).toBe(1300);
    first.dispose();

    const second = makeLibrary(name);
    await second.start();
    expect(second.runs[0].status).toBe('interrupted');
    const t2 = new FakeTraining();
    second.attachTraining(t2);
    await second.resume(runId);
    expect(second.error).toBeNull();
    expect(t2.resumed).toMatchObject({ startEpoch: 3, resume: state(3, 2), config });
    expect(t2.resumed?.history?.map((h) => h.epoch)).toEqual([1, 2, 3]);
    // The trainer numbers on from the checkpoint and carries the run's training time on.
    t2.checkpoint(rows(4, 5), 0.5, config, { resume: state(5, 0), elapsedMs: 1500 });
    await settle(second);
    const s2 = second.store!;
    expect((await getRun(s2, runId))?.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect((await getRun(s2, runId))?.timings.elapsedMs).toBe(1500);
    expect((await getCheckpoint(s2, runId))?.trainerState).toEqual(state(5, 0));
  });

  it('a stopped run keeps its exact state for a later resume; a diverged run keeps no new weights', async () => {
    const lib = makeLibrary(`rec-${k++}`);
    await lib.start();
    const t = new FakeTraining();
    lib.attachTraining(t);
    t.checkpoint(rows(1, 2), 0.2, config, { resume: state(2, 1), elapsedMs: 1200 });
    t.end('stopped', 1250);
    await settle(lib);
    const stopped = lib.runs[0];
    expect(stopped.status).toBe('stopped');
    expect(stopped.timings.elapsedMs).toBe(1250);
    expect((await getCheckpoint(lib.store!, stopped.id))?.trainerState).toEqual(state(2, 1));

    t.checkpoint(rows(1, 1), 0.1, config, { resume: state(1, 0) });
    t.checkpoint(rows(1, 1), 0.7, config, { resume: null, state: 'diverged' });
    t.end('diverged');
    await settle(lib);
    const diverged = lib.runs.find((r) => r.status === 'diverged')!;
    // The checkpoint written before the end stays; the end writes no weights of a diverged run.
    const cp = await getCheckpoint(lib.store!, diverged.id);
    expect(cp?.network.params[0].W[0]).toBe(0.7);
    expect(cp?.trainerState).toBeNull();
    expect(lib.models).toHaveLength(0);
  });
});
