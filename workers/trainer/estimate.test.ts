import { describe, expect, it } from 'vitest';
import { TrainerSession, defaultHooks } from './session.ts';
import { allocating, arenaBytesFor, assertFits } from './budget.ts';
import { estimateRun, flopsPerExample } from './estimate.ts';
import { MEMORY_BUDGET, memoryBudget, type DataShape } from './types.ts';
import { specFor } from '../core/activations.ts';
import { msgOf } from '../messages/index.ts';
import type { TrainConfig } from '../core/types.ts';
import type { PreparedDataset } from '../data/prepared.ts';

const MiB = 2 ** 20;

/** Two features, a binary target: 400 / 100 / 100 examples (the values do not matter here). */
const dataset = (): PreparedDataset => {
  const split = (m: number) => ({
    m,
    x: Float32Array.from({ length: 2 * m }, (_, i) => Math.sin(i)),
    y: Float32Array.from({ length: m }, (_, j) => j % 2),
  });
  return {
    task: 'binary',
    targetName: 'label',
    featureNames: ['a', 'b'],
    classLabels: ['no', 'yes'],
    targetScale: null,
    train: split(400),
    dev: split(100),
    test: split(100),
  };
};

const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  hidden: [
    { units: 64, activation: 'relu', keepProb: 1 },
    { units: 32, activation: 'tanh', keepProb: 0.9 },
  ],
  init: 'he',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 16,
  epochs: 7,
  lambda: 0,
  seed: 1,
  beta1: 0.9,
  beta2: 0.999,
  ...over,
});

const shapeOf = (s: ReturnType<typeof dataset>): DataShape => ({
  task: s.task,
  inputs: s.featureNames.length,
  outputs: s.train.y.length / s.train.m,
  m: { train: s.train.m, dev: s.dev.m, test: s.test.m },
});

describe('memory budget', () => {
  it('is a quarter of the device memory, within its bounds, and a fallback where unknown', () => {
    expect(memoryBudget(4)).toBe(1024 * MiB);
    expect(memoryBudget(8)).toBe(2048 * MiB);
    expect(memoryBudget(64)).toBe(MEMORY_BUDGET.max);
    expect(memoryBudget(0.25)).toBe(MEMORY_BUDGET.min);
    expect(memoryBudget(1)).toBe(256 * MiB);
    expect(memoryBudget(undefined)).toBe(MEMORY_BUDGET.fallback);
    expect(memoryBudget(null)).toBe(MEMORY_BUDGET.fallback);
    expect(memoryBudget(Number.NaN)).toBe(MEMORY_BUDGET.fallback);
  });

  it('refuses a size over it with both sizes in MB, and lets a size within it pass', () => {
    expect(() => assertFits(100 * MiB, 100 * MiB)).not.toThrow();
    let caught: unknown = null;
    try {
      assertFits(300.25 * MiB, 128 * MiB);
    } catch (e) {
      caught = e;
    }
    expect(msgOf(caught)).toEqual({
      key: 'trainer.memory.overBudget',
      params: { needMb: 300.3, budgetMb: 128 },
    });
  });

  it('turns a failed allocation into a message, and lets other errors through', () => {
    let caught: unknown = null;
    try {
      allocating(64 * MiB, () => {
        throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      });
    } catch (e) {
      caught = e;
    }
    expect(msgOf(caught)).toEqual({
      key: 'trainer.memory.allocationFailed',
      params: { needMb: 64 },
    });
    expect(() =>
      allocating(1, () => {
        throw new TypeError('other');
      }),
    ).toThrow(TypeError);
    expect(allocating(1, () => 42)).toBe(42);
  });
});

describe('estimate', () => {
  it("gives the arena's real size, the one prepare allocates, for several settings", async () => {
    const ds = dataset();
    for (const c of [
      config(),
      config({ optimizer: 'gd', epochs: 3 }),
      config({ optimizer: 'momentum', batchSize: 400, epochs: 50 }),
      config({ hidden: [{ units: 300, activation: 'sigmoid', keepProb: 1 }], batchSize: 1 }),
    ]) {
      const s = new TrainerSession();
      s.load(ds);
      const est = await s.estimate(shapeOf(ds), c);
      const views = await s.prepare(c);
      expect(est.arenaBytes).toBe(views.arenaBytes);
      expect(est.arenaBytes).toBe(views.buffer.byteLength);
    }
  });

  it('probes the time per epoch and scales it to the run', async () => {
    const ds = dataset();
    const s = new TrainerSession();
    const c = config();
    const est = await s.estimate(shapeOf(ds), c, 1024 * MiB);
    expect(est.basis).toBe('probe');
    expect(est.fits).toBe(true);
    expect(est.threads).toBe(1);
    expect(est.batchMs).toBeGreaterThan(0);
    // 400 training columns in batches of 16, and the dev pass (a third of a step per column).
    const colMs = est.batchMs! / 16;
    expect(est.epochMs).toBeCloseTo(colMs * 400 + (colMs * 100) / 3, 6);
    expect(est.totalMs).toBeCloseTo(est.epochMs * 7, 6);
    expect(est.epochs).toBe(7);
  });

  it('does not probe a run over the budget: its time comes from the flops', async () => {
    const ds = dataset();
    const shape = shapeOf(ds);
    const c = config();
    const hooks = defaultHooks();
    const est = await estimateRun({
      shape,
      config: c,
      budgetBytes: 1,
      helpers: 0,
      hooks,
      gflops: 10,
      probe: true,
    });
    expect(est.fits).toBe(false);
    expect(est.basis).toBe('model');
    expect(est.batchMs).toBeNull();
    const f = flopsPerExample(specFor('binary', 2, 1, c.hidden));
    // 2-64-32-1: 6 (2*64 + 64*32 + 32) flops per example, at half the calibrated speed.
    expect(f).toBe(6 * (128 + 2048 + 32));
    expect(est.epochMs).toBeCloseTo((f * 400 + (f / 3) * 100) / (5 * 1e6), 9);
    expect(est.arenaBytes).toBe(arenaBytesFor(specFor('binary', 2, 1, c.hidden), c, shape.m, 1));
  });

  it('refuses to prepare a run over the budget and keeps the prepared one', async () => {
    const ds = dataset();
    const s = new TrainerSession();
    s.load(ds);
    const small = await s.prepare(config());
    let caught: unknown = null;
    try {
      await s.prepare(config({ hidden: [{ units: 4096, activation: 'relu', keepProb: 1 }] }), {
        budgetBytes: 8 * MiB,
      });
    } catch (e) {
      caught = e;
    }
    expect(msgOf(caught)?.key).toBe('trainer.memory.overBudget');
    expect(s.views().buffer).toBe(small.buffer);
    // Within the budget it prepares as before.
    const again = await s.prepare(config(), { budgetBytes: 8 * MiB });
    expect(again.arenaBytes).toBe(small.arenaBytes);
  });
});
