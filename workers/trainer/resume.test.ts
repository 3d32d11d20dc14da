// A run resumed from a checkpoint continues exactly as the uninterrupted run, bit for bit: a fresh
// session (as after a reload) prepared from the checkpoint, from an epoch's end or from mid-epoch,
// directly or through IndexedDB. Older checkpoints without the state still resume, optimizer afresh.
import { plainNetwork, plainResume } from '../core/packed.ts';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { TrainerSession, defaultHooks } from './session.ts';
import { PlannedTrainer } from '../core/train.ts';
import { createRng } from '../core/rng.ts';
import { LabStore } from '../store/store.ts';
import { createRun, resumePoint, saveCheckpoint } from '../store/runs.ts';
import type { PreparedDataset, PreparedSplit } from '../data/prepared.ts';
import type { OptimizerName, TrainConfig } from '../core/types.ts';
import type { TrainerSnapshot } from './types.ts';

function split(m: number, seed: number): PreparedSplit {
  const r = createRng(seed);
  const x = new Float32Array(2 * m),
    y = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const k = r.int(2);
    x[j] = (k ? 1 : -1) + 0.8 * r.gaussian();
    x[m + j] = (k ? -1 : 1) + 0.8 * r.gaussian();
    y[j] = k;
  }
  return { m, x, y };
}

const dataset = (): PreparedDataset => ({
  task: 'binary',
  targetName: 'label',
  featureNames: ['a', 'b'],
  classLabels: ['no', 'yes'],
  targetScale: null,
  train: split(90, 1),
  dev: split(30, 2),
  test: split(30, 3),
});

const N = 3;
const configFor = (optimizer: OptimizerName): TrainConfig => ({
  hidden: [
    { units: 6, activation: 'relu', keepProb: 0.8 },
    { units: 4, activation: 'tanh', keepProb: 0.7 },
  ],
  init: 'he',
  optimizer,
  learningRate: optimizer === 'adam' ? 0.01 : 0.1,
  batchSize: 16, // 90 examples: 6 batches, the last one of 10
  epochs: 2 * N,
  lambda: 0.01,
  seed: 11,
  beta1: 0.9,
  beta2: 0.999,
});

/** A session on a fixed clock, so the history's timing columns are reproducible too. */
const session = () => new TrainerSession({ ...defaultHooks(), now: () => 0 });

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 4000 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

/** The uninterrupted run: 2N epochs in one go. */
async function straight(config: TrainConfig) {
  const s = session();
  s.load(dataset());
  await s.prepare(config, { kernels: 'ts' });
  await s.start();
  return s.snapshot();
}

/** Trains `epochs` whole epochs then `batches` more batches, stepping from a paused start, and
 *  returns the checkpoint the trainer handed over when it paused there (then stops the run). */
async function checkpointAt(config: TrainConfig, epochs: number, batches: number) {
  const s = session();
  s.load(dataset());
  await s.prepare(config, { kernels: 'ts' });
  const got: TrainerSnapshot[] = [];
  s.pause();
  const done = s.start(undefined, { onCheckpoint: (x) => void got.push(x) });
  const stepTo = async (kind: 'epoch' | 'batch', n: number) => {
    for (let i = 0; i < n; i++) {
      const before = got.length;
      s.step(kind);
      await until(() => got.length > before, `the checkpoint after a ${kind}`);
    }
  };
  await stepTo('epoch', epochs);
  await stepTo('batch', batches);
  const paused = got.at(-1)!;
  expect(paused.state).toBe('paused');
  s.stop();
  expect((await done).state).toBe('stopped');
  // Stopping while paused trains nothing more: the last checkpoint is the same state.
  expect(got.at(-1)!.network).toEqual(paused.network);
  expect(got.at(-1)!.resume).toEqual(paused.resume);
  // As after a reload: only plain data survives.
  return structuredClone(paused);
}

/** A new session prepared from the checkpoint, trained to the end. */
async function resumed(config: TrainConfig, cp: Pick<TrainerSnapshot, 'network' | 'resume'>) {
  const s = session();
  s.load(dataset());
  const views = await s.prepare(config, { kernels: 'ts', params: cp.network, resume: cp.resume });
  expect(views.epochs).toBe(config.epochs - cp.resume!.epoch);
  await s.start();
  return s.snapshot();
}

