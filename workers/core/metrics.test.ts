import { describe, expect, it } from 'vitest';
import {
  classIndices,
  classificationMetrics,
  computeTestMetrics,
  regressionMetrics,
} from './metrics.ts';

describe('classIndices', () => {
  it('thresholds a single sigmoid row at 0.5', () => {
    expect(Array.from(classIndices([0.1, 0.5, 0.9, 0.49], 1, 4))).toEqual([0, 1, 1, 0]);
  });
  it('takes the argmax down each column of a (n_y x m) matrix', () => {
    // 3 classes x 2 examples, row-major: example 0 = (0.2, 0.7, 0.1), example 1 = (0.5, 0.1, 0.4)
    expect(Array.from(classIndices([0.2, 0.5, 0.7, 0.1, 0.1, 0.4], 3, 2))).toEqual([1, 0]);
  });
  it('refuses a matrix that is too short', () => {
    expect(() => classIndices([1, 2], 2, 2)).toThrow(/2 x 2/);
  });
});

describe('classificationMetrics', () => {
  it('computes a hand-checked confusion matrix, precision and recall', () => {
    const actual = [0, 0, 0, 1, 1, 2];
    const pred = [0, 1, 0, 1, 2, 2];
    const r = classificationMetrics(actual, pred, 3);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.precision[0]).toBe(1);
    expect(r.precision[1]).toBe(0.5);
    expect(r.precision[2]).toBe(0.5);
    expect(r.recall[0]).toBeCloseTo(2 / 3, 12);
    expect(r.recall[1]).toBe(0.5);
    expect(r.recall[2]).toBe(1);
    expect(r.support).toEqual([3, 2, 1]);
  });
  it('gives NaN precision for a class never predicted, not a division by zero', () => {
    const r = classificationMetrics([0, 1], [0, 0], 2);
    expect(r.precision[1]).toBeNaN();
    expect(r.recall[1]).toBe(0);
  });
  it('rejects labels out of range and length mismatches', () => {
    expect(() => classificationMetrics([0, 3], [0, 1], 2)).toThrow(/Example 2/);
    expect(() => classificationMetrics([0], [0, 1], 2)).toThrow(/1 actual/);
  });
});

describe('regressionMetrics', () => {
  it('computes RMSE, MAE and R^2 by hand', () => {
    const r = regressionMetrics([1, 2, 3, 4], [1, 2, 3, 6]);
    expect(r.rmse).toBeCloseTo(1, 12); // sqrt(4/4)
    expect(r.mae).toBeCloseTo(0.5, 12);
    expect(r.r2).toBeCloseTo(1 - 4 / 5, 12); // SS_tot = 2.25+0.25+0.25+2.25 = 5
  });
  it('reports in the original units of a standardized target', () => {
    const r = regressionMetrics([0, 1], [0, 0.5], { mean: 100, std: 10 });
    // errors in original units: 0 and 5
    expect(r.rmse).toBeCloseTo(Math.sqrt(25 / 2), 10);
    expect(r.mae).toBeCloseTo(2.5, 10);
    expect(r.r2).toBeCloseTo(1 - 25 / 50, 10);
  });
  it('is NaN for R^2 when the target is constant and for an empty set', () => {
    expect(regressionMetrics([2, 2], [1, 3]).r2).toBeNaN();
    expect(regressionMetrics([], []).rmse).toBeNaN();
  });
});

describe('computeTestMetrics', () => {
  const split = (m: number, y: number[]) => ({
    m,
    x: new Float32Array(0),
    y: Float32Array.from(y),
  });
  it('uses the labels of a binary task with one output row', () => {
    const t = computeTestMetrics(
      { task: 'binary', test: split(3, [1, 0, 0]), classLabels: ['no', 'yes'], targetScale: null },
      Float32Array.from([0.9, 0.2, 0.7]),
    );
    if (t.task === 'regression') throw new Error('wrong branch');
    expect(t.labels).toEqual(['no', 'yes']);
    expect(t.classification.accuracy).toBeCloseTo(2 / 3, 12);
    expect(t.classification.confusion).toEqual([
      [1, 1],
      [0, 1],
    ]);
  });
  it('reads one-hot rows for multiclass and names classes when labels are missing', () => {
    // 3 classes x 2 examples: actual = [2, 0]; predicted = [2, 1]
    const t = computeTestMetrics(
      {
        task: 'multiclass',
        test: split(2, [0, 1, 0, 0, 1, 0]),
        classLabels: [],
        targetScale: null,
      },
      Float32Array.from([0.1, 0.2, 0.2, 0.7, 0.7, 0.1]),
    );
    if (t.task === 'regression') throw new Error('wrong branch');
    expect(t.labels).toEqual(['class 0', 'class 1', 'class 2']);
    expect(t.classification.accuracy).toBe(0.5);
  });
  it('compares regression predictions (original units) with the standardized target mapped back', () => {
    const t = computeTestMetrics(
      {
        task: 'regression',
        test: split(2, [0, 1]),
        classLabels: [],
        targetScale: { mean: 10, std: 2 },
      },
      Float32Array.from([10, 13]),
    );
    if (t.task !== 'regression') throw new Error('wrong branch');
    // actual = 10, 12; errors 0 and 1
    expect(t.regression.mae).toBeCloseTo(0.5, 6);
    expect(t.regression.rmse).toBeCloseTo(Math.sqrt(0.5), 6);
  });
});
