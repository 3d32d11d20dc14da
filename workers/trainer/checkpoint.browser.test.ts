// Checkpoints from the real trainer worker (headless Chromium, WebAssembly kernels), handed to the page
// through a Comlink.proxy callback: every ~2 s of training, at a pause, at the end; and a run resumed
// in a new worker from a checkpoint ends exactly where the uninterrupted run does.
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import type { TrainerApi } from '../trainer.worker.ts';
import type {
  CheckpointNotice,
  CheckpointSink,
  CheckpointWritten,
  TrainerSnapshot,
} from './types.ts';
import { LabStore } from '../store/store.ts';
import { createRun, getCheckpoint, getRun } from '../store/runs.ts';
import { plainNetwork } from '../core/packed.ts';
import { newRunInput } from '../store/fixtures.test-support.ts';
import { createRng } from '../core/rng.ts';
import type { PreparedDataset, PreparedSplit } from '../data/prepared.ts';
import type { EpochMetrics, TrainConfig } from '../core/types.ts';

function split(m: number, seed: number): PreparedSplit {
  const r = createRng(seed);
  const x = new Float32Array(2 * m),
    y = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const k = r.int(2);
    x[j] = (k ? 1 : -1) + 0.7 * r.gaussian();
    x[m + j] = (k ? -1 : 1) + 0.7 * r.gaussian();
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
  train: split(300, 1),
  dev: split(100, 2),
  test: split(100, 3),
};

