import { englishOf } from './english.test-support.ts';
import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EpochMetrics, SerializedNetwork, TrainConfig } from '../core/types.ts';
import { MIGRATIONS, type Migration } from './schema.ts';
import { LabStore, type StoreEvent } from './store.ts';
import { StoreError } from './errors.ts';
import {
  claimRun,
  createRun,
  deleteRun,
  finishRun,
  getCheckpoint,
  getRun,
  listRuns,
  recoverInterrupted,
  renameRun,
  restoreRun,
  resumePoint,
  saveCheckpoint,
  startRun,
  type NewRun,
} from './runs.ts';
import {
  deleteModel,
  listModels,
  renameModel,
  restoreModel,
  saveModel,
  type NewModel,
} from './models.ts';
import { getDataset, listDatasets, putDataset } from './datasets.ts';

let counter = 0;
const opened: LabStore[] = [];
function freshName(): string {
  return `test-db-${Date.now()}-${counter++}`;
}
function openStore(
  name = freshName(),
  extra: Partial<ConstructorParameters<typeof LabStore>[0]> = {},
): LabStore {
  const s = new LabStore({ name, onFirstWrite: () => undefined, broadcast: false, ...extra });
  opened.push(s);
  return s;
}
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of opened.splice(0)) await s.close();
});

const config: TrainConfig = {
  hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 32,
  epochs: 10,
  lambda: 0,
  seed: 42,
  beta1: 0.9,
  beta2: 0.999,
};

function newRun(name?: string): NewRun {
  return {
    name,
    config,
    datasetHash: 'abc',
    datasetName: 'iris.csv',
    recipe: null,
    spec: { inputs: 2, hidden: config.hidden, outputs: 1, output: 'sigmoid' },
    task: 'binary',
    targetName: 'label',
    featureNames: ['x', 'y'],
    classLabels: ['no', 'yes'],
    targetScale: null,
  };
}

function row(epoch: number, loss: number): EpochMetrics {
  return {
    epoch,
    trainLoss: loss,
    devLoss: loss + 0.1,
    trainAccuracy: 0.5,
    devAccuracy: 0.5,
    trainRmse: NaN,
    devRmse: NaN,
    examplesPerSecond: 1000,
    elapsedMs: epoch * 10,
  };
}

function net(fill: number): SerializedNetwork {
  return {
    format: 'backprop-lab/network',
    version: 1,
    spec: {
      inputs: 2,
      hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
      outputs: 1,
      output: 'sigmoid',
    },
    params: [
      { W: Array(6).fill(fill), b: [fill, fill, fill] },
      { W: [fill, fill, fill], b: [fill] },
    ],
  };
}

function model(name: string): NewModel {
  return {
    name,
    network: net(0.5),
    recipe: null,
    task: 'binary',
    targetName: 'label',
    featureNames: ['x', 'y'],
    classLabels: ['no', 'yes'],
    targetScale: null,
    metrics: { testAccuracy: 0.9 },
    runId: null,
    datasetHash: null,
  };
}

