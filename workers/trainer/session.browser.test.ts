// The real thing: the trainer worker in headless Chromium (cross-origin isolated), driven through
// Comlink, its progress and parameters read straight from the shared memory. (The page's own reader,
// src/lib/engine/trainer-view.ts, has its test beside it.)
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import type { TrainerApi } from '../trainer.worker.ts';
import { viewArena } from '../core/arena.ts';
import { readHistoryRow } from '../core/control.ts';
import type { TrainerSnapshot } from './types.ts';
import { createRng } from '../core/rng.ts';
import type { PreparedDataset, PreparedSplit } from '../data/prepared.ts';
import { CTRL, STATES, type TrainConfig } from '../core/types.ts';

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

const dataset: PreparedDataset = {
  task: 'binary',
  targetName: 'label',
  featureNames: ['a', 'b'],
  classLabels: ['no', 'yes'],
  targetScale: null,
  train: split(400, 1),
  dev: split(100, 2),
  test: split(100, 3),
};

const config: TrainConfig = {
  hidden: [{ units: 8, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 4,
  epochs: 100000,
  lambda: 0,
  seed: 3,
  beta1: 0.9,
  beta2: 0.999,
};

const until = async (cond: () => boolean, what: string, ms = 20_000) => {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => requestAnimationFrame(r));
  }
};

