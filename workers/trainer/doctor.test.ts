// The doctor and early stopping on the bundled samples, through a training session as the worker runs
// it (Node, TypeScript kernels): iris at a learning rate of a million diverges at once with a cause and
// a fix whose rate trains it; the range test's rate trains wine; diabetes stops early by itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TrainerSession } from './session.ts';
import { defaultHooks } from './hooks.ts';
import { parseCsv } from '../data/parse.ts';
import { fitRecipe } from '../data/recipe.ts';
import { buildReport } from '../data/report.ts';
import { DEFAULT_RECIPE_SETTINGS } from '../data/types.ts';
import { patienceFor, type TrainConfig } from '../core/types.ts';
import type { PreparedDataset } from '../data/prepared.ts';
import { english } from '../store/english.test-support.ts';
import { msgOf } from '../messages/index.ts';

async function sample(name: string, target: string): Promise<PreparedDataset> {
  const text = readFileSync(new URL(`../../static/samples/${name}.csv`, import.meta.url), 'utf8');
  const res = await parseCsv(new Blob([text]), `${name}.csv`);
  if (!res.ok) throw new Error(res.problem.message);
  const out = fitRecipe(res.table, buildReport(res.table), {
    ...structuredClone(DEFAULT_RECIPE_SETTINGS),
    target,
  });
  if (!out.ok) throw new Error(out.problem.message);
  return out.dataset;
}

/** What the network editor suggests for a small table (src/lib/state/config.ts). */
function suggested(ds: PreparedDataset, patch: Partial<TrainConfig> = {}): TrainConfig {
  return {
    hidden: [{ units: 16, activation: 'tanh', keepProb: 1 }],
    init: 'xavier',
    optimizer: 'adam',
    learningRate: 0.01,
    batchSize: 16,
    epochs: 100,
    lambda: 0,
    seed: 42,
    beta1: 0.9,
    beta2: 0.999,
    patience: patienceFor(ds.train.m, 16, 'adam'),
    ...patch,
  };
}

async function train(ds: PreparedDataset, config: TrainConfig) {
  const s = new TrainerSession();
  s.load(ds);
  await s.prepare(config, { kernels: 'ts' });
  return { session: s, summary: await s.start() };
}

const accuracy = (t: { test: unknown }) =>
  (t.test as { classification: { accuracy: number } }).classification.accuracy;

describe('the divergence doctor on iris', () => {
  for (const optimizer of ['adam', 'sgd'] as const) {
    it(`${optimizer} at learning rate 1e6: diverged at epoch 1 with the cause, and the fix trains iris`, async () => {
      const ds = await sample('iris', 'species');
      const bad = suggested(ds, { optimizer, learningRate: 1e6 });
      const { summary } = await train(ds, bad);
      expect(summary.state).toBe('diverged');
      const d = summary.divergence!;
      expect(d.kind).toBe('blowup');
      expect(d.epoch).toBe(1);
      expect(english(d.cause)).toMatch(/^The learning rate 1,000,000 is too high: at epoch 1/);
      expect(summary.lrTest?.points.length).toBeGreaterThan(20);
      const rate = d.fix.learningRate!;
      expect(rate).toBe(summary.lrTest!.suggested);
      expect(english(d.fix.label)).toBe(`Train again with the learning rate ${rate}`);
      const fixed = await train(ds, { ...bad, learningRate: rate });
      expect(fixed.summary.state).toBe('done');
      expect(accuracy(fixed.summary)).toBeGreaterThanOrEqual(0.9);
    });
  }
});

describe('Find a learning rate', () => {
  it('wine: the curve and a rate that trains wine to at least 0.95 test accuracy', async () => {
    const ds = await sample('wine', 'cultivar');
    const s = new TrainerSession();
    s.load(ds);
    const config = suggested(ds);
    const views = await s.prepare(config, { kernels: 'ts' });
    const before = s.snapshot().network;
    const r = await s.findLearningRate(config);
    // the prepared run's weights are untouched
    expect(s.snapshot().network).toEqual(before);
    expect(views.buffer).toBe(s.views().buffer);
    expect(r.points.length).toBeGreaterThan(20);
    const { summary } = await train(ds, { ...config, learningRate: r.suggested! });
    expect(summary.state).toBe('done');
    expect(accuracy(summary)).toBeGreaterThanOrEqual(0.95);
  });

  it('reports its progress now and then: more mini-batches and a higher rate each time', async () => {
    const ds = await sample('wine', 'cultivar');
    // A clock that moves 10 ms per reading: slices of one or two batches, a report every few.
    let clock = 0;
    const s = new TrainerSession({ ...defaultHooks(), now: () => (clock += 10) });
    s.load(ds);
    const seen: Array<[number, number]> = [];
    const r = await s.findLearningRate(suggested(ds), (steps, lr) => seen.push([steps, lr]));
    expect(seen.length).toBeGreaterThan(5);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i][0]).toBeGreaterThan(seen[i - 1][0]);
      expect(seen[i][1]).toBeGreaterThan(seen[i - 1][1]);
    }
    // each report is a point of the curve the test returns
    for (const [steps, lr] of seen) expect(r.points[steps - 1].lr).toBe(lr);
    expect(seen.at(-1)![0]).toBeLessThan(r.steps + 1);
  });

  it('is refused while a run is under way, with a message to show', async () => {
    const ds = await sample('wine', 'cultivar');
    const s = new TrainerSession();
    s.load(ds);
    const config = suggested(ds, { epochs: 100000, patience: 0 });
    await s.prepare(config, { kernels: 'ts' });
    const done = s.start();
    const err = await s.findLearningRate(config).catch((e: unknown) => e);
    expect(msgOf(err)?.key).toBe('trainer.rangeTest.busy');
    s.stop();
    expect((await done).state).toBe('stopped');
    expect(msgOf(await new TrainerSession().findLearningRate(config).catch((e) => e))?.key).toBe(
      'trainer.noDataset',
    );
  });
});

describe('early stopping on diabetes (regression)', () => {
  it('stops by itself, keeps its best epoch, and beats the run without it', async () => {
    const ds = await sample('diabetes', 'progression');
    const on = await train(ds, suggested(ds));
    expect(on.summary.state).toBe('done');
    expect(on.summary.stoppedEarly).toBe(true);
    expect(on.summary.epochs).toBeLessThan(100);
    expect(on.summary.keptEpoch).toBe(on.summary.epochs - patienceFor(ds.train.m, 16, 'adam'));
    const off = await train(ds, suggested(ds, { patience: 0 }));
    expect(off.summary.epochs).toBe(100);
    const r2 = (x: typeof on) => (x.summary.test as { regression: { r2: number } }).regression.r2;
    // Overfit for 100 epochs the test R^2 falls to about 0.1; the kept epoch's is about 0.5.
    expect(r2(on)).toBeGreaterThan(0.4);
    expect(r2(on)).toBeGreaterThan(r2(off) + 0.2);
  });
});