describe('resuming a checkpoint continues exactly (TrainerSession, TypeScript kernels)', () => {
  for (const optimizer of ['sgd', 'momentum', 'adam', 'gd'] as const) {
    it(`${optimizer} with dropout: from an epoch's end and from mid-epoch, bit for bit`, async () => {
      const config = configFor(optimizer);
      const whole = await straight(config);
      expect(whole.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
      const batchesPerEpoch = optimizer === 'gd' ? 1 : 6;
      for (const batches of optimizer === 'gd' ? [0] : [0, 4]) {
        const cp = await checkpointAt(config, N, batches);
        expect(cp.resume).toMatchObject({ optimizer, epoch: N, batch: batches });
        expect(cp.history).toEqual(whole.history.slice(0, N));
        const after = await resumed(config, cp);
        expect(after.network).toEqual(whole.network);
        // History rows number on from the checkpoint and equal the uninterrupted run's.
        expect(after.history).toEqual(whole.history.slice(N));
        expect(after.epoch).toBe(2 * N);
        expect(batches).toBeLessThan(batchesPerEpoch);
      }
    });
  }

  it('the checkpoint survives an IndexedDB round trip and resumes bit for bit from the stored copy', async () => {
    const config = configFor('adam');
    const whole = await straight(config);
    const cp = await checkpointAt(config, N, 2);
    const store = new LabStore({ name: 'resume-idb', broadcast: false, onFirstWrite: () => {} });
    try {
      const run = await createRun(store, {
        config,
        datasetHash: null,
        datasetName: 'blobs',
        recipe: null,
        spec: cp.network.spec,
        task: 'binary',
        targetName: 'label',
        featureNames: ['a', 'b'],
        classLabels: ['no', 'yes'],
        targetScale: null,
      });
      await saveCheckpoint(store, run.id, {
        history: cp.history,
        network: cp.network,
        epoch: N,
        elapsedMs: cp.elapsedMs,
        trainerState: cp.resume,
      });
      const point = await resumePoint(store, run.id);
      expect(point.epoch).toBe(N);
      expect(point.trainerState).toEqual(plainResume(cp.resume!));
      const after = await resumed(config, { network: point.network, resume: point.trainerState });
      expect(after.network).toEqual(whole.network);
      expect(after.history).toEqual(whole.history.slice(N));
    } finally {
      await store.close();
    }
  });

  it('an older checkpoint without the state resumes from its weights with the optimizer afresh', async () => {
    const config = configFor('momentum');
    const cp = await checkpointAt(config, N, 0);
    const store = new LabStore({ name: 'resume-old', broadcast: false, onFirstWrite: () => {} });
    try {
      const run = await createRun(store, {
        config,
        datasetHash: null,
        datasetName: 'blobs',
        recipe: null,
        spec: cp.network.spec,
        task: 'binary',
        targetName: 'label',
        featureNames: ['a', 'b'],
        classLabels: ['no', 'yes'],
        targetScale: null,
      });
      // What an older version of the app stored: the weights and history, trainerState null.
      await saveCheckpoint(store, run.id, { history: cp.history, network: cp.network, epoch: N });
      const point = await resumePoint(store, run.id);
      expect(point.trainerState).toBeNull();
      const s = session();
      s.load(dataset());
      const views = await s.prepare(config, {
        kernels: 'ts',
        params: point.network,
        startEpoch: point.epoch,
        resume: point.trainerState,
      });
      expect(views.epochs).toBe(N);
      await s.start();
      const after = s.snapshot();
      expect(after.history.map((h) => h.epoch)).toEqual([4, 5, 6]);
      // Afresh: the same as a trainer started from those weights with zero velocity and the seed's
      // generator, and not the same as the exact continuation.
      const ds = dataset();
      const fresh = new PlannedTrainer({
        spec: cp.network.spec,
        config,
        task: 'binary',
        data: { train: ds.train, dev: ds.dev, test: ds.test },
        params: cp.network.params,
        startEpoch: N,
      });
      while (!fresh.finished) fresh.trainEpoch();
      expect(plainNetwork(after.network).params).toEqual(fresh.params());
      const exact = await resumed(config, cp);
      expect(after.network.params).not.toEqual(exact.network.params);
    } finally {
      await store.close();
    }
  });

  it('refuses a state that cannot continue this run, saying why', async () => {
    const cp = await checkpointAt(configFor('adam'), 1, 0);
    const s = session();
    s.load(dataset());
    await expect(
      s.prepare(configFor('momentum'), { kernels: 'ts', params: cp.network, resume: cp.resume }),
    ).rejects.toThrow(
      'The saved training state cannot continue this run: it was saved with the adam optimizer, this run uses momentum.',
    );
    const other = dataset();
    other.train = split(50, 4);
    s.load(other);
    await expect(
      s.prepare(configFor('adam'), { kernels: 'ts', params: cp.network, resume: cp.resume }),
    ).rejects.toThrow(/it shuffled 90 training examples, the data has 50; load the run's own data/);
  });
});
