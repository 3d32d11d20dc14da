// The learning-rate range test: its schedule, its curve and stop, its suggestion (a rate that trains),
// its seeded sample of the training split, and that it works on a trainer of its own.
import { describe, expect, it } from 'vitest';
import { BATCH, PlannedTrainer, type SplitData } from './train.ts';
import { LrRangeTest, rangeTestTrainer, sampleSplit } from './lr-range.ts';
import { createRng } from './rng.ts';
import { LR_RANGE, type NetworkSpec, type TrainConfig } from './types.ts';

/** Two noisy classes in 2-D, Y (1, m). */
function blobs(m: number, seed: number): SplitData {
  const r = createRng(seed);
  const x = new Float32Array(2 * m),
    y = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const k = j % 2;
    x[j] = (k ? 1 : -1) + 0.7 * r.gaussian();
    x[m + j] = (k ? -1 : 1) + 0.7 * r.gaussian();
    y[j] = k;
  }
  return { m, x, y };
}

const spec: NetworkSpec = {
  inputs: 2,
  outputs: 1,
  output: 'sigmoid',
  hidden: [{ units: 8, activation: 'tanh', keepProb: 1 }],
};
const config: TrainConfig = {
  hidden: spec.hidden,
  init: 'xavier',
  optimizer: 'sgd',
  learningRate: 1e6,
  batchSize: 16,
  epochs: 30,
  lambda: 0,
  seed: 5,
  beta1: 0.9,
  beta2: 0.999,
};
const train = blobs(400, 1);

const test = (cfg: Partial<TrainConfig> = {}) =>
  new LrRangeTest(
    rangeTestTrainer({ spec, task: 'binary', config: { ...config, ...cfg }, train }),
  ).run();

describe('learning-rate range test', () => {
  it('raises the rate geometrically from min to max', () => {
    const t = new LrRangeTest(rangeTestTrainer({ spec, task: 'binary', config, train }));
    expect(t.rateAt(0)).toBeCloseTo(LR_RANGE.min, 15);
    expect(t.rateAt(LR_RANGE.steps - 1)).toBeCloseTo(LR_RANGE.max, 9);
    expect(t.rateAt(2) / t.rateAt(1)).toBeCloseTo(t.rateAt(1) / t.rateAt(0), 9);
  });

  for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
    it(`${optimizer}: the curve falls then climbs, the test stops there, and its rate trains well`, () => {
      const r = test({ optimizer });
      expect(r.optimizer).toBe(optimizer);
      expect(r.points.length).toBe(r.steps);
      for (let i = 1; i < r.points.length; i++)
        expect(r.points[i].lr).toBeGreaterThan(r.points[i - 1].lr);
      // it stopped once the smoothed loss passed stopFactor x its minimum, or at the last rate
      const last = r.points.at(-1)!.loss;
      expect(r.steps === LR_RANGE.steps || last > LR_RANGE.stopFactor * r.minLoss!).toBe(true);
      expect(r.minLoss!).toBeLessThan(0.5 * r.points[0].loss);
      const s = r.suggested!;
      expect(s).toBeGreaterThan(LR_RANGE.min);
      expect(s).toBeLessThanOrEqual(r.minLr!);
      // a fresh run at the suggested rate learns the blobs
      const run = new PlannedTrainer({
        spec,
        task: 'binary',
        config: { ...config, optimizer, learningRate: s },
        data: { train, dev: blobs(100, 2) },
      });
      let b: number = BATCH.OK;
      while (b !== BATCH.DONE && b !== BATCH.DIVERGED) b = run.trainBatch();
      expect(b).toBe(BATCH.DONE);
      expect(run.evaluate('dev').accuracy).toBeGreaterThan(0.9);
    });
  }

  it('is seeded: the same settings and data give the same curve', () => {
    expect(test()).toEqual(test());
    expect(test({ seed: 6 }).points).not.toEqual(test().points);
  });

  it('suggests nothing when the loss never falls (rates too small to move the weights)', () => {
    const t = new LrRangeTest(rangeTestTrainer({ spec, task: 'binary', config, train }), {
      min: 1e-12,
      max: 1e-11,
      steps: 30,
    });
    const r = t.run();
    expect(r.steps).toBe(30);
    expect(r.suggested).toBeNull();
  });

  it('trains on a copy: the weights it starts from are left alone', () => {
    const run = new PlannedTrainer({ spec, task: 'binary', config, data: { train } });
    const before = run.params();
    const params = run.params();
    new LrRangeTest(rangeTestTrainer({ spec, task: 'binary', config, train, params })).run();
    expect(run.params()).toEqual(before);
    expect(params).toEqual(before);
  });
});

describe('sampleSplit', () => {
  it('keeps a small split as it is, and samples a big one by seed, in order, X and Y together', () => {
    const s = blobs(50, 3);
    expect(sampleSplit(s, 50, 1)).toBe(s);
    const a = sampleSplit(s, 20, 1);
    expect(a.m).toBe(20);
    expect(sampleSplit(s, 20, 1)).toEqual(a);
    expect(sampleSplit(s, 20, 2)).not.toEqual(a);
    // every sampled column is a column of the split, in the split's order, with its own label
    let last = -1;
    for (let c = 0; c < 20; c++) {
      const j = Array.from({ length: 50 }, (_, i) => i).find(
        (i) => s.x[i] === a.x[c] && s.x[50 + i] === a.x[20 + c],
      )!;
      expect(j).toBeGreaterThan(last);
      expect(a.y[c]).toBe(s.y[j]);
      last = j;
    }
  });
});