const config: TrainConfig = {
  hidden: [
    { units: 8, activation: 'tanh', keepProb: 0.8 },
    { units: 6, activation: 'relu', keepProb: 0.9 },
  ],
  init: 'he',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 16,
  epochs: 100000,
  lambda: 0.001,
  seed: 4,
  beta1: 0.9,
  beta2: 0.999,
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const until = async (cond: () => boolean, what: string, ms = 30_000) => {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

async function withWorker<T>(fn: (t: Comlink.Remote<TrainerApi>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('../trainer.worker.ts', import.meta.url), { type: 'module' });
  try {
    const t = Comlink.wrap<TrainerApi>(worker);
    await t.load(dataset);
    return await fn(t);
  } finally {
    worker.terminate();
  }
}

/** The history without its timing columns (those follow the wall clock). */
const maths = (h: EpochMetrics[]) =>
  h.map(({ examplesPerSecond: _e, elapsedMs: _t, ...rest }) => rest);

describe('checkpoints from the trainer worker (Comlink.proxy callback)', () => {
  it('arrive every ~2 s of training, at a pause, never while paused, and at a stop before the summary', async () => {
    await withWorker(async (t) => {
      const views = await t.prepare(config);
      expect(views.kernel).toMatch(/^wasm-/);
      const got: { at: number; s: TrainerSnapshot }[] = [];
      const order: string[] = [];
      const done = t
        .start(
          undefined,
          undefined,
          Comlink.proxy((s: TrainerSnapshot) => {
            got.push({ at: performance.now(), s });
            order.push(`checkpoint ${s.state}`);
          }),
        )
        .then((summary) => {
          order.push(`summary ${summary.state}`);
          return summary;
        });
      await until(() => got.length >= 3, 'three periodic checkpoints');
      const running = got.filter((g) => g.s.state === 'running');
      expect(running.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < running.length; i++) {
        const gap = running[i].at - running[i - 1].at;
        expect(gap).toBeGreaterThan(1900);
        expect(gap).toBeLessThan(3500);
      }
      // Each one is a plain snapshot with the state to resume from, its epochs numbered from 1.
      const last = running.at(-1)!.s;
      expect(last.resume?.epoch).toBe(last.epoch);
      expect(last.history.map((h) => h.epoch)).toEqual(last.history.map((_, i) => i + 1));

      await t.pause();
      await until(() => got.at(-1)!.s.state === 'paused', 'the checkpoint at the pause', 5000);
      const atPause = got.length;
      await sleep(2500); // paused with nothing new: nothing is sent
      expect(got.length).toBe(atPause);

      await t.stop();
      const summary = await done;
      expect(summary.state).toBe('stopped');
      expect(order.slice(-2)).toEqual(['checkpoint stopped', 'summary stopped']);
      expect(got.at(-1)!.s.network).toEqual(got[atPause - 1].s.network);
    });
  });

  it('a run that finishes hands over its last checkpoint before the summary', async () => {
    await withWorker(async (t) => {
      await t.prepare({ ...config, epochs: 3 });
      const got: TrainerSnapshot[] = [];
      const summary = await t.start(
        undefined,
        undefined,
        Comlink.proxy((s: TrainerSnapshot) => void got.push(s)),
      );
      expect(summary.state).toBe('done');
      expect(got.at(-1)).toMatchObject({ state: 'done', epoch: 3 });
      expect(got.at(-1)!.history).toHaveLength(3);
      expect(got.at(-1)!.resume).toMatchObject({ epoch: 3, batch: 0 });
    });
  });

  it('a run resumed in a new worker from a mid-epoch checkpoint ends exactly as the uninterrupted run', async () => {
    const cfg = { ...config, epochs: 6 };
    const whole = await withWorker(async (t) => {
      await t.prepare(cfg);
      await t.start();
      return t.snapshot();
    });

    const checkpoint = await withWorker(async (t) => {
      await t.prepare(cfg);
      const got: TrainerSnapshot[] = [];
      await t.pause();
      const done = t.start(
        undefined,
        undefined,
        Comlink.proxy((s: TrainerSnapshot) => void got.push(s)),
      );
      for (const kind of ['epoch', 'epoch', 'epoch', 'batch', 'batch', 'batch'] as const) {
        const before = got.length;
        await t.step(kind);
        await until(() => got.length > before, `the checkpoint after a ${kind}`);
      }
      await t.stop();
      await done;
      const paused = got.filter((s) => s.state === 'paused').at(-1)!;
      expect(paused.resume).toMatchObject({ epoch: 3, batch: 3 });
      return paused;
    });

    // As after a reload: a new worker, only the plain checkpoint.
    const resumed = await withWorker(async (t) => {
      const views = await t.prepare(cfg, { params: checkpoint.network, resume: checkpoint.resume });
      expect(views.epochs).toBe(3);
      const summary = await t.start();
      expect(summary.state).toBe('done');
      return t.snapshot();
    });
    expect(resumed.network).toEqual(whole.network);
    expect(resumed.history.map((h) => h.epoch)).toEqual([4, 5, 6]);
    expect(maths(resumed.history)).toEqual(maths(whole.history.slice(3)));
    expect(maths(checkpoint.history)).toEqual(maths(whole.history.slice(0, 3)));
  });

  it('the worker writes its checkpoints into the lab database itself when asked; the page hears notices only', async () => {
    const db = `worker-writes-${Date.now()}`;
    const store = new LabStore({ name: db, broadcast: false, onFirstWrite: () => {} });
    try {
      await withWorker(async (t) => {
        const cfg = { ...config, epochs: 4 };
        const views = await t.prepare(cfg);
        const run = await createRun(store, newRunInput(views.spec, cfg));
        const heard: { n: CheckpointNotice; w: CheckpointWritten }[] = [];
        const sink: CheckpointSink = {
          target: (n) => ({ runId: run.id, history: n.history, elapsedMs: n.elapsedMs }),
          written: (n, _t, w) => void heard.push({ n, w }),
        };
        const summary = await t.start(undefined, { writeTo: db }, undefined, Comlink.proxy(sink));
        expect(summary.state).toBe('done');
        // The last write was heard before the summary came.
        expect(heard.at(-1)).toMatchObject({ w: { ok: true }, n: { state: 'done', epoch: 4 } });
        expect(heard.every((h) => !('network' in h.n) && !('resume' in h.n))).toBe(true);
        const final = await t.snapshot();
        const cp = await getCheckpoint(store, run.id);
        expect(cp?.epoch).toBe(4);
        expect(cp?.network).toEqual(plainNetwork(final.network));
        expect(cp?.trainerState).toMatchObject({ epoch: 4, batch: 0 });
        expect((await getRun(store, run.id))?.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
      });
    } finally {
      await store.close();
      indexedDB.deleteDatabase(db);
    }
  });
});
