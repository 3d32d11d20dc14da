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
  epoch = 0;
  latest: EpochMetrics | null = null;
  summary: unknown = null;
  runConfig: TrainConfig | null = null;
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
beforeAll(() => i18n.use('en', false));
afterEach(() => {
  for (const l of libs.splice(0)) l.dispose();
});

describe('Library', () => {
  it('an action that comes while the store still opens waits for it (a file dropped at start-up)', async () => {
    const name = `lib-${k++}`;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const lib = new Library({
      open: async () => {
        await gate;
        return new LabStore({ name, broadcast: false, onFirstWrite: () => undefined });
      },
    });
    libs.push(lib);
    const started = lib.start();
    const renamed = lib.renameRun('no-such-run', 'x');
    open();
    await Promise.all([started, renamed]);
    // It reached the store (the run is not there), instead of saying that nothing can be saved.
    expect(lib.error).not.toBeNull();
    expect(lib.error).not.toMatch(/does not let Backprop Lab save/);
    expect(lib.store).not.toBeNull();
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
    await lib.saveModelFromRun(lib.runs[0].id);
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

  it('shows the run that trains as the training area does, from its first frame to its end', async () => {
    const lib = makeLibrary(`lib-${k++}`);
    await lib.start();
    const t = new FakeTraining();
    lib.attachTraining(t);
    expect(lib.liveCard).toBeNull();
    // Train pressed: nothing is saved yet, and the list shows the run at once.
    t.state = 'running';
    t.runConfig = config;
    t.epoch = 1;
    expect(lib.liveCard).toEqual({
      name: 'New run on label',
      status: 'running',
      summary: '1 of 10 epochs',
    });
    // Its first checkpoint makes it a saved run, whose card follows the training area.
    t.checkpoint(rows(1, 2), 0.1);
    await settle(lib);
    expect(lib.liveCard).toBeNull();
    const run = lib.runs[0];
    expect(lib.recordingId).toBe(run.id);
    expect(lib.statusOf(run)).toBe('running');
    t.epoch = 7;
    t.latest = rows(7, 7)[0];
    expect(lib.summaryOf(run)).toBe('7 of 10 epochs · loss 0.143 · accuracy 0.500');
    // The training area finishes: the card says so at once, before the end is written...
    t.state = 'done';
    const summary = {
      state: 'done',
      final: null,
      test: null,
      divergence: null,
      elapsedMs: 5,
    } as const;
    t.summary = summary;
    expect(lib.statusOf(run)).toBe('completed');
    expect(lib.liveCard).toBeNull();
    // ... and after.
    t.checkpoint(rows(1, 10), 0.2);
    t.onRunEnd?.(summary, config);
    await settle(lib);
    expect(lib.recordingId).toBeNull();
    expect(lib.runs[0].status).toBe('completed');
    expect(lib.statusOf(lib.runs[0])).toBe('completed');
    expect(lib.summaryOf(lib.runs[0])).toBe('10 of 10 epochs · loss 0.100 · accuracy 0.500');
    expect(lib.liveCard).toBeNull();
    // A run that ends before a checkpoint is written shows as ended until it is.
    t.state = 'running';
    t.summary = null;
    expect(lib.liveCard?.status).toBe('running');
    t.state = 'stopped';
    t.summary = { ...summary, state: 'stopped' };
    expect(lib.liveCard?.status).toBe('stopped');
  });

  it('groups the runs by dataset, opens the first group, and compares a group in one click', async () => {
    const lib = makeLibrary(`lib-${k++}`);
    await lib.start();
    const t = new FakeTraining();
    const file = (text: string, name: string) => new File([text], name, { type: 'text/csv' });
    const files = [file('a,b\n1,2\n', 'one.csv'), file('a,b\n3,4\n', 'two.csv')];
    let current = files[0];
    lib.attachTraining(t, {
      get file() {
        return current;
      },
      get sourceName() {
        return current.name;
      },
      recipe: null,
      report: null,
    });
    for (const f of [0, 1, 0, 0, 1, 0]) {
      current = files[f];
      t.checkpoint(rows(1, 1), f);
      t.onRunEnd?.(
        { state: 'stopped', final: null, test: null, divergence: null, elapsedMs: 1 },
        config,
      );
      await settle(lib);
    }
    const groups = lib.groups;
    expect(groups.map((g) => [g.name, g.runs.length, g.total])).toEqual([
      ['one.csv', 4, 4],
      ['two.csv', 2, 2],
    ]);
    expect(lib.datasets.map((d) => d.name).sort()).toEqual(['one.csv', 'two.csv']);
    expect(groups.map((g, i) => lib.isOpen(g, i))).toEqual([true, false]);
    lib.toggleGroup(groups[1], 1);
    lib.toggleGroup(groups[0], 0);
    expect(groups.map((g, i) => lib.isOpen(g, i))).toEqual([false, true]);
    // One click compares the newest four runs of a dataset.
    lib.compareGroup(groups[0].key);
    expect(lib.selectedRuns.map((r) => r.id)).toEqual(groups[0].runs.slice(0, 4).map((r) => r.id));
    lib.compareGroup(groups[1].key);
    expect(lib.selected).toHaveLength(2);
    // The search narrows the groups (once applied: after a pause, or at once on Enter).
    lib.query = 'two.csv';
    expect(lib.groups.map((g) => g.name)).toEqual(['one.csv', 'two.csv']);
    lib.applySearch();
    expect(lib.groups.map((g) => g.name)).toEqual(['two.csv']);
  });
});
