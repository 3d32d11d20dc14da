// Continue and Replay in one call, on the run's own data: the dataset a run trains on is stored with
// how it was read and prepared, and loaded back (a file, a bundled sample from its stored bytes, a
// generated set from its description) with the run's recipe settings when other data is loaded. A real
// data session over the data worker's API (in this thread) and fake-indexeddb.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataApi } from '../../../workers/data/api.ts';
import { LabStore } from '../../../workers/store/store.ts';
import { listDatasets, SYNTHETIC_TYPE } from '../../../workers/store/datasets.ts';
import type {
  EpochMetrics,
  SerializedNetwork,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import { DatasetSession } from './dataset.svelte.ts';
import type { DataBackend } from './data-backend.ts';
import { dataLink } from './data-link.ts';
import { Library } from './library.svelte.ts';
import type {
  ResumeFrom,
  RunSummary,
  TrainingLink,
  TrainingSnapshot,
} from './run-recorder.svelte.ts';

/** The data worker's API in this thread. Bundled samples are read from static/ by `sampleBytes` only
 *  (loadUrl fails: a stored sample must come back from its stored bytes, as offline). */
function backend(reads: string[] = []): DataBackend {
  return {
    loadFile: (f, n, o, p) => dataApi.loadFile(f, n, o, p),
    reread: (o, p) => dataApi.reread(o, p),
    loadUrl: async (url, name) => {
      reads.push(url);
      const path = new URL(url).pathname.replace(/^\//, '');
      const bytes = readFileSync(new URL(`../../../static/${path}`, import.meta.url));
      return dataApi.loadFile(new Blob([bytes]), name, {});
    },
    loadSynthetic: (k, o) => dataApi.loadSynthetic(k, o),
    cancel: () => dataApi.cancel(),
    prepare: (s) => dataApi.prepare(s),
    describe: (s, summary) => dataApi.describe(s, summary),
    applyFix: (s, fix) => dataApi.applyFix(s, fix),
    sampleBytes: async (url) => {
      const path = new URL(url).pathname.replace(/^\//, '');
      return new Blob([readFileSync(new URL(`../../../static/${path}`, import.meta.url))]);
    },
  };
}

const config: TrainConfig = {
  hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
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
const net = (inputs: number, outputs: number): SerializedNetwork => ({
  format: 'backprop-lab/network',
  version: 1,
  spec: {
    inputs,
    hidden: config.hidden,
    outputs,
    output: outputs === 1 ? 'sigmoid' : 'softmax',
  },
  params: [
    { W: new Array<number>(3 * inputs).fill(0.1), b: [0, 0, 0] },
    { W: new Array<number>(3 * outputs).fill(0.1), b: new Array<number>(outputs).fill(0) },
  ],
});
const rows = (n: number): EpochMetrics[] =>
  Array.from({ length: n }, (_, i) => ({
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

/** The training area as the recorder sees it, training on the data session's prepared data. */
class FakeTraining implements TrainingLink {
  onCheckpoint: ((s: TrainingSnapshot) => void) | null = null;
  onRunEnd: ((summary: RunSummary, config: TrainConfig) => void) | null = null;
  state: TrainingState = 'idle';
  resumed: ResumeFrom | null = null;
  trained: Array<PreparedDataset | null> = [];
  form = { load: (c: TrainConfig) => void c };
  constructor(private readonly session: DatasetSession) {}
  get dataset(): PreparedDataset | null {
    return this.session.prepared;
  }
  train(): Promise<void> {
    this.trained.push(this.dataset);
    return Promise.resolve();
  }
  resumeFrom(s: ResumeFrom): Promise<void> {
    this.resumed = s;
    return Promise.resolve();
  }
  /** A checkpoint (then a stop unless `end` is false): the run is saved with 4 epochs and weights. */
  record(end = true): void {
    const ds = this.dataset!;
    const outputs = ds.task === 'multiclass' ? ds.classLabels.length : 1;
    const network = net(ds.featureNames.length, outputs);
    this.onCheckpoint?.({
      network,
      config,
      history: rows(4),
      state: 'running',
      epoch: 4,
      savedAt: 0,
    });
    if (end)
      this.onRunEnd?.(
        { state: 'stopped', final: null, test: null, divergence: null, elapsedMs: 1 },
        config,
      );
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
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
  await lib.refresh();
}
/** A tab: a data session, a library and a training area linked as in the app. */
async function tab(name: string, reads: string[] = []) {
  const data = new DatasetSession(backend(reads), 'http://localhost/');
  const lib = makeLibrary(name);
  const training = new FakeTraining(data);
  lib.attachData(dataLink(data));
  lib.attachTraining(training);
  await lib.start();
  return { data, lib, training };
}

function csv(): Blob & { name: string } {
  const lines = ['height,colour,kind'];
  for (let i = 0; i < 60; i++)
    lines.push(`${(i * 0.37) % 3},${i % 4 ? 'red' : 'blue'},${i % 3 ? 'cat' : 'dog'}`);
  return Object.assign(new Blob([lines.join('\n')], { type: 'text/csv' }), { name: 'pets.csv' });
}

beforeAll(() => i18n.use('en', false));
afterEach(() => {
  for (const l of libs.splice(0)) l.dispose();
});

describe('a run on its own data', () => {
  it('continues after a reload on its stored file with its recipe settings, in one call', async () => {
    const name = `data-${k++}`;
    const first = await tab(name);
    await first.data.loadFile(csv());
    await first.data.update({
      target: 'kind',
      split: { train: 0.6, dev: 0.2, test: 0.2 },
      seed: 7,
    });
    expect(first.data.status).toBe('prepared');
    const x = Array.from(first.data.prepared!.train.x);
    first.training.record(false);
    await settle(first.lib);
    const run = first.lib.runs[0];
    expect(run.datasetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.data.storedHash).toBe(run.datasetHash);
    const [stored] = await listDatasets(first.lib.store!);
    expect(stored).toMatchObject({ name: 'pets.csv', source: { kind: 'file' } });
    expect(stored.settings).toMatchObject({ target: 'kind', seed: 7 });
    first.lib.dispose(); // the tab closes mid-run

    const second = await tab(name);
    await second.data.loadSynthetic('moons', { n: 100 }); // the page opens on other data
    expect(second.lib.datasets.map((d) => d.hash)).toEqual([run.datasetHash]);
    expect(second.lib.runs[0].status).toBe('interrupted');
    await second.lib.resume(run.id);
    expect(second.lib.error).toBeNull();
    expect(second.data.source).toEqual({ kind: 'file', name: 'pets.csv' });
    expect(second.data.settings).toMatchObject({ target: 'kind', seed: 7 });
    expect(second.data.storedHash).toBe(run.datasetHash);
    // The same matrices as when the run began: the continued run trains on the same examples.
    expect(Array.from(second.data.prepared!.train.x)).toEqual(x);
    expect(second.training.resumed).toMatchObject({ startEpoch: 4, config });
    expect(second.lib.recordingId).toBe(run.id);
  });

  it('replays a bundled sample from its stored bytes (as offline), keeping its title and licence', async () => {
    const name = `data-${k++}`;
    const reads: string[] = [];
    const first = await tab(name, reads);
    await first.data.loadSample('iris');
    first.training.record();
    await settle(first.lib);
    const run = first.lib.runs[0];
    const [stored] = await listDatasets(first.lib.store!);
    expect(stored).toMatchObject({ name: 'Iris flowers', source: { kind: 'sample', id: 'iris' } });
    expect((await stored.file.text()).split('\n')[0]).toMatch(/species/);
    first.lib.dispose();

    const second = await tab(name, reads);
    await second.data.loadSynthetic('circle');
    reads.length = 0;
    await second.lib.replay(run.id);
    expect(second.lib.error).toBeNull();
    expect(reads).toEqual([]); // nothing fetched
    expect(second.data.source?.kind === 'sample' && second.data.source.sample.licence).toMatch(
      /Public domain/,
    );
    expect(second.training.trained).toHaveLength(1);
    expect(second.training.trained[0]?.featureNames).toEqual(run.featureNames);
    expect(second.data.storedHash).toBe(run.datasetHash);
  });

  it('stores a generated set as its description and generates it again with its options', async () => {
    const name = `data-${k++}`;
    const first = await tab(name);
    await first.data.loadSynthetic('moons', { n: 120, noise: 0.3, seed: 5 });
    const y = Array.from(first.data.prepared!.train.y);
    first.training.record();
    await settle(first.lib);
    const run = first.lib.runs[0];
    const [stored] = await listDatasets(first.lib.store!);
    expect(stored.type).toBe(SYNTHETIC_TYPE);
    // A record without its source (as a backup carries it) still reads as the generated set.
    delete stored.source;
    const { sourceOf } = await import('../../../workers/store/datasets.ts');
    expect(await sourceOf(stored)).toEqual({
      kind: 'synthetic',
      synthetic: 'moons',
      options: { n: 120, noise: 0.3, seed: 5, classes: 3 },
    });

    await first.data.loadSynthetic('moons', { n: 200 });
    await first.lib.replay(run.id);
    expect(first.lib.error).toBeNull();
    expect(first.data.source).toMatchObject({ kind: 'synthetic', options: { n: 120, noise: 0.3 } });
    expect(Array.from(first.training.trained[0]!.train.y)).toEqual(y);
  });

  it('reads nothing again when the loaded data is already the run’s own', async () => {
    const { data, lib, training } = await tab(`data-${k++}`);
    await data.loadSample('penguins');
    training.record();
    await settle(lib);
    const version = data.version;
    await lib.replay(lib.runs[0].id);
    expect(lib.error).toBeNull();
    expect(data.version).toBe(version);
    expect(training.trained).toHaveLength(1);
    // Other settings (another split seed) are not the run's data: its own come back.
    await data.update({ seed: 99 });
    await lib.replay(lib.runs[0].id);
    expect(data.settings.seed).toBe(42);
    expect(training.trained).toHaveLength(2);
  });

  it('refuses to start while a run trains, and says what to do', async () => {
    const { data, lib, training } = await tab(`data-${k++}`);
    await data.loadSynthetic('xor');
    training.record();
    await settle(lib);
    training.state = 'running';
    await lib.replay(lib.runs[0].id);
    expect(lib.error).toBe('A run is training now. Stop it first, then press Replay again.');
    await lib.resume(lib.runs[0].id);
    expect(lib.error).toBe('A run is training now. Stop it first, then press Continue again.');
    expect(training.trained).toHaveLength(0);
    expect(training.resumed).toBeNull();
  });
});
