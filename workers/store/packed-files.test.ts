// What training writes reads back and travels in files: a run whose checkpoint is stored packed with
// the epoch watch in its resume state, early stopping in its settings and the doctor's finding as
// messages; a model kept from a run (packed weights, its epoch among the metrics); a dataset that
// remembers its source. None is set aside as damaged, exports carry plain weights, and a fresh store
// imports them back as they were.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { packNetwork, packResume } from '../core/packed.ts';
import type { Divergence, ResumeState, TrainConfig } from '../core/types.ts';
import { LabStore } from './store.ts';
import { createFileJobs } from './api.ts';
import { createRun, finishRun, getCheckpoint, getRun } from './runs.ts';
import { saveModel } from './models.ts';
import { putDataset } from './datasets.ts';
import { readModels, readRuns } from './read-back.ts';
import type { BackupFile, RunFile } from './files.ts';
import { config as baseConfig, model, network } from './fixtures.test-support.ts';

const opened: LabStore[] = [];
let n = 0;
function openStore(): LabStore {
  const s = new LabStore({
    name: `packed-files-${Date.now()}-${n++}`,
    broadcast: false,
    onFirstWrite: () => undefined,
  });
  opened.push(s);
  return s;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const config: TrainConfig = { ...baseConfig, patience: 7 };
const net = network();
const count = net.params.reduce((k, p) => k + p.W.length + p.b.length, 0);
const state: ResumeState = {
  version: 1,
  optimizer: 'adam',
  epoch: 4,
  batch: 0,
  rng: [1, 2, 3, 4],
  perm: [1, 0],
  v: Array.from({ length: count }, (_, i) => i / 10),
  s: Array.from({ length: count }, (_, i) => i / 100),
  t: 8,
  sums: { loss: 0, correct: 0, sqErr: 0, seen: 0, ms: 0 },
  elapsedMs: 40,
  backup: null,
  watch: {
    bestEpoch: 3,
    bestLoss: 0.25,
    bestParams: Array.from({ length: count }, () => 0.5),
    sinceBest: 1,
    minTrainLoss: 0.2,
    plateau: 0,
    stopped: false,
  },
};
const divergence: Divergence = {
  epoch: 4,
  step: 0,
  kind: 'blowup',
  loss: Infinity,
  restoredEpoch: 3,
  cause: { key: 'trainer.diverge.rate', params: { kind: 'blowup', epoch: 4, rate: 0.01 } },
  fix: { label: { key: 'trainer.fix.lower', params: { rate: 0.0033 } }, learningRate: 0.0033 },
};

async function trainedRun(store: LabStore) {
  const run = await createRun(store, {
    config,
    datasetHash: null,
    datasetName: 'circle.csv',
    recipe: null,
    spec: net.spec,
    task: 'binary',
    targetName: 'label',
    featureNames: ['x', 'y'],
    classLabels: ['out', 'in'],
    targetScale: null,
  });
  const history = [1, 2, 3, 4].map((epoch) => ({
    epoch,
    trainLoss: 1 / epoch,
    devLoss: NaN,
    trainAccuracy: 0.5,
    devAccuracy: NaN,
    trainRmse: NaN,
    devRmse: NaN,
    examplesPerSecond: 100,
    elapsedMs: 10 * epoch,
  }));
  await finishRun(store, run.id, {
    status: 'diverged',
    history,
    network: packNetwork(net),
    trainerState: packResume(state),
    divergence,
    final: null,
  });
  return run.id;
}

describe('records written by training, read back and carried in files', () => {
  it('a packed checkpoint, early stopping and the doctor’s messages read back and round-trip', async () => {
    const store = openStore();
    const id = await trainedRun(store);
    const raw = await store.read((db) => db.get('checkpoints', id));
    expect(raw!.network.params[0].W).toBeInstanceOf(Float64Array);
    expect((await getCheckpoint(store, id))!.trainerState!.watch).toEqual(state.watch);

    const runs = await readRuns(store);
    expect(runs.damaged).toEqual([]);
    expect(runs.records.map((r) => r.id)).toEqual([id]);

    const jobs = createFileJobs(() => store);
    const file = await jobs.exportRun(store.name, id);
    const text = await file.blob.text();
    const parsed = JSON.parse(text) as RunFile;
    expect(parsed.checkpoint!.network).toEqual(net);
    expect(parsed.run.config.patience).toBe(7);

    const other = openStore();
    const report = await createFileJobs(() => other).importFile(
      other.name,
      new File([text], file.name, { type: 'application/json' }),
    );
    expect(report.refusedCount).toBe(0);
    const back = await getRun(other, report.runs[0].id);
    expect(back!.config.patience).toBe(7);
    // JSON has no infinity: the last loss comes back as NaN; everything else as it was.
    expect(back!.divergence).toEqual({ ...divergence, loss: NaN });
    expect((await getCheckpoint(other, back!.id))!.network).toEqual(net);
  });

  it('a kept model and a dataset with its source go into the backup, with plain weights', async () => {
    const store = openStore();
    const id = await trainedRun(store);
    await saveModel(store, {
      ...model('kept'),
      network: packNetwork(net),
      runId: id,
      metrics: { testAccuracy: 0.9, epoch: 4 },
    });
    await putDataset(store, {
      name: 'circle.csv',
      bytes: new TextEncoder().encode('x,y,label\n1,2,in\n'),
      summary: null,
      source: { kind: 'sample', id: 'circle' },
      parseOptions: { delimiter: ',' },
      settings: null,
    });
    const models = await readModels(store);
    expect(models.damaged).toEqual([]);
    expect(models.records[0].network).toEqual(net);
    expect(models.records[0].metrics).toEqual({ testAccuracy: 0.9, epoch: 4 });

    const backup = await createFileJobs(() => store).exportBackup(store.name);
    expect(backup.skipped).toEqual([]);
    expect(backup.counts).toEqual({ models: 1, runs: 1, datasets: 1 });
    const file = JSON.parse(await backup.blob.text()) as BackupFile;
    expect(file.runs[0].checkpoint!.network).toEqual(net);
    expect(file.models[0].network).toEqual(net);
    expect(file.models[0].metrics).toEqual({ testAccuracy: 0.9, epoch: 4 });
  });
});
