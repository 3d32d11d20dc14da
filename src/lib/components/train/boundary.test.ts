import { describe, expect, it } from 'vitest';
import type { PreparedDataset } from '../../../../workers/data/prepared.ts';
import {
  BoundaryModel,
  classColor,
  divergingColor,
  multiclassColor,
  pointClasses,
  probabilityColor,
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

describe('jobs for the view worker', () => {
  // X is 2 x 6 (train) and 2 x 5 (dev); a regression target.
  const data: PreparedDataset = {
    task: 'regression',
    targetName: 'y',
    featureNames: ['a', 'b'],
    classLabels: [],
    targetScale: { mean: 10, std: 2 },
    train: {
      m: 6,
      x: Float32Array.from([0, 1, 2, 3, 4, 5, 10, 9, 8, 7, 6, 5]),
      y: Float32Array.from([0, 1, 0, 1, 0, 1]),
    },
    dev: {
      m: 5,
      x: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
      y: Float32Array.from([-1, -0.5, 0, 0.5, 1]),
    },
    test: { m: 0, x: new Float32Array(0), y: new Float32Array(0) },
  };
  const layers = [
    {
      W: new Float32Array(8),
      b: new Float32Array(4),
      rows: 4,
      cols: 2,
      activation: 'tanh' as const,
    },
    {
      W: new Float32Array(4),
      b: new Float32Array(1),
      rows: 1,
      cols: 4,
      activation: 'linear' as const,
    },
  ];

  it('asks for a grid over the two features with the others held at their training median', () => {
    const model = new BoundaryModel(data, 1, 0);
    const job = model.gridJob({ kind: 'neuron', layer: 1, unit: 2 }, 400_000, 40);
    expect(job).toMatchObject({
      fx: 1,
      fy: 0,
      target: { kind: 'neuron', layer: 1, unit: 2 },
      budget: 400_000,
      maxSide: 40,
    });
    expect(Array.from(job.base)).toEqual([2.5, 7.5]);
    expect(job.xRange).toEqual(model.xRange);
    expect(job.yRange[0]).toBeCloseTo(0 - 0.4, 6);
  });

  it('samples the dev split for predicted vs actual, within the budget', () => {
    const model = new BoundaryModel(data, 0, 1);
    const all = model.scatterJob(layers);
    expect(all.m).toBe(5);
    expect(Array.from(all.x)).toEqual(Array.from(data.dev.x));
    expect(Array.from(all.y)).toEqual(Array.from(data.dev.y));
    expect(all.targetScale).toEqual({ mean: 10, std: 2 });
    expect(model.scatterJob(layers)).toBe(all); // the same sample while the count holds
    // Three examples at most: stride floor(5 / 3) = 1, so examples 0, 1 and 2.
    const few = model.scatterJob(layers, 3);
    expect(few.m).toBe(3);
    expect(Array.from(few.x)).toEqual([1, 2, 3, 6, 7, 8]);
    expect(Array.from(few.y)).toEqual([-1, -0.5, 0]);
  });
});

describe('pointClasses', () => {
  it('lists the classes among the points in increasing order', () => {
    expect(pointClasses({ count: 6, label: Uint8Array.from([2, 0, 2, 2, 0, 1]) })).toEqual([
      0, 1, 2,
    ]);
    expect(pointClasses({ count: 2, label: Uint8Array.from([2, 0, 1]) })).toEqual([0, 2]);
    expect(pointClasses({ count: 0, label: new Uint8Array(0) })).toEqual([]);
  });
});
