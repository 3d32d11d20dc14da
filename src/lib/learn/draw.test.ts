import { describe, expect, it } from 'vitest';
import { divergingColor, maxAbs, seriesRange, yPixel } from './draw.ts';

describe('draw scales', () => {
  it('colours negative red, positive blue, zero pale', () => {
    expect(divergingColor(0, 1)).toEqual([236, 238, 242]);
    expect(divergingColor(-1, 1)).toEqual([209, 70, 31]);
    expect(divergingColor(5, 1)).toEqual([31, 111, 209]);
    const half = divergingColor(0.5, 1);
    expect(half[2]).toBeGreaterThan(209);
    expect(half[2]).toBeLessThan(242);
    expect(divergingColor(NaN, 1)).toEqual([0, 0, 0]);
    expect(divergingColor(3, 0)).toEqual([236, 238, 242]);
  });
  it('finds ranges, skipping non-finite and (log) non-positive values', () => {
    expect(maxAbs([1, -4, NaN])).toBe(4);
    expect(seriesRange([[1, 2, NaN], [0.5]], false)).toEqual({ min: 0.5, max: 2 });
    expect(seriesRange([[0, 0.01, 10]], true)).toEqual({ min: 0.01, max: 10 });
    expect(seriesRange([[3, 3]], false)).toEqual({ min: 2.5, max: 3.5 });
    expect(seriesRange([[]], true)).toEqual({ min: 0.1, max: 1 });
  });
  it('maps values to pixels, top is the maximum', () => {
    expect(yPixel(2, { min: 0, max: 2 }, 100, false)).toBe(0);
    expect(yPixel(0, { min: 0, max: 2 }, 100, false)).toBe(100);
    expect(yPixel(1, { min: 0.1, max: 10 }, 100, true)).toBeCloseTo(50, 10);
  });
});
