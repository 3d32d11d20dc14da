import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { matrix } from '../core/network.ts';
import type { NetworkSpec } from '../core/types.ts';
import {
  accuracy,
  finalErrors,
  firstExamples,
  histogram,
  initVariants,
  regularizationVariants,
  trainLab,
  unitSpread,
} from './labs.ts';
import type { LabData, LabRunOptions } from './types.ts';

/** Two noisy circles: label 1 inside radius 0.5. */
function circles(m: number, seed: number): { x: Float32Array; y: Float32Array; m: number } {
  const rng = createRng(seed);
  const x = new Float32Array(2 * m);
  const y = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const a = rng.uniform() * 2 - 1;
    const b = rng.uniform() * 2 - 1;
    x[i] = a;
    x[m + i] = b;
    y[i] = a * a + b * b < 0.5 ? 1 : 0;
  }
  return { x, y, m };
}

const data: LabData = { task: 'binary', train: circles(120, 1), dev: circles(60, 2) };
const spec: NetworkSpec = {
  inputs: 2,
  hidden: [{ units: 6, activation: 'tanh', keepProb: 1 }],
  outputs: 1,
  output: 'sigmoid',
};
const base: LabRunOptions = {
  spec,
  init: 'xavier',
  seed: 3,
  lambda: 0,
  learningRate: 0.5,
  epochs: 200,
  batchSize: 32,
};

describe('histogram', () => {
  it('counts values into equal bins and skips non-finite ones', () => {
    const h = histogram([0, 0.1, 0.5, 0.9, 1, NaN, Infinity], 2);
    expect(h.counts).toEqual([2, 3]);
    expect(h.nonFinite).toBe(2);
    expect(h.total).toBe(7);
    expect(h.mean).toBeCloseTo(0.5, 12);
  });
  it('gives a constant set one visible bin', () => {
    const h = histogram([0, 0, 0], 4);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(h.min).toBeLessThan(0);
    expect(h.max).toBeGreaterThan(0);
    expect(h.std).toBe(0);
  });
});

describe('unitSpread and accuracy', () => {
  it('is 0 for identical rows and the largest difference otherwise', () => {
    expect(unitSpread(matrix(2, 2, [1, 2, 1, 2]), matrix(2, 1, [0, 0]))).toBe(0);
    expect(unitSpread(matrix(2, 2, [1, 2, 1, 2.5]), matrix(2, 1, [0, 0.1]))).toBeCloseTo(0.5, 12);
  });
  it('counts argmax and thresholded hits', () => {
    expect(accuracy('binary', matrix(1, 4, [0.9, 0.2, 0.6, 0.4]), [1, 0, 0, 0])).toBe(0.75);
    expect(accuracy('multiclass', matrix(2, 2, [0.9, 0.2, 0.1, 0.8]), [1, 0, 0, 1])).toBe(1);
    expect(accuracy('regression', matrix(1, 1, [1]), [1])).toBeNaN();
  });
});

describe('initialization lab', () => {
  const runs = initVariants(base).map((v) => trainLab(data, v));
  const by = (id: string) => runs.find((r) => r.id === id)!;

  it('runs the four initializations on the same data', () => {
    expect(runs.map((r) => r.id)).toEqual(['zeros', 'random', 'xavier', 'he']);
    for (const r of runs) {
      expect(r.curves.trainLoss).toHaveLength(200);
      expect(r.epochsRun).toBe(200);
      expect(r.after).toHaveLength(2);
    }
  });

  it('keeps the hidden units identical with zero initialization, and only then', () => {
    expect(by('zeros').before[0].unitSpread).toBe(0);
    expect(by('zeros').after[0].unitSpread).toBe(0);
    expect(by('xavier').after[0].unitSpread).toBeGreaterThan(0.1);
    expect(by('he').after[0].unitSpread).toBeGreaterThan(0.1);
  });

  it('learns the circle with Xavier but not with zeros', () => {
    const x = by('xavier').final;
    const z = by('zeros').final;
    expect(x.train).toBeLessThan(0.15);
    expect(z.train).toBeGreaterThan(x.train + 0.1);
    const last = by('xavier').curves.trainLoss;
    expect(last[last.length - 1]).toBeLessThan(last[0]);
  });

  it('shows small activations with random x 0.01', () => {
    expect(by('random').before[0].activations.std).toBeLessThan(0.02);
    expect(by('xavier').before[0].activations.std).toBeGreaterThan(0.2);
  });

  it('is deterministic: same seed, same curves', () => {
    const again = trainLab(data, initVariants(base)[2]);
    expect(again.curves).toEqual(by('xavier').curves);
  });
});

