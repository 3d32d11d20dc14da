// A resumed run on the page: the session shows the saved epochs, then the worker's new rows numbered on
// from the checkpoint, once each, and ends on the same parameters as the uninterrupted run.
import { describe, expect, it } from 'vitest';
import { TrainingSession, type CheckpointSnapshot } from './training.svelte.ts';
import { TrainerSession } from '../../../workers/trainer/session.ts';
import { generate } from '../../../workers/data/synthetic.ts';
import type { Trainer } from '../engine/bridge.ts';
import type { TrainConfig } from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';

/** One worker, as the bridge gives it: the same remote at every call. */
const worker = () => {
  const w = inProcess();
  return () => w;
};

/** The trainer API in this thread, as the page's bridge would reach it (every call a promise). */
function inProcess(): Trainer {
  const s = new TrainerSession();
  const api = {
    load: async (d: PreparedDataset) => s.load(d),
    prepare: async (c: TrainConfig, o?: Parameters<TrainerSession['prepare']>[1]) =>
      s.prepare(c, { ...o, kernels: 'ts' }),
    start: async (c?: TrainConfig, o?: object, onCheckpoint?: (x: CheckpointSnapshot) => void) =>
      s.start(c, onCheckpoint ? { ...o, onCheckpoint } : o),
    poll: async () => s.poll(),
    snapshot: async () => s.snapshot(),
    predict: async (x: Float32Array, m: number) => s.predict(x, m),
  };
  return api as unknown as Trainer;
}

/** Two moons, 160 training and 40 dev examples, X as (2, m). */
function data(): PreparedDataset {
  const split = (m: number, seed: number) => {
    const p = generate('moons', { n: m, noise: 0.2, seed });
    const x = new Float32Array(2 * m);
    for (let i = 0; i < m; i++) {
      x[i] = p.x1[i];
      x[m + i] = p.x2[i];
    }
    return { m, x, y: Float32Array.from(p.label.slice(0, m)) };
  };
  return {
    task: 'binary',
    targetName: 'class',
    featureNames: ['x1', 'x2'],
    classLabels: ['0', '1'],
    targetScale: null,
    train: split(160, 5),
    dev: split(40, 6),
    test: { m: 0, x: new Float32Array(0), y: new Float32Array(0) },
  };
}

const config: TrainConfig = {
  hidden: [{ units: 6, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.02,
  batchSize: 16,
  epochs: 6,
  lambda: 0,
  seed: 7,
  beta1: 0.9,
  beta2: 0.999,
};

describe('TrainingSession resuming a run', () => {
  it('shows every epoch once, numbered on, and ends where the uninterrupted run ends', async () => {
    const ds = data();
    const straight = new TrainingSession({ dataset: () => ds, remote: worker() });
    straight.form.load(config);
    await straight.train();
    expect(straight.error).toBeNull();
    expect(straight.state).toBe('done');
    const end = await straight.snapshot();

    const first = new TrainingSession({ dataset: () => ds, remote: worker() });
    const saved: CheckpointSnapshot[] = [];
    first.onCheckpoint = (s) => saved.push(s);
    first.form.load({ ...config, epochs: 3 });
    await first.train();
    const cp = saved.at(-1)!;
    expect(cp.epoch).toBe(3);

    // As after a reload: a new page session and a new worker.
    const resumed = new TrainingSession({ dataset: () => ds, remote: worker() });
    await resumed.resumeFrom({
      network: cp.network,
      config,
      history: cp.history,
      startEpoch: cp.epoch,
      resume: cp.resume ?? null,
    });
    expect(resumed.state).toBe('done');
    expect(resumed.curves.epoch).toEqual([1, 2, 3, 4, 5, 6]);
    expect(resumed.epoch).toBe(6);
    expect(resumed.latest?.epoch).toBe(6);
    expect((await resumed.snapshot()).network.params).toEqual(end.network.params);
  });
});
