import { describe, expect, it } from 'vitest';
import { Curves } from './curves.ts';
import type { EpochMetrics } from '../../../workers/core/types.ts';

const row = (
  epoch: number,
  trainLoss: number,
  devLoss: number,
  acc: number,
  rmse = Number.NaN,
): EpochMetrics => ({
  epoch,
  trainLoss,
  devLoss,
  trainAccuracy: acc,
  devAccuracy: acc - 0.1,
  trainRmse: rmse,
  devRmse: rmse,
  examplesPerSecond: 1000,
  elapsedMs: epoch * 10,
});

describe('Curves', () => {
  it('appends history rows and turns what a log scale cannot draw into gaps', () => {
    const c = new Curves();
    const v0 = c.version;
    c.append([
      row(1, 0.7, 0.8, 0.5),
      row(2, Number.POSITIVE_INFINITY, Number.NaN, 0.6),
      row(3, 0, 0.1, 0.9),
    ]);
    expect(c.length).toBe(3);
    expect(c.version).toBeGreaterThan(v0);
    const [x, tr, dv] = c.lossData();
    expect(x).toEqual([1, 2, 3]);
    expect(tr).toEqual([0.7, null, null]);
    expect(dv).toEqual([0.8, null, 0.1]);
    expect(c.scoreData()[1]).toEqual([0.5, 0.6, 0.9]);
  });
  it('shows RMSE instead of accuracy for regression and clears', () => {
    const c = new Curves();
    c.clear('regression');
    c.append([row(1, 0.5, 0.6, Number.NaN, 3.5)]);
    expect(c.scoreData()[1]).toEqual([3.5]);
    c.clear();
    expect(c.length).toBe(0);
    expect(c.task).toBe('regression');
  });
  it('ignores an empty batch of rows without a redraw', () => {
    const c = new Curves();
    const v = c.version;
    c.append([]);
    expect(c.version).toBe(v);
  });
});