describe('trainer worker session (real Worker, shared memory)', () => {
  it('runs in an isolated page with SharedArrayBuffer', () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
  });

  it('shares big products with a helper thread when asked (helpers: 1) and trains the same as one thread', async () => {
    const worker = new Worker(new URL('../trainer.worker.ts', import.meta.url), { type: 'module' });
    const t = Comlink.wrap<TrainerApi>(worker);
    try {
      const r = createRng(5);
      const m = 256,
        nx = 64;
      const x = new Float32Array(nx * m).map(() => r.gaussian());
      const y = new Float32Array(m).map(() => r.int(2));
      const empty = { m: 0, x: new Float32Array(0), y: new Float32Array(0) };
      await t.load({
        ...dataset,
        featureNames: Array.from({ length: nx }, (_, i) => `f${i}`),
        train: { m, x, y },
        dev: empty,
        test: empty,
      });
      const cfg: TrainConfig = {
        ...config,
        hidden: [{ units: 256, activation: 'relu', keepProb: 1 }],
        batchSize: 64,
        // 280 batches: more than a thread trial takes at most (thread-trial.ts).
        epochs: 70,
      };
      const pooled = await t.prepare(cfg, { helpers: 1 });
      expect(pooled.kernel).toMatch(/-x2/);
      expect((await t.start()).state).toBe('done');
      const a = (await t.snapshot()).network.params;
      // The helper really computed its parts of the run's products, with compute time of its own.
      const use = await t.threads();
      expect(use.kernel).toBe(pooled.kernel);
      expect(use.helperParts).toHaveLength(1);
      expect(use.helperParts[0]).toBeGreaterThan(0);
      expect(use.helperBusyMs[0]).toBeGreaterThan(0);
      // The run tried the pool against one thread on its own batches and kept one of them.
      expect(use.trial).not.toBeNull();
      expect(use.trial!.pairs).toBeGreaterThan(0);
      expect(use.trial!.gain).toBeGreaterThan(0);
      expect([1, 2]).toContain(use.trial!.threads);
      const single = await t.prepare(cfg, { helpers: 0 });
      expect(single.kernel).not.toMatch(/-x2/);
      await t.start();
      const b = (await t.snapshot()).network.params;
      expect(a).toEqual(b); // the pool splits whole tiles: bit for bit the same
    } finally {
      worker.terminate();
    }
  });

  it('calibrates its threads once, uses the choice by default, and honours a cap', async () => {
    const worker = new Worker(new URL('../trainer.worker.ts', import.meta.url), { type: 'module' });
    const t = Comlink.wrap<TrainerApi>(worker);
    try {
      const choice = await t.threads();
      const max = Math.min(4, navigator.hardwareConcurrency);
      expect(choice.cores).toBe(navigator.hardwareConcurrency);
      expect(choice.max).toBe(max);
      expect(choice.measured).toBe(true);
      expect(choice.gflops).toHaveLength(max);
      for (const g of choice.gflops) expect(g).toBeGreaterThan(0);
      expect(choice.threads).toBe(choice.best);
      expect(choice.threads).toBeGreaterThanOrEqual(1);
      expect(choice.threads).toBeLessThanOrEqual(max);
      // Memoised: the same measurement again.
      expect((await t.threads()).gflops).toEqual(choice.gflops);

      const r = createRng(7);
      const m = 256,
        nx = 64;
      const empty = { m: 0, x: new Float32Array(0), y: new Float32Array(0) };
      await t.load({
        ...dataset,
        featureNames: Array.from({ length: nx }, (_, i) => `f${i}`),
        train: { m, x: new Float32Array(nx * m).map(() => r.gaussian()), y: new Float32Array(m) },
        dev: empty,
        test: empty,
      });
      const cfg: TrainConfig = {
        ...config,
        hidden: [{ units: 256, activation: 'relu', keepProb: 1 }],
        batchSize: 64,
        epochs: 1,
      };
      // Automatic: the measured count of threads (a pool of that many where it pays).
      const auto = await t.prepare(cfg);
      if (choice.threads > 1) expect(auto.kernel).toContain(`-x${choice.threads}`);
      else expect(auto.kernel).not.toMatch(/-x\d/);
      // Capped at one thread: no pool from the next run on; lifting the cap restores the choice.
      const capped = await t.setThreadCap(1);
      expect(capped).toMatchObject({ threads: 1, cap: 1, best: choice.best });
      expect((await t.prepare(cfg)).kernel).not.toMatch(/-x\d/);
      expect((await t.setThreadCap(null)).threads).toBe(choice.best);
    } finally {
      worker.terminate();
    }
  });

  it('start, pause, step, resume, stop through Comlink; metrics and params read from shared memory', async () => {
    const worker = new Worker(new URL('../trainer.worker.ts', import.meta.url), { type: 'module' });
    const t = Comlink.wrap<TrainerApi>(worker);
    try {
      await t.load(dataset);
      const views = await t.prepare(config);
      expect(views.shared).toBe(true);
      expect(views.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(views.kernel).toMatch(/^wasm-/);
      const arena = viewArena(views.buffer, views.layout);
      const at = (slot: number) => Atomics.load(arena.i32('ctrl'), slot);
      const state = () => STATES[at(CTRL.STATE)];
      expect(state()).toBe('idle');
      const W1 = arena.f32('W1');
      const w0 = W1[0];

      const checkpoints: { state: string; epochs: number }[] = [];
      const done = t.start(
        undefined,
        { checkpointEveryMs: 2000 },
        Comlink.proxy((s: TrainerSnapshot) => {
          checkpoints.push({ state: s.state, epochs: s.history.length });
        }),
      );
      await until(() => at(CTRL.HISTORY_LEN) >= 2, 'two epochs');
      expect(state()).toBe('running');
      expect(W1[0]).not.toBe(w0); // live view of the worker's parameters

      // Comlink calls are answered while the loop runs.
      const p = await t.predict(new Float32Array([1, -1, -1, 1]), 2);
      expect(p[0]).toBeGreaterThan(0.5);
      expect(p[1]).toBeLessThan(0.5);

      await t.pause();
      await until(() => state() === 'paused', 'paused');
      const steps = at(CTRL.TOTAL_STEPS);
      await new Promise((r) => setTimeout(r, 100));
      expect(at(CTRL.TOTAL_STEPS)).toBe(steps);
      const ins = await t.inspect();
      expect(ins.layers[0].Z.length).toBe(8 * ins.m);

      await t.step('batch');
      await until(() => at(CTRL.TOTAL_STEPS) === steps + 1, 'one batch');
      await new Promise((r) => setTimeout(r, 50));
      expect(at(CTRL.TOTAL_STEPS)).toBe(steps + 1);
      expect(state()).toBe('paused');

      const epochs = at(CTRL.HISTORY_LEN);
      await t.step('epoch');
      await until(() => at(CTRL.HISTORY_LEN) === epochs + 1 && state() === 'paused', 'one epoch');
      expect(at(CTRL.STEP)).toBe(0);

      await t.resume();
      await until(() => at(CTRL.HISTORY_LEN) >= epochs + 3, 'resumed');
      expect(state()).toBe('running');

      await t.stop();
      const summary = await done;
      expect(summary.state).toBe('stopped');
      expect(state()).toBe('stopped');
      const h = Array.from({ length: at(CTRL.HISTORY_LEN) }, (_, r) =>
        readHistoryRow(arena.f64('history'), r),
      );
      expect(h.length).toBe(summary.epochs);
      expect(h.map((r) => r.epoch)).toEqual(h.map((_, i) => i + 1));
      expect(h.at(-1)!.devAccuracy).toBeGreaterThan(0.8);
      expect(h.at(-1)!.examplesPerSecond).toBeGreaterThan(0);
      expect(
        summary.test?.task !== 'regression' && summary.test!.classification.accuracy,
      ).toBeGreaterThan(0.8);

      await until(() => checkpoints.some((c) => c.state === 'stopped'), 'the final checkpoint');
      expect(checkpoints.at(-1)).toEqual({ state: 'stopped', epochs: summary.epochs });

      const snap = await t.snapshot();
      expect(snap.network.params[0].W).toHaveLength(16);
      expect(snap.history.length).toBe(summary.epochs);
    } finally {
      worker.terminate();
    }
  });
});