function quotaError(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

describe('runs and checkpoints', () => {
  it('creates a running run, checkpoints history and weights together, and finishes it', async () => {
    const store = openStore();
    const run = await createRun(store, newRun('first'));
    expect(run.status).toBe('running');
    expect(run.seed).toBe(42);
    await saveCheckpoint(store, run.id, {
      history: [row(1, 0.9), row(2, 0.8)],
      network: net(0.1),
      elapsedMs: 20,
    });
    let saved = await getRun(store, run.id);
    expect(saved?.history.map((h) => h.trainLoss)).toEqual([0.9, 0.8]);
    expect(Number.isNaN(saved?.history[0].trainRmse)).toBe(true);
    expect(saved?.checkpointEpoch).toBe(2);
    expect((await getCheckpoint(store, run.id))?.network.params[0].W[0]).toBe(0.1);
    const done = await finishRun(store, run.id, {
      status: 'completed',
      history: [row(1, 0.9), row(2, 0.8), row(3, 0.7)],
      network: net(0.3),
      final: { testAccuracy: 0.95 },
      elapsedMs: 30,
    });
    expect(done.status).toBe('completed');
    saved = await getRun(store, run.id);
    expect(saved?.final).toEqual({ testAccuracy: 0.95 });
    expect(saved?.timings.endedAt).not.toBeNull();
    expect(saved?.timings.elapsedMs).toBe(30);
    const cp = await getCheckpoint(store, run.id);
    expect(cp?.epoch).toBe(3);
    expect(cp?.network.params[1].b).toEqual([0.3]);
  });

  it('a checkpoint whose weights fail to write leaves the previous checkpoint and history whole', async () => {
    const store = openStore();
    const run = await createRun(store, newRun());
    await saveCheckpoint(store, run.id, { history: [row(1, 0.9)], network: net(0.1) });
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'checkpoints') throw quotaError();
      return realPut.apply(this, args);
    });
    const err = await saveCheckpoint(store, run.id, {
      history: [row(1, 0.9), row(2, 0.5)],
      network: net(0.2),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).kind).toBe('quota');
    expect(englishOf(err)).toMatch(/no room left.*Nothing you saved before was changed/);
    vi.restoreAllMocks();
    const after = await getRun(store, run.id);
    expect(after?.history).toHaveLength(1);
    expect(after?.checkpointEpoch).toBe(1);
    expect((await getCheckpoint(store, run.id))?.network.params[0].W[0]).toBe(0.1);
  });

  it('a quota error on save leaves everything saved before untouched', async () => {
    const store = openStore();
    await saveModel(store, model('kept'));
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw quotaError();
    });
    await expect(saveModel(store, model('new'))).rejects.toMatchObject({ kind: 'quota' });
    vi.restoreAllMocks();
    const models = await listModels(store);
    expect(models.map((m) => m.name)).toEqual(['kept']);
    expect(models[0].network.params[0].W).toEqual(Array(6).fill(0.5));
  });

  it('a checkpoint for a deleted run says so and writes nothing', async () => {
    const store = openStore();
    const run = await createRun(store, newRun());
    await deleteRun(store, run.id);
    await expect(
      saveCheckpoint(store, run.id, { history: [row(1, 1)], network: net(1) }),
    ).rejects.toMatchObject({ kind: 'not-found' });
    expect(await getCheckpoint(store, run.id)).toBeUndefined();
  });

  it('lists runs newest first, renames without clashes, deletes with undo', async () => {
    const store = openStore();
    const a = await createRun(store, newRun('alpha'), 1000);
    const b = await createRun(store, newRun('beta'), 2000);
    const c = await createRun(store, newRun('alpha'), 3000);
    expect(c.name).toBe('alpha (2)');
    expect((await listRuns(store)).map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect(await renameRun(store, b.id, '  alpha ')).toBe('alpha (3)');
    expect(await renameRun(store, a.id, 'alpha')).toBe('alpha');
    await saveCheckpoint(store, b.id, { history: [row(1, 0.4)], network: net(0.4) });
    const deleted = await deleteRun(store, b.id);
    expect(deleted?.checkpoint?.epoch).toBe(1);
    expect((await listRuns(store)).map((r) => r.id)).toEqual([c.id, a.id]);
    expect(await getCheckpoint(store, b.id)).toBeUndefined();
    const back = await restoreRun(store, deleted!);
    expect(back.id).toBe(b.id);
    expect(back.name).toBe('alpha (3)');
    expect((await getCheckpoint(store, b.id))?.network.params[0].W[0]).toBe(0.4);
    // Restoring twice never overwrites: a new id and name.
    const twice = await restoreRun(store, deleted!);
    expect(twice.id).not.toBe(b.id);
    expect(twice.name).toBe('alpha (4)');
  });

  it('a run being trained cannot be deleted until its training lets go of it', async () => {
    const store = openStore();
    const { run, release } = await startRun(store, newRun('live'));
    await saveCheckpoint(store, run.id, { history: [row(1, 0.5)], network: net(0.5) });
    const refused = await deleteRun(store, run.id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'blocked' });
    expect(englishOf(refused)).toBe(
      '“live” is being trained, in this tab or another one. Stop it there first, then delete it.',
    );
    expect((await getRun(store, run.id))?.status).toBe('running');
    expect((await getCheckpoint(store, run.id))?.epoch).toBe(1);
    release();
    expect((await deleteRun(store, run.id))?.run.id).toBe(run.id);
    expect(await getRun(store, run.id)).toBeUndefined();
  });

  it('marks orphaned running runs interrupted, keeps their checkpoint, and resumes from it', async () => {
    const store = openStore();
    const orphan = await createRun(store, newRun('orphan'));
    await saveCheckpoint(store, orphan.id, {
      history: [row(1, 0.9), row(2, 0.8), row(3, 0.7)],
      network: net(0.7),
      epoch: 2,
    });
    const live = await startRun(store, newRun('live'));
    const finished = await createRun(store, newRun('done'));
    await finishRun(store, finished.id, { status: 'stopped', history: [row(1, 1)] });

    expect(await recoverInterrupted(store)).toEqual([orphan.id]);
    expect((await getRun(store, orphan.id))?.status).toBe('interrupted');
    expect((await getRun(store, live.run.id))?.status).toBe('running');
    expect((await getRun(store, finished.id))?.status).toBe('stopped');

    const point = await resumePoint(store, orphan.id);
    expect(point.epoch).toBe(2);
    expect(point.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(point.remainingEpochs).toBe(8);
    expect(point.network.params[0].W[0]).toBe(0.7);

    const release = await claimRun(store, orphan.id);
    expect((await getRun(store, orphan.id))?.status).toBe('running');
    expect(await recoverInterrupted(store)).toEqual([]);
    release();
    live.release();
    expect((await recoverInterrupted(store)).sort()).toEqual([orphan.id, live.run.id].sort());
  });

  it('a run with no checkpoint cannot resume, with a message saying why', async () => {
    const store = openStore();
    const run = await createRun(store, newRun('early'));
    expect(englishOf(await resumePoint(store, run.id).catch((e: unknown) => e))).toMatch(
      /no saved weights yet/,
    );
  });
});

