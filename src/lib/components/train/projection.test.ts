import { describe, expect, it } from 'vitest';
import type { PreparedDataset } from '../../../../workers/data/prepared.ts';
import type { PageLayer } from '../../../../workers/view/types.ts';
import {
  drawnCount,
  PROJECTION,
  projectionModelOf,
  projectionSide,
  ProjectionModel,
} from './projection.ts';

/** A binary dataset of m examples with nx features: feature f of example i is f * 1000 + i. */
function dataset(nx: number, m: number): PreparedDataset {
  const x = new Float32Array(nx * m);
  for (let f = 0; f < nx; f++) for (let i = 0; i < m; i++) x[f * m + i] = f * 1000 + i;
  const y = Float32Array.from({ length: m }, (_, i) => i % 2);
  const empty = { m: 0, x: new Float32Array(0), y: new Float32Array(0) };
  return {
    task: 'binary',
    targetName: 't',
    featureNames: Array.from({ length: nx }, (_, f) => `f${f}`),
    classLabels: ['no', 'yes'],
    targetScale: null,
    train: { m, x, y },
    dev: empty,
    test: empty,
  };
}

const layers = (nx: number, hidden: number): PageLayer[] => [
  {
    W: new Float32Array(hidden * nx),
    b: new Float32Array(hidden),
    rows: hidden,
    cols: nx,
    activation: 'relu',
  },
  {
    W: new Float32Array(hidden),
    b: new Float32Array(1),
    rows: 1,
    cols: hidden,
    activation: 'sigmoid',
  },
];

describe('the projection model', () => {
  it('samples at most 2,000 examples, evenly, and at most 400,000 values', () => {
    const small = new ProjectionModel(dataset(3, 10));
    expect(small.count).toBe(10);
    const job = small.pcaJob();
    expect(job).toMatchObject({ nx: 3, m: 10 });
    expect(Array.from(job.x.subarray(10, 13))).toEqual([1000, 1001, 1002]);
    const many = new ProjectionModel(dataset(2, 5000));
    expect(many.count).toBe(PROJECTION.maxPoints);
    expect(Array.from(many.pcaJob().x.subarray(0, 3))).toEqual([0, 2.5, 5].map(Math.floor));
    const wide = new ProjectionModel(dataset(1000, 1000));
    expect(wide.count).toBe(400);
  });

  it('has no refresh job before the components, then draws them within a budget', () => {
    const ds = dataset(4, 3000);
    const m = new ProjectionModel(ds);
    expect(m.projectionJob(layers(4, 8))).toBeNull();
    const coords = new Float32Array(2 * m.count);
    for (let q = 0; q < m.count; q++) {
      coords[q] = q;
      coords[m.count + q] = -q;
    }
    m.setPca({ coords, ratio: [0.7, 0.2], ms: 1 });
    expect(m.train.count).toBe(m.count);
    expect(m.xRange[0]).toBeLessThan(0);
    expect(m.xRange[1]).toBeGreaterThan(m.count - 1);
    const job = m.projectionJob(layers(4, 8));
    expect(job).not.toBeNull();
    expect(job?.m).toBe(2000);
    expect(job?.k).toBe(7);
    expect(job?.classes).toBe(true);
    // A big network: fewer examples drawn, evenly strided over the sample, points and job alike.
    const big = m.projectionJob(layers(4, 200_000));
    const n = drawnCount(2000, 4 * 200_000 + 200_000);
    expect(big?.m).toBe(n);
    expect(n).toBeLessThan(2000);
    expect(m.train.count).toBe(n);
    expect(big?.coords[1]).toBe(Math.floor(2000 / n));
    expect(m.train.x[1]).toBe(big?.coords[1]);
    expect(m.train.y[1]).toBe(big?.coords[n + 1]);
    expect(big?.x.length).toBe(4 * n);
  });

  it('keeps one model (and its components) per dataset', () => {
    const ds = dataset(2, 20);
    expect(projectionModelOf(ds)).toBe(projectionModelOf(ds));
    expect(projectionModelOf(dataset(2, 20))).not.toBe(projectionModelOf(ds));
  });

  it('sizes the grid from the examples it compares', () => {
    expect(projectionSide(120)).toBe(96);
    expect(projectionSide(2000)).toBe(54);
    expect(projectionSide(1e6)).toBe(16);
    expect(drawnCount(120, 1000)).toBe(120);
    expect(drawnCount(2000, 1e9)).toBe(PROJECTION.minPoints);
  });
});