describe('regularization lab', () => {
  it('builds the four variants on the same network and seed', () => {
    const vs = regularizationVariants(
      { ...base, spec: { ...spec, hidden: [{ ...spec.hidden[0], keepProb: 0.5 }] } },
      { lambda: 0.7, keepProb: 0.8 },
    );
    expect(vs.map((v) => v.id)).toEqual(['none', 'l2', 'dropout', 'both']);
    expect(vs[0].options.spec.hidden[0].keepProb).toBe(1);
    expect(vs[0].options.lambda).toBe(0);
    expect(vs[1].options.lambda).toBe(0.7);
    expect(vs[2].options.spec.hidden[0].keepProb).toBe(0.8);
    expect(vs[3].options.lambda).toBe(0.7);
    expect(new Set(vs.map((v) => v.options.seed))).toEqual(new Set([3]));
  });

  it('a strong L2 term fits the training data less tightly', () => {
    const vs = regularizationVariants({ ...base, epochs: 40 }, { lambda: 20, keepProb: 0.7 });
    const none = trainLab(data, vs[0]);
    const l2 = trainLab(data, vs[1]);
    const drop = trainLab(data, vs[2]);
    expect(l2.curves.trainLoss.at(-1)!).toBeGreaterThan(none.curves.trainLoss.at(-1)!);
    expect(drop.curves.trainLoss.every(Number.isFinite)).toBe(true);
  });

  it('refuses an empty training split with a clear message', () => {
    expect(() =>
      trainLab(
        { ...data, train: { m: 0, x: new Float32Array(0), y: new Float32Array(0) } },
        initVariants(base)[0],
      ),
    ).toThrow(/labs.emptyTrain/);
  });
});

describe('final errors and the first examples of a split', () => {
  const curves = {
    trainLoss: [2, 0.5],
    devLoss: [3, 0.75],
    trainAccuracy: [0.5, 0.875],
    devAccuracy: [0.25, 0.625],
  };

  it('reads the final error as 1 - accuracy for classification and the loss for regression', () => {
    expect(finalErrors(curves, 'binary')).toEqual({ train: 0.125, dev: 0.375 });
    expect(finalErrors(curves, 'multiclass')).toEqual({ train: 0.125, dev: 0.375 });
    expect(finalErrors(curves, 'regression')).toEqual({ train: 0.5, dev: 0.75 });
    const none = finalErrors(
      { trainLoss: [], devLoss: [], trainAccuracy: [], devAccuracy: [] },
      'binary',
    );
    expect(none.train).toBeNaN();
    expect(none.dev).toBeNaN();
  });

  it('gives every lab run its final errors', () => {
    const r = trainLab(data, { ...initVariants({ ...base, epochs: 3 })[2] });
    expect(r.final).toEqual(finalErrors(r.curves, 'binary'));
    expect(r.final.train).toBeCloseTo(1 - r.curves.trainAccuracy[2], 12);
  });

  it('keeps the first columns of X and Y, and a small split as it is', () => {
    const s = { m: 3, x: Float32Array.from([1, 2, 3, 4, 5, 6]), y: Float32Array.from([7, 8, 9]) };
    const f = firstExamples(s, 2, 1, 2);
    expect(f.m).toBe(2);
    expect(Array.from(f.x)).toEqual([1, 2, 4, 5]);
    expect(Array.from(f.y)).toEqual([7, 8]);
    expect(firstExamples(s, 2, 1, 3)).toBe(s);
  });
});
