// The page's reader of a session's shared memory against a real training session in this thread:
// it reads the same rows the trainer keeps (one layout, EPOCH_FIELDS), sees the live weights, and its
// Atomics commands pause, step, resume and stop the run.
import { describe, expect, it } from 'vitest';
import { TrainerSession } from '../../../workers/trainer/session.ts';
import { createRng } from '../../../workers/core/rng.ts';
import { EPOCH_FIELDS, type TrainConfig } from '../../../workers/core/types.ts';
import type { PreparedDataset, PreparedSplit } from '../../../workers/data/prepared.ts';
import { TrainerView } from './trainer-view.ts';

function split(m: number, seed: number): PreparedSplit {
  const r = createRng(seed);
  const x = new Float32Array(2 * m);
  const y = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const k = r.int(2);
    x[j] = (k ? 1 : -1) + 0.6 * r.gaussian();
    x[m + j] = (k ? -1 : 1) + 0.6 * r.gaussian();
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
  train: split(200, 1),
  dev: split(50, 2),
  test: split(50, 3),
});

const config: TrainConfig = {
  hidden: [{ units: 4, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 10,
  epochs: 100_000,
  lambda: 0,
  seed: 3,
  beta1: 0.9,
  beta2: 0.999,
};

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('TrainerView (the page side of the shared memory)', () => {
  it('reads the history rows the trainer keeps, field by field, and the live weights', async () => {
    const s = new TrainerSession();
    s.load(dataset());
    const v = new TrainerView(await s.prepare({ ...config, epochs: 3 }, { kernels: 'ts' }));
    expect(v.state).toBe('idle');
    expect(v.epochs).toBe(3);
    expect(v.batchesPerEpoch).toBe(20);
    const version = v.paramsVersion;
    const summary = await s.start();
    expect(v.state).toBe('done');
    expect(v.epoch).toBe(3);
    expect(v.totalSteps).toBe(60);
    expect(v.paramsVersion).toBeGreaterThan(version);
    const snap = s.snapshot();
    const rows = v.history();
    expect(rows).toHaveLength(3);
    // Every field, in the trainer's own words (NaN where a value does not apply).
    expect(rows).toEqual(snap.history);
    expect(Object.keys(rows[0])).toEqual([...EPOCH_FIELDS]);
    expect(v.history(2)).toEqual(rows.slice(2));
    expect(rows.at(-1)!.trainLoss).toBeCloseTo(summary.final!.trainLoss, 6);
    expect(Number.isFinite(v.lastBatchLoss())).toBe(true);
    const p = v.params(1);
    expect([p.rows, p.cols]).toEqual([4, 2]);
    expect(Array.from(p.W)).toEqual(Array.from(snap.network.params[0].W));
    expect(Array.from(v.params(2).b)).toEqual(Array.from(snap.network.params[1].b));
    expect(() => v.params(3)).toThrow('The network has no layer 3 (layers are 1..2).');
  });

  it('pauses, steps one batch and one epoch, resumes and stops the run through Atomics', async () => {
    const s = new TrainerSession();
    s.load(dataset());
    const v = new TrainerView(await s.prepare(config, { kernels: 'ts' }));
    const done = s.start();
    await until(() => v.historyLength >= 1, 'the first epoch');
    expect(v.state).toBe('running');
    v.pause();
    await until(() => v.state === 'paused', 'pause');
    const steps = v.totalSteps;
    await new Promise((r) => setTimeout(r, 30));
    expect(v.totalSteps).toBe(steps);
    v.step('batch');
    await until(() => v.totalSteps === steps + 1, 'one batch');
    expect(v.state).toBe('paused');
    const epochs = v.historyLength;
    v.step('epoch');
    await until(() => v.historyLength === epochs + 1, 'one epoch');
    await new Promise((r) => setTimeout(r, 20));
    expect(v.batchInEpoch).toBe(0);
    expect(v.state).toBe('paused');
    v.resume();
    await until(() => v.historyLength >= epochs + 3, 'more epochs');
    v.stop();
    expect((await done).state).toBe('stopped');
    expect(v.state).toBe('stopped');
  });

  it('names a buffer the layout does not have', async () => {
    const s = new TrainerSession();
    s.load(dataset());
    const views = await s.prepare(config, { kernels: 'ts' });
    const { ctrl: _ctrl, ...buffers } = views.layout.buffers;
    expect(() => new TrainerView({ ...views, layout: { ...views.layout, buffers } })).toThrow(
      'The training session has no buffer "ctrl".',
    );
  });
});