describe('models and datasets', () => {
  it('saves models with unique names, renames, deletes and undoes', async () => {
    const store = openStore();
    const m1 = await saveModel(store, model('circle'));
    const m2 = await saveModel(store, model('circle'));
    expect(m2.name).toBe('circle (2)');
    expect(await renameModel(store, m1.id, 'circle (2)')).toBe('circle (3)');
    const gone = await deleteModel(store, m2.id);
    expect((await listModels(store)).map((m) => m.id)).toEqual([m1.id]);
    const back = await restoreModel(store, gone!);
    expect(back.id).toBe(m2.id);
    expect((await listModels(store)).length).toBe(2);
  });

  it('keeps a dataset once per content, keyed by its SHA-256', async () => {
    const store = openStore();
    const bytes = new TextEncoder().encode('abc');
    const d = await putDataset(store, { name: 'a.csv', bytes, summary: { rows: 1 } });
    expect(d.hash).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    await putDataset(store, { name: 'again.csv', bytes, summary: { rows: 1 } });
    expect(await listDatasets(store)).toHaveLength(1);
    const got = await getDataset(store, d.hash);
    expect(new TextDecoder().decode(await got!.file.arrayBuffer())).toBe('abc');
  });
});

describe('schema migrations', () => {
  const toV2: Migration = (db, tx) => {
    // Test-only v2: an index on models by task, and a field filled in for existing runs.
    tx.objectStore('models').createIndex('task' as never, 'task');
    void db;
  };

  it('data written by version 1 survives the upgrade to version 2, and the new index works', async () => {
    const name = freshName();
    const v1 = openStore(name);
    const run = await createRun(v1, newRun('old run'));
    await saveCheckpoint(v1, run.id, { history: [row(1, 0.5)], network: net(0.5) });
    await saveModel(v1, model('old model'));
    await v1.close();

    const v2 = openStore(name, { version: 2, migrations: [...MIGRATIONS, toV2] });
    const db = await v2.db();
    expect(db.version).toBe(2);
    expect(Array.from(db.transaction('models').store.indexNames)).toContain('task');
    expect((await listRuns(v2)).map((r) => r.name)).toEqual(['old run']);
    expect((await getCheckpoint(v2, run.id))?.network.params[0].W[0]).toBe(0.5);
    const byTask = await (
      db as unknown as {
        getAllFromIndex(s: string, i: string, k: string): Promise<Array<{ name: string }>>;
      }
    ).getAllFromIndex('models', 'task', 'binary');
    expect(byTask.map((m) => m.name)).toEqual(['old model']);
  });

  it('a fresh database runs the whole ladder to version 2', async () => {
    const v2 = openStore(freshName(), { version: 2, migrations: [...MIGRATIONS, toV2] });
    const db = await v2.db();
    expect(Array.from(db.objectStoreNames).sort()).toEqual([
      'checkpoints',
      'datasets',
      'models',
      'runs',
    ]);
  });

  it('an old tab blocking the upgrade steps aside and asks for a reload; the new tab opens', async () => {
    const name = freshName();
    const events: StoreEvent[] = [];
    const oldTab = openStore(name, { onEvent: (e) => events.push(e) });
    await saveModel(oldTab, model('kept'));
    const newTab = openStore(name, { version: 2, migrations: [...MIGRATIONS, toV2] });
    expect((await newTab.db()).version).toBe(2);
    expect(events.some((e) => e.type === 'version-change')).toBe(true);
    const refused = await listModels(oldTab).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'blocked' });
    expect(englishOf(refused)).toMatch(/Reload this tab/);
    expect((await listModels(newTab)).map((m) => m.name)).toEqual(['kept']);
  });

  it('refuses a version the ladder does not reach', async () => {
    const s = openStore(freshName(), { version: 3 });
    await expect(s.db()).rejects.toThrow(/No migration to version 3/);
  });
});

