import { describe, expect, it } from 'vitest';
import { TrainerSession, defaultHooks } from './session.ts';
import { viewArena } from '../core/arena.ts';
import { readHistoryRow } from '../core/control.ts';
import { createRng } from '../core/rng.ts';
import { CTRL, STATES, type TrainConfig } from '../core/types.ts';
import type { PreparedDataset, PreparedSplit } from '../data/prepared.ts';
import type { SessionViews, TrainerSnapshot } from './types.ts';
import { english } from '../store/english.test-support.ts';

function split(m: number, seed: number): PreparedSplit {
  const r = createRng(seed);
  const x = new Float32Array(2 * m),
    y = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const k = r.int(2);
    x[j] = (k ? 1 : -1) + 0.6 * r.gaussian();
    x[m + j] = (k ? -1 : 1) + 0.6 * r.gaussian();
    y[j] = k;
  }
  return { m, x, y };
}

export const dataset = (): PreparedDataset => ({
  task: 'binary',
  targetName: 'label',
  featureNames: ['a', 'b'],
  classLabels: ['no', 'yes'],
  targetScale: null,
  train: split(400, 1),
  dev: split(100, 2),
  test: split(100, 3),
});

const config: TrainConfig = {
  hidden: [{ units: 8, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 4,
  epochs: 20000,
  lambda: 0,
  seed: 3,
  beta1: 0.9,
  beta2: 0.999,
};

/** The control and history blocks as the trainer wrote them (the page reads them with
 * src/lib/engine/trainer-view.ts); commands go through the session's own methods. */
function blocks(views: SessionViews) {
  const arena = viewArena(views.buffer, views.layout);
  const ctrl = arena.i32('ctrl');
  const history = arena.f64('history');
  const at = (slot: number) => Atomics.load(ctrl, slot);
  return {
    ctrl,
    get state() {
      return STATES[at(CTRL.STATE)];
    },
    get totalSteps() {
      return at(CTRL.TOTAL_STEPS);
    },
    get batchInEpoch() {
      return at(CTRL.STEP);
    },
    get batchesPerEpoch() {
      return at(CTRL.BATCHES_PER_EPOCH);
    },
    get historyLength() {
      return at(CTRL.HISTORY_LEN);
    },
    history: () =>
      Array.from({ length: at(CTRL.HISTORY_LEN) }, (_, r) => readHistoryRow(history, r)),
  };
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('training session (Node, same thread)', () => {
  it('starts, pauses, steps one batch and one epoch, resumes and stops, with metrics in the arena', async () => {
    const s = new TrainerSession();
    expect(s.load(dataset())).toMatchObject({
      inputs: 2,
      outputs: 1,
      m: { train: 400, dev: 100, test: 100 },
    });
    const views = await s.prepare(config, { kernels: 'ts' });
    const v = blocks(views);
    expect(v.state).toBe('idle');
    expect(v.batchesPerEpoch).toBe(100);
    const snaps: TrainerSnapshot[] = [];
    const done = s.start(undefined, {
      onCheckpoint: (x) => {
        snaps.push(x);
      },
    });
    await until(() => v.historyLength >= 1, 'the first epoch');
    expect(v.state).toBe('running');
    s.pause();
    await until(() => v.state === 'paused', 'pause');
    const steps = v.totalSteps;
    await new Promise((r) => setTimeout(r, 30));
    expect(v.totalSteps).toBe(steps); // paused means paused
    // answered while paused
    expect(s.predict(new Float32Array([1, -1]), 1)[0]).toBeGreaterThan(0.5);
    expect(s.inspect().layers).toHaveLength(2);
    s.step('batch');
    await until(() => v.totalSteps === steps + 1, 'one step');
    await new Promise((r) => setTimeout(r, 20));
    expect(v.totalSteps).toBe(steps + 1);
    expect(v.state).toBe('paused');
    const epochs = v.historyLength;
    s.step('epoch');
    await until(() => v.historyLength === epochs + 1, 'one epoch');
    await new Promise((r) => setTimeout(r, 20));
    expect(v.batchInEpoch).toBe(0);
    expect(v.state).toBe('paused');
    s.resume();
    await until(() => v.historyLength >= epochs + 3, 'more epochs');
    s.stop();
    const sum = await done;
    expect(sum.state).toBe('stopped');
    expect(v.state).toBe('stopped');
    const h = v.history();
    expect(h.length).toBe(sum.epochs);
    expect(h[0].epoch).toBe(1);
    expect(h.at(-1)!.devAccuracy).toBeGreaterThan(0.8);
    expect(sum.test?.task !== 'regression' && sum.test!.classification.accuracy).toBeGreaterThan(
      0.8,
    );
    expect(snaps.at(-1)!.state).toBe('stopped');
    expect(snaps.at(-1)!.history.length).toBe(sum.epochs);
  });

  it('runs to done, then start() again reproduces the same curve bit for bit', async () => {
    const s = new TrainerSession();
    s.load(dataset());
    await s.prepare({ ...config, epochs: 3, batchSize: 32 }, { kernels: 'ts' });
    const a = await s.start();
    const h1 = s.snapshot().history.map((r) => [r.trainLoss, r.devLoss]);
    const b = await s.start();
    const h2 = s.snapshot().history.map((r) => [r.trainLoss, r.devLoss]);
    expect(a.state).toBe('done');
    expect(b.state).toBe('done');
    expect(h2).toEqual(h1);
    const g = s.gradientCheck();
    expect(g.overall).toBeLessThan(1e-5); // float32 parameters, float64 check
  });

  it('a Step pressed before start runs one batch and waits paused', async () => {
    const s = new TrainerSession();
    s.load(dataset());
    const v = blocks(await s.prepare(config, { kernels: 'ts' }));
    s.step('batch');
    const done = s.start();
    await until(() => v.state === 'paused', 'paused after one batch');
    expect(v.totalSteps).toBe(1);
    s.stop();
    expect((await done).state).toBe('stopped');
    expect(Atomics.load(v.ctrl, CTRL.PAUSE)).toBe(0);
  });

  it('reports divergence in the summary', async () => {
    const s = new TrainerSession();
    s.load(dataset());
    const reg = dataset();
    reg.task = 'regression';
    reg.targetScale = { mean: 0, std: 1 };
    s.load(reg);
    await s.prepare(
      {
        ...config,
        learningRate: 1e3,
        epochs: 5,
        hidden: [{ units: 8, activation: 'relu', keepProb: 1 }],
      },
      { kernels: 'ts' },
    );
    const sum = await s.start();
    expect(sum.state).toBe('diverged');
    expect(sum.divergence!.epoch).toBe(1);
    expect(english(sum.divergence!.cause)).toMatch(
      /^The learning rate 1,000 is too high: (the loss (grew to infinity|became NaN \(not a number\)) at epoch 1|at epoch 1 the loss grew to [\d,.]+, more than 10 times its best)\.$/,
    );
    // The fix's rate comes from a range test on a copy of the weights: a rate at which the loss fell.
    const test = sum.lrTest!;
    expect(test.suggested).not.toBeNull();
    expect(sum.divergence!.fix.learningRate).toBe(test.suggested);
    expect(test.suggested!).toBeLessThan(1e3);
    expect(english(sum.divergence!.fix.label)).toMatch(
      /^Train again with the learning rate [\d.]+$/,
    );
    expect(s.snapshot().network.params.every((p) => p.W.every(Number.isFinite))).toBe(true);
    expect(s.snapshot().state).toBe('diverged');
  });

  it('refuses to prepare without data and explains bad shapes', async () => {
    const s = new TrainerSession();
    await expect(s.prepare(config)).rejects.toMatchObject({ msg: { key: 'trainer.noDataset' } });
    const bad = dataset();
    bad.dev.x = new Float32Array(3);
    expect(() => s.load(bad)).toThrow(
      "The dev split's X should be 2 x 100 (features x examples) but has 3 values.",
    );
  });

  it('tries the pool on the run’s own batches and keeps the faster, bit for bit the same', async () => {
    // A clock that advances only in products: 200 ms per product on one thread, 100 on the pool (or
    // `pooledCost` hundreds), so the trial's timings are exact.
    let clock = 0;
    const run = async (pooledCost: number) => {
      const uses: number[] = [];
      const s = new TrainerSession({
        ...defaultHooks(),
        now: () => clock,
        canSpawnHelpers: true,
        chooseHelpers: async () => 1,
        poolThresholdFlops: 0,
        createPool: async (trainer) => {
          const inner = trainer.kernels.inner;
          let active = 2;
          return {
            name: `${inner.name}-x2`,
            threads: 2,
            use: (n: number) => {
              active = n;
              uses.push(n);
            },
            gemm: (...args: Parameters<typeof inner.gemm>) => {
              clock += active > 1 ? pooledCost * 100 : 200;
              inner.gemm(...args);
            },
            close: () => {},
          };
        },
      });
      s.load(dataset());
      const v = blocks(await s.prepare({ ...config, epochs: 2, batchSize: 32 }));
      expect(Atomics.load(v.ctrl, CTRL.THREADS)).toBe(0); // no trial yet
      expect(s.threadUse()?.trial).toBeNull();
      expect((await s.start()).state).toBe('done');
      return {
        s,
        uses,
        threads: Atomics.load(v.ctrl, CTRL.THREADS),
        params: s.snapshot().network.params,
      };
    };
    const fast = await run(1);
    expect(fast.uses.slice(0, 3)).toEqual([1, 1, 2]); // warm-up and the first pair's single batch on one thread
    expect(fast.threads).toBe(2);
    expect(fast.s.threadUse()?.trial).toEqual({ threads: 2, gain: 2, pairs: 3 });
    const slow = await run(1.6); // 1.25x: not worth the second core
    expect(slow.threads).toBe(1);
    expect(slow.s.threadUse()?.trial).toMatchObject({ threads: 1, pairs: 3 });
    expect(slow.uses.at(-1)).toBe(1);
    expect(slow.params).toEqual(fast.params);
  });
});
