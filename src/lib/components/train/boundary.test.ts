import { describe, expect, it } from 'vitest';
import {
  classColor,
  divergingColor,
  labelsOf,
  multiclassColor,
  probabilityColor,
  samplePoints,
} from './boundary.ts';

describe('boundary colours', () => {
  it('is white at p = 0.5 and leans to the class colour at either end', () => {
    expect(probabilityColor(0.5)).toEqual([255, 255, 255]);
    const blue = probabilityColor(1);
    const orange = probabilityColor(0);
    expect(blue[2]).toBeGreaterThan(blue[0]); // class 1 is blue
    expect(orange[0]).toBeGreaterThan(orange[2]); // class 0 is orange
    expect(probabilityColor(Number.NaN)).toEqual([128, 128, 128]);
  });
  it('colours a softmax column by its most likely class, paler when unsure', () => {
    const sure = multiclassColor([0, 0.98, 0.02], 0, 3);
    const unsure = multiclassColor([0.3, 0.36, 0.34], 0, 3);
    const white = 255 * 3;
    const sum = (c: number[]) => c[0] + c[1] + c[2];
    expect(sum(unsure)).toBeGreaterThan(sum(sure));
    expect(sum(sure)).toBeLessThan(white);
    // nearer to class 1's colour than to class 0's
    const d = (a: readonly number[], b: readonly number[]) =>
      Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    expect(d(sure, classColor(1))).toBeLessThan(d(sure, classColor(0)));
  });
  it('maps values on a diverging scale and saturates', () => {
    expect(divergingColor(0, 1)).toEqual([255, 255, 255]);
    expect(divergingColor(5, 1)).toEqual(divergingColor(1, 1));
    expect(divergingColor(-1, 1)).not.toEqual(divergingColor(1, 1));
  });
});

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
