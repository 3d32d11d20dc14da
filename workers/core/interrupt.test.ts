// A batch abandoned by a command (pause, stop) leaves the trainer exactly as it was before the batch:
// run again, it gives the same result, and a run with many abandoned batches ends bit for bit as an
// uninterrupted one (shuffles, dropout masks, optimizer state included).
import { describe, expect, it } from 'vitest';
import { BATCH, PlannedTrainer } from './train.ts';
import { createRng } from './rng.ts';
import type { NetworkSpec, TrainConfig } from './types.ts';

function data(m: number, seed: number) {
  const r = createRng(seed);
  const x = new Float32Array(4 * m).map(() => r.gaussian());
  const y = new Float32Array(3 * m);
  for (let j = 0; j < m; j++) y[(j % 3) * m + j] = 1;
  return { m, x, y };
}

const spec: NetworkSpec = {
  inputs: 4,
  outputs: 3,
  output: 'softmax',
  hidden: [
    { units: 9, activation: 'relu', keepProb: 0.8 },
    { units: 6, activation: 'tanh', keepProb: 0.9 },
  ],
};

function trainer(config: Partial<TrainConfig> = {}) {
  return new PlannedTrainer({
    spec,
    task: 'multiclass',
    config: {
      hidden: spec.hidden,
      init: 'he',
      optimizer: 'adam',
      learningRate: 0.01,
      batchSize: 8,
      epochs: 4,
      lambda: 0.01,
      seed: 11,
      beta1: 0.9,
      beta2: 0.999,
      ...config,
    },
    data: { train: data(30, 1), dev: data(9, 2) },
  });
}

const params = (t: PlannedTrainer) => t.params().flatMap((p) => [...p.W, ...p.b]);
/** The resume state without its timings (wall clock). */
function state(t: PlannedTrainer) {
  const { elapsedMs: _e, sums, ...rest } = t.resumeState();
  const { ms: _ms, ...counts } = sums;
  return { ...rest, counts };
}

describe('abandoned batches', () => {
  for (const optimizer of ['adam', 'sgd', 'gd'] as const) {
    it(`leave a run that ends bit for bit as an uninterrupted one (${optimizer})`, () => {
      const whole = trainer({ optimizer });
      while (!whole.finished) whole.trainBatch();

      const cut = trainer({ optimizer });
      // About one question in 12 abandons the batch (before a product or between two), at random.
      const dice = createRng(99);
      cut.kernels.check = () => dice.uniform() < 1 / 12;
      let interrupted = 0;
      while (!cut.finished) if (cut.trainBatch() === BATCH.INTERRUPTED) interrupted++;
      expect(interrupted).toBeGreaterThan(optimizer === 'gd' ? 1 : 5);
      expect(params(cut)).toEqual(params(whole));
      expect(cut.historyRows().map((r) => [r.trainLoss, r.devLoss, r.devAccuracy])).toEqual(
        whole.historyRows().map((r) => [r.trainLoss, r.devLoss, r.devAccuracy]),
      );
    });
  }

  it('leave the state a checkpoint holds as it was before the batch, at an epoch start too', () => {
    const t = trainer();
    for (let i = 0; i < 4; i++) t.trainBatch(); // one whole epoch of 30 examples in batches of 8
    expect(t.batchInEpoch).toBe(0);
    const before = state(t);
    const weights = params(t);
    let asked = 0;
    t.kernels.check = () => ++asked === 3; // in the middle of the forward pass
    expect(t.trainBatch()).toBe(BATCH.INTERRUPTED);
    expect(state(t)).toEqual(before);
    expect(params(t)).toEqual(weights);
    // Then the batch runs as it would have.
    t.kernels.check = null;
    const ref = trainer();
    for (let i = 0; i < 5; i++) ref.trainBatch();
    expect(t.trainBatch()).toBe(BATCH.OK);
    expect(params(t)).toEqual(params(ref));
    expect(state(t)).toEqual(state(ref));
  });

  it('are never abandoned outside the passes (evaluation, prediction)', () => {
    const t = trainer();
    t.kernels.check = () => true;
    expect(() => t.evaluate('dev')).not.toThrow();
    expect(t.predict(data(5, 3).x, 5)).toHaveLength(15);
    expect(t.trainBatch()).toBe(BATCH.INTERRUPTED);
    expect(t.batchInEpoch).toBe(0);
  });
});

describe('an abandoned epoch end', () => {
  it('runs first thing next time (or on settle), and the run ends bit for bit as an uninterrupted one', () => {
    const whole = trainer({ batchSize: 30 });
    while (!whole.finished) whole.trainBatch();
    const cut = trainer({ batchSize: 30 });
    let stopAt = -1;
    let asked = 0;
    cut.kernels.check = () => ++asked === stopAt;
    // One batch per epoch: 3 products forward, 5 backward (no dZ[0]); the 9th is the dev pass.
    stopAt = 9;
    expect(cut.trainBatch()).toBe(BATCH.INTERRUPTED);
    expect(cut.historyRows()).toHaveLength(0);
    expect(cut.batchInEpoch).toBe(1);
    expect(cut.trainBatch()).toBe(BATCH.EPOCH_END);
    expect(cut.historyRows()).toHaveLength(1);
    // Abandoned again, then settled (as before a snapshot): the row is there, nothing runs twice.
    asked = 0;
    stopAt = 9;
    expect(cut.trainBatch()).toBe(BATCH.INTERRUPTED);
    cut.settle();
    expect(cut.historyRows()).toHaveLength(2);
    cut.settle();
    expect(cut.historyRows()).toHaveLength(2);
    cut.kernels.check = null;
    while (!cut.finished) cut.trainBatch();
    expect(params(cut)).toEqual(params(whole));
    expect(cut.historyRows().map((r) => [r.trainLoss, r.devLoss, r.devAccuracy])).toEqual(
      whole.historyRows().map((r) => [r.trainLoss, r.devLoss, r.devAccuracy]),
    );
  });
});