describe('connection faults', () => {
  it('a connection closed underneath is reopened and the write retried once', async () => {
    const store = openStore();
    await saveModel(store, model('before'));
    (await store.db()).close(); // the browser dropped it without telling us
    await saveModel(store, model('after'));
    expect((await listModels(store)).map((m) => m.name).sort()).toEqual(['after', 'before']);
  });

  it('an abnormal close (close event) is noticed and the next read reopens', async () => {
    const store = openStore();
    await saveModel(store, model('one'));
    const db = await store.db();
    forceCloseDatabase(db as unknown as Parameters<typeof forceCloseDatabase>[0]);
    await new Promise((r) => setTimeout(r, 10));
    expect((await listModels(store)).map((m) => m.name)).toEqual(['one']);
    expect(await store.db()).not.toBe(db);
  });

  it('asks for persistent storage once, on the first write', async () => {
    const onFirstWrite = vi.fn();
    const store = openStore(freshName(), { onFirstWrite });
    await listModels(store);
    expect(onFirstWrite).not.toHaveBeenCalled();
    await saveModel(store, model('a'));
    await saveModel(store, model('b'));
    expect(onFirstWrite).toHaveBeenCalledTimes(1);
  });

  it('another tab hears about a change through the broadcast channel', async () => {
    const name = freshName();
    const a = openStore(name, { broadcast: true });
    const b = openStore(name, { broadcast: true });
    const heard = new Promise<StoreEvent>((resolve) =>
      b.subscribe((e) => e.type === 'changed' && resolve(e)),
    );
    await saveModel(a, model('shared'));
    const e = await heard;
    expect(e).toMatchObject({ type: 'changed', stores: ['models'], remote: true });
    expect((await listModels(b)).map((m) => m.name)).toEqual(['shared']);
  });
});
