import { describe, expect, it } from 'vitest';
import { pca2, projectOnto, symmetricEigen } from './pca.ts';
import { createRng } from './rng.ts';

// X (3 features x 6 examples) and its reference PCA, computed with NumPy while writing this test:
//   C = np.cov(X); w, v = np.linalg.eigh(C), sorted by w descending, each vector's largest entry
//   made positive; ratio = w[:2] / w.sum(); P = v[:, :2].T @ (X - X.mean(1, keepdims=True)).
const X = [
  [2.0, 0.5, -1.0, 3.0, -2.5, 1.0],
  [1.0, 0.0, -0.5, 2.0, -1.5, 0.5],
  [0.3, -0.2, 0.1, 0.4, -0.1, -0.3],
].flat();
const VARIANCE = [5.4722338448, 0.0667408192];
const COMPONENTS = [
  [0.8540796507, 0.5160575635, 0.0650579848],
  [-0.2871908878, 0.3635841124, 0.8861873319],
];
const RATIO = [0.9853371067, 0.0120174334];
const PROJECTED = [
  [1.6855114446, -0.1441945873, -1.6638254497, 3.0621544573, -3.4740140862, 0.5343682213],
  [0.0782183745, -0.2976730722, 0.2171774028, 0.2432303323, 0.1071421557, -0.3480951931],
];

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits: number) {
  expect(actual.length).toBeGreaterThanOrEqual(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
}

describe('pca2', () => {
  it('matches NumPy on a small case (covariance diagonalized exactly)', () => {
    const p = pca2(X, 3, 6);
    expectClose(p.mean, [0.5, 0.25, 0.2 / 6], 9);
    expectClose(p.variance, VARIANCE, 8);
    expectClose(p.components, COMPONENTS.flat(), 8);
    expectClose(p.ratio, RATIO, 8);
    expectClose(projectOnto(p, X, 3, 6), PROJECTED.flat(), 6); // float32 output
  });

  it('matches NumPy through subspace iteration on X (no covariance formed)', () => {
    const p = pca2(X, 3, 6, { exactUpTo: 0 });
    expectClose(p.variance, VARIANCE, 7);
    expectClose(p.components, COMPONENTS.flat(), 6);
    expectClose(p.ratio, RATIO, 7);
  });

  it('iteration and exact diagonalization agree on 80 features with a clear spectrum', () => {
    const nx = 80;
    const m = 300;
    const rng = createRng(5);
    // Two strong hidden directions plus small noise on every feature.
    const u = Array.from({ length: nx }, () => rng.gaussian());
    const w = Array.from({ length: nx }, () => rng.gaussian());
    const x = new Float32Array(nx * m);
    for (let i = 0; i < m; i++) {
      const a = 3 * rng.gaussian();
      const b = 1.5 * rng.gaussian();
      for (let f = 0; f < nx; f++) x[f * m + i] = a * u[f] + b * w[f] + 0.1 * rng.gaussian();
    }
    const exact = pca2(x, nx, m, { exactUpTo: 100 });
    const iter = pca2(x, nx, m, { exactUpTo: 10 });
    expectClose(iter.ratio, Array.from(exact.ratio), 6);
    expectClose(iter.components, Array.from(exact.components), 4);
    expect(exact.ratio[0] + exact.ratio[1]).toBeGreaterThan(0.95);
    // Deterministic: the same data gives the same numbers, bit for bit.
    expect(Array.from(pca2(x, nx, m, { exactUpTo: 10 }).components)).toEqual(
      Array.from(iter.components),
    );
  });

  it('gives zero components and ratios for data without spread, and one for one feature', () => {
    const flat = pca2([1, 1, 1, 2, 2, 2], 2, 3);
    expect(Array.from(flat.ratio)).toEqual([0, 0]);
    expect(Array.from(flat.components)).toEqual([0, 0, 0, 0]);
    const one = pca2([1, 2, 4], 1, 3);
    expect(Array.from(one.components)).toEqual([1, 0]);
    expect(one.ratio[0]).toBeCloseTo(1, 12);
    expect(one.ratio[1]).toBe(0);
  });

  it('refuses X of the wrong size, naming the shape', () => {
    expect(() => pca2([1, 2, 3], 2, 2)).toThrow(/2 x 2/);
    expect(() => projectOnto(pca2(X, 3, 6), X, 2, 9)).toThrow(/3 features/);
  });
});

describe('symmetricEigen', () => {
  it('diagonalizes a 2 x 2 by hand: [[2, 1], [1, 2]] has 3 along (1, 1) and 1 along (1, -1)', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expectClose(values, [3, 1], 12);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0] * vectors[1]).toBeCloseTo(0.5, 12);
    expect(vectors[2] * vectors[3]).toBeCloseTo(-0.5, 12);
  });
});
