import { describe, expect, it } from 'vitest';
import { featureMedians, featureRange, labelsOf, samplePoints } from './points.ts';

describe('points for the boundary', () => {
  it('reads class labels from one-hot and 0/1 rows', () => {
    // 3 classes x 4 examples
    const y = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0]);
    expect(Array.from(labelsOf(y, 3, 4))).toEqual([0, 1, 2, 1]);
    expect(Array.from(labelsOf(Float32Array.from([0, 1, 1]), 1, 3))).toEqual([0, 1, 1]);
  });
  it('samples evenly and projects on the two chosen features', () => {
    // X is 3 x 4
    const split = {
      m: 4,
      x: Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]),
      y: Float32Array.from([0, 1, 0, 1]),
    };
    const p = samplePoints(split, 1, 2, 0, 2);
    expect(p.count).toBe(2);
    expect(Array.from(p.x)).toEqual([20, 22]);
    expect(Array.from(p.y)).toEqual([0, 2]);
    expect(Array.from(p.label)).toEqual([0, 0]);
  });
});

describe('feature statistics', () => {
  it('finds exact medians and padded ranges', () => {
    // X is 2 x 5: feature 0 = 5 1 4 2 3, feature 1 = 10 10 40 20 30
    const X = [5, 1, 4, 2, 3, 10, 10, 40, 20, 30];
    expect(Array.from(featureMedians(X, 2, 5))).toEqual([3, 20]);
    expect(Array.from(featureMedians([1, 2, 3, 4], 1, 4))).toEqual([2.5]);
    const [lo, hi] = featureRange(X, 5, 0, 0.25);
    expect(lo).toBe(0);
    expect(hi).toBe(6);
    expect(featureRange([7, 7], 2, 0)).toEqual([6, 8]);
  });
});
