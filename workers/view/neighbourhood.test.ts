import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.ts';
import { agreement, cellOf, neighbourhoodGrid } from './neighbourhood.ts';

// Two clusters in the plane: 7 examples near (-1, 0) the network calls class 0 (p = 0.1), 7 near
// (1, 0) it calls class 1 (p = 0.9). Coordinates 2 x n (row 0 across, row 1 up).
function clusters(): { coords: Float32Array; p: Float32Array; n: number } {
  const n = 14;
  const coords = new Float32Array(2 * n);
  const p = new Float32Array(n);
  for (let q = 0; q < n; q++) {
    const right = q >= 7;
    coords[q] = (right ? 1 : -1) + 0.05 * ((q % 7) - 3);
    coords[n + q] = 0.04 * ((q % 7) - 3);
    p[q] = right ? 0.9 : 0.1;
  }
  return { coords, p, n };
}

describe('neighbourhoodGrid', () => {
  it('colours a cell next to a cluster of class-1 predictions as class 1, and one next to class 0 as 0', () => {
    const { coords, p, n } = clusters();
    const side = 8;
    const out = new Float32Array(side * side);
    neighbourhoodGrid(coords, p, 1, n, [-2, 2], [-2, 2], side, 7, out);
    const [ri, rj] = cellOf(1.1, 0.1, [-2, 2], [-2, 2], side);
    const [li, lj] = cellOf(-1.1, 0.1, [-2, 2], [-2, 2], side);
    expect(out[rj * side + ri]).toBeCloseTo(0.9, 6); // its 7 nearest: the right cluster
    expect(out[lj * side + li]).toBeCloseTo(0.1, 6);
    // The far right column's cells all belong to class 1, the far left's to class 0.
    for (let j = 0; j < side; j++) {
      expect(out[j * side + side - 1]).toBeGreaterThan(0.5);
      expect(out[j * side]).toBeLessThan(0.5);
    }
  });

  it('averages the k nearest: with k = 10 a cell by the right cluster mixes in 3 of the left', () => {
    const { coords, p, n } = clusters();
    const out = new Float32Array(4 * 4);
    neighbourhoodGrid(coords, p, 1, n, [-2, 2], [-2, 2], 4, 10, out, 0);
    // Cell (3, 1): centre (1.5, 0.5); its 10 nearest: 7 at p = 0.9 and 3 at p = 0.1.
    expect(out[1 * 4 + 3]).toBeCloseTo((7 * 0.9 + 3 * 0.1) / 10, 6);
    // Weighted by inverse-square distance (the default), the far three count for less.
    neighbourhoodGrid(coords, p, 1, n, [-2, 2], [-2, 2], 4, 10, out);
    expect(out[1 * 4 + 3]).toBeGreaterThan(0.66 + 0.05);
    expect(out[1 * 4 + 3]).toBeLessThan(0.9);
  });

  it('weights by 1 / (d^2 + eps^2): an example of another class at a cell centre keeps its cell', () => {
    // Cell (0, 0) of a 2 x 2 grid over [0, 2]^2 has its centre at (0.5, 1.5). One example there says
    // class 1 (p = 1), six others at distance 1 say class 0 (p = 0); eps^2 = 0.25^2 (1 + 1) / 2.
    const n = 7;
    const coords = Float32Array.of(
      ...[0.5, 1.5, 0.5, -0.5, 0.5, 1.1, -0.1], // across
      ...[1.5, 1.5, 0.5, 1.5, 2.5, 2.3, 0.7], // up
    );
    const p = Float32Array.of(1, 0, 0, 0, 0, 0, 0);
    const out = new Float32Array(4);
    neighbourhoodGrid(coords, p, 1, n, [0, 2], [0, 2], 2, 7, out);
    const e2 = 0.0625;
    const w0 = 1 / e2;
    const w = 1 / (1 + e2);
    expect(out[0]).toBeCloseTo(w0 / (w0 + 6 * w), 6);
    expect(out[0]).toBeGreaterThan(0.5);
    neighbourhoodGrid(coords, p, 1, n, [0, 2], [0, 2], 2, 7, out, 0);
    expect(out[0]).toBeCloseTo(1 / 7, 6); // the plain mean loses it
  });

  it('keeps the values of one cell together for several classes (outputs per x n)', () => {
    const { coords, n } = clusters();
    const probs = new Float32Array(3 * n);
    for (let q = 0; q < n; q++) {
      const c = q >= 7 ? 2 : 0;
      probs[c * n + q] = 0.8;
      probs[1 * n + q] = 0.2;
    }
    const out = new Float32Array(3 * 16);
    neighbourhoodGrid(coords, probs, 3, n, [-2, 2], [-2, 2], 4, 7, out);
    const cell = (1 * 4 + 3) * 3;
    expect(Array.from(out.subarray(cell, cell + 3)).map((v) => +v.toFixed(6))).toEqual([
      0, 0.2, 0.8,
    ]);
  });

  it('finds the same k nearest as comparing every example with every cell', () => {
    const rng = createRng(11);
    const n = 300;
    const coords = Float32Array.from({ length: 2 * n }, () => rng.gaussian());
    const outputs = Float32Array.from({ length: 2 * n }, () => rng.uniform());
    const side = 12;
    const k = 5;
    const out = new Float32Array(2 * side * side);
    neighbourhoodGrid(coords, outputs, 2, n, [-3, 3], [-2, 2], side, k, out);
    for (let j = 0; j < side; j++)
      for (let i = 0; i < side; i++) {
        const cx = -3 + ((i + 0.5) * 6) / side;
        const cy = 2 - ((j + 0.5) * 4) / side;
        const near = Array.from({ length: n }, (_, p) => ({
          p,
          d: (coords[p] - cx) ** 2 + (coords[n + p] - cy) ** 2,
        }))
          .sort((a, b) => a.d - b.d)
          .slice(0, k);
        const e2 = (0.25 ** 2 * ((6 / side) ** 2 + (4 / side) ** 2)) / 2;
        const w = near.map(({ d }) => 1 / (d + e2));
        const sum = w.reduce((a, b) => a + b);
        for (let r = 0; r < 2; r++) {
          const want = near.reduce((a, { p }, q) => a + w[q] * outputs[r * n + p], 0) / sum;
          expect(out[(j * side + i) * 2 + r]).toBeCloseTo(want, 5);
        }
      }
  });

  it('refuses buffers of the wrong size, and takes k as at most n', () => {
    const { coords, p, n } = clusters();
    expect(() =>
      neighbourhoodGrid(coords, p, 1, n, [-2, 2], [-2, 2], 8, 7, new Float32Array(10)),
    ).toThrow(/64 are needed/);
    const out = new Float32Array(4);
    neighbourhoodGrid(coords, p, 1, n, [-2, 2], [-2, 2], 2, 99, out, 0);
    expect(out[0]).toBeCloseTo(0.5, 6); // every example: the mean of 7 at 0.1 and 7 at 0.9
  });
});

