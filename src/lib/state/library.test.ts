import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import {
  Library,
  type RunSummary,
  type TrainingLink,
  type TrainingSnapshot,
} from './library.svelte.ts';
import { LabStore } from '../../../workers/store/store.ts';
import { getCheckpoint, getRun } from '../../../workers/store/runs.ts';
import type {
  EpochMetrics,
  SerializedNetwork,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { modelFile, toJson } from '../../../workers/store/file-export.ts';

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
const dataset = {
  task: 'binary',
  targetName: 'label',
  featureNames: ['x1', 'x2'],
  classLabels: ['a', 'b'],
  targetScale: null,
} as unknown as PreparedDataset;

class FakeTraining implements TrainingLink {
  onCheckpoint: ((s: TrainingSnapshot) => void) | null = null;
  onRunEnd: ((summary: RunSummary, config: TrainConfig) => void) | null = null;
  dataset: PreparedDataset | null = dataset;
  state: TrainingState = 'idle';
  loaded: TrainConfig | null = null;
  resumed: { network: SerializedNetwork; config: TrainConfig; history?: EpochMetrics[] } | null =
    null;
  trained = 0;
  form = { load: (c: TrainConfig) => (this.loaded = c) };
  train(): Promise<void> {
    this.trained++;
    return Promise.resolve();
  }
  resumeFrom(s: {
    network: SerializedNetwork;
    config: TrainConfig;
    history?: EpochMetrics[];
  }): Promise<void> {
    this.resumed = s;
    return Promise.resolve();
  }
  checkpoint(history: EpochMetrics[], v: number, cfg = config): void {
    this.onCheckpoint?.({
      network: net(v),
      config: cfg,
      history,
      state: 'running',
      epoch: history.at(-1)?.epoch ?? 0,
      savedAt: 0,
    });
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
async function settle(lib: Library): Promise<void> {
  // Let the library's write queue drain.
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
  await lib.refresh();
}
afterEach(() => {
  for (const l of libs.splice(0)) l.dispose();
});

describe('Library', () => {
  beforeAll(() => i18n.use('en', false));
  it('records a run from checkpoints, completes it and keeps a model', async () => {
    const lib = makeLibrary(`lib-${k++}`);
    await lib.start();
    const t = new FakeTraining();
    lib.attachTraining(t);
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
      },
      config,
    );
    await settle(lib);
    expect(lib.runs[0].status).toBe('completed');
    expect(lib.runs[0].history).toHaveLength(10);
    expect(lib.runs[0].final?.testAccuracy).toBe(0.9);
    expect(lib.models).toHaveLength(1);
    expect(lib.models[0].network.params[0].W[0]).toBe(0.2);
    expect(lib.models[0].classLabels).toEqual(['a', 'b']);
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
    expect(t2.resumed?.config.epochs).toBe(6);
    expect(t2.resumed?.history?.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    // The trainer counts the resumed part from epoch 1: the library offsets it.
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

  it('renames, deletes with undo, and limits the overlay to 4 runs', async () => {
    const lib = makeLibrary(`lib-${k++}`);
    await lib.start();
    const t = new FakeTraining();
    lib.attachTraining(t);
    for (let i = 0; i < 5; i++) {
      t.checkpoint(rows(1, 2), i);
      t.onRunEnd?.(
        { state: 'stopped', final: null, test: null, divergence: null, elapsedMs: 1 },
        config,
      );
      await settle(lib);
    }
    expect(lib.runs).toHaveLength(5);
    const [a, b] = lib.runs;
    await lib.renameRun(b.id, 'circle');
    await lib.renameRun(a.id, 'circle');
    expect(lib.runs.find((r) => r.id === a.id)?.name).toBe('circle (2)');
    expect(lib.notice).toMatch(/now called "circle \(2\)"/);
    await lib.deleteRun(a.id);
    expect(lib.runs).toHaveLength(4);
    expect(lib.undo?.label).toMatch(/Deleted run/);
    await lib.undoDelete();
    expect(lib.runs).toHaveLength(5);
    for (const r of lib.runs) lib.toggleSelected(r.id);
    expect(lib.selected).toHaveLength(4);
    expect(lib.error).toMatch(/At most 4 runs/);
    lib.query = lib.runs[2].name;
    // The search applies after a pause (or on Enter): the lists change then.
    expect(lib.filteredRuns).toHaveLength(5);
    lib.applySearch();
    expect(lib.filteredRuns.map((r) => r.id)).toEqual([lib.runs[2].id]);
  });

  it('replay loads the same configuration and seed, then trains', async () => {
    const lib = makeLibrary(`lib-${k++}`);
    await lib.start();
    const t = new FakeTraining();
    lib.attachTraining(t);
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
    expect(lib.error).toMatch(/Load the data of .* first, then press Replay again/);
  });

  it('imports a model file under a new name and refuses a hostile one with a specific message', async () => {
    const lib = makeLibrary(`lib-${k++}`);
    await lib.start();
    const file = (text: string, name: string) =>
      new File([text], name, { type: 'application/json' });
    const text = toJson(
      modelFile({
        id: 'm',
        name: 'mine',
        created: 1,
        network: net(0.1),
        recipe: null,
        task: 'binary',
        targetName: 'y',
        featureNames: ['x1', 'x2'],
        classLabels: ['a', 'b'],
        targetScale: null,
        metrics: {},
        runId: null,
        datasetHash: null,
      }),
    );
    await lib.files.importFile(file(text, 'm.json'));
    await lib.files.importFile(file(text, 'm.json'));
    expect(lib.models.map((m) => m.name).sort()).toEqual(['mine', 'mine (2)']);
    expect(lib.notice).toMatch(/"mine" is saved as "mine \(2\)"/);
    await lib.files.importFile(file(text.replace('"W":[0.1', '"W":[null'), 'bad.json'));
    expect(lib.error).toBe(
      '"bad.json" was not imported: model.network.params[0].W[0] is null; every weight must be a number.',
    );
    expect(lib.models).toHaveLength(2);
  });

  it('exports a model, a run and everything as files that import again, and says when a lesson has no file', async () => {
    const lib = makeLibrary(`lib-${k++}`);
    const t = new FakeTraining();
    lib.attachTraining(t);
    await lib.start();
    t.checkpoint(rows(1, 2), 0.3);
    t.onRunEnd?.(
      { state: 'done', final: null, test: null, divergence: null, elapsedMs: 5 },
      config,
    );
    await settle(lib);
    const saved: Array<{ name: string; text: string }> = [];
    const blobs: Array<Promise<void>> = [];
    const save = (data: BlobPart, name: string) =>
      blobs.push(new Blob([data]).text().then((text) => void saved.push({ name, text })));
    await lib.files.exportModel(lib.models[0].id, save);
    await lib.files.exportRun(lib.runs[0].id, save);
    await lib.files.exportAll(save);
    await Promise.all(blobs);
    expect(lib.error).toBeNull();
    expect(saved.map((f) => JSON.parse(f.text).format)).toEqual([
      'backprop-lab/model',
      'backprop-lab/run',
      'backprop-lab/backup',
    ]);
    expect(saved[0].name).toMatch(/\.model\.json$/);
    const other = makeLibrary(`lib-${k++}`);
    await other.start();
    await other.files.importFile(new File([saved[2].text], 'backup.json'));
    expect(other.models.map((m) => m.name)).toEqual(lib.models.map((m) => m.name));
    expect(other.runs[0].history).toHaveLength(2);
    await lib.files.exportModel('no such model', save);
    expect(lib.error).toBe('This model no longer exists.');
    await Promise.all(blobs);
    expect(lib.files.canMakeLesson).toBe(false);
    await lib.files.exportLesson('Moons', 'a note', save);
    expect(lib.error).toMatch(/Drop the CSV file for the lesson in the Data area first/);
    expect(saved).toHaveLength(3);
  });
});