describe('agreement', () => {
  it('counts the examples whose cell has the class the network gives them', () => {
    const { coords, p, n } = clusters();
    const side = 8;
    const grid = new Float32Array(side * side);
    neighbourhoodGrid(coords, p, 1, n, [-2, 2], [-2, 2], side, 7, grid);
    expect(agreement(coords, p, 1, n, grid, [-2, 2], [-2, 2], side)).toBe(1);
    // An example the network calls class 1 inside the class-0 cluster disagrees with its cell.
    const odd = p.slice();
    odd[3] = 0.95;
    const grid2 = new Float32Array(side * side);
    neighbourhoodGrid(coords, odd, 1, n, [-2, 2], [-2, 2], side, 7, grid2);
    expect(agreement(coords, odd, 1, n, grid2, [-2, 2], [-2, 2], side)).toBeCloseTo(13 / 14, 12);
  });

  it('places a point in the cell that covers it (row 0 at the top), clamped at the edges', () => {
    expect(cellOf(-2, 2, [-2, 2], [-2, 2], 4)).toEqual([0, 0]);
    expect(cellOf(1.9, -1.9, [-2, 2], [-2, 2], 4)).toEqual([3, 3]);
    expect(cellOf(0.1, 0.1, [-2, 2], [-2, 2], 4)).toEqual([2, 1]);
    expect(cellOf(9, -9, [-2, 2], [-2, 2], 4)).toEqual([3, 3]);
  });
});
