import { describe, expect, it } from 'vitest';
import { activate } from '../core/activations.ts';
import { forwardBackward, matrix, predict } from '../core/network.ts';
import { costPerPoint, gridForward, gridSide, linspace, networkOf } from './grid.ts';
import type { PageLayer } from './types.ts';

/** A deterministic pseudo-random layer (no Math.random in tests either: results must be reproducible). */
function layer(
  rows: number,
  cols: number,
  activation: PageLayer['activation'],
  seed: number,
): PageLayer {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  return {
    W: Float32Array.from({ length: rows * cols }, next),
    b: Float32Array.from({ length: rows }, next),
    rows,
    cols,
    activation,
  };
}

describe('activate (core, used for a hidden neuron)', () => {
  it('matches the definitions', () => {
    expect(activate('sigmoid', 0)).toBe(0.5);
    expect(activate('sigmoid', -800)).toBeGreaterThanOrEqual(0);
    expect(activate('sigmoid', 800)).toBe(1);
    expect(activate('relu', -2)).toBe(0);
    expect(activate('leaky_relu', -2)).toBeCloseTo(-0.02, 12);
    expect(activate('tanh', 1)).toBeCloseTo(Math.tanh(1), 12);
    expect(activate('linear', -3)).toBe(-3);
  });
});

describe('gridForward (core forward pass over two features)', () => {
  it('computes a hand-checked one-layer sigmoid network', () => {
    // z = 1*x + 2*y + 3*c + 0.5 with c fixed at 1  ->  at (x, y) = (1, -1): z = 1 - 2 + 3 + 0.5 = 2.5
    const net: PageLayer[] = [
      {
        W: Float32Array.of(1, 2, 3),
        b: Float32Array.of(0.5),
        rows: 1,
        cols: 3,
        activation: 'sigmoid',
      },
    ];
    const out = new Float32Array(1);
    gridForward(net, [99, 99, 1], 0, 1, [1], [-1], { kind: 'output' }, out);
    expect(out[0]).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 6);
  });

  it('agrees with a full forward pass at every grid point (softmax output, other inputs at the base)', () => {
    const net = [layer(5, 4, 'tanh', 1), layer(6, 5, 'relu', 2), layer(3, 6, 'softmax', 3)];
    const base = [0.3, -0.2, 0.7, 1.1];
    const xs = linspace(-1, 1, 4);
    const ys = linspace(-2, 2, 3);
    const out = new Float32Array(3 * 12);
    expect(gridForward(net, base, 2, 0, xs, ys, { kind: 'output' }, out)).toBe(3);
    // The same points as full examples in X (4 x 12).
    const m = 12;
    const X = new Float32Array(4 * m);
    for (let j = 0; j < 3; j++)
      for (let i = 0; i < 4; i++) {
        const p = j * 4 + i;
        for (let f = 0; f < 4; f++) X[f * m + p] = base[f];
        X[2 * m + p] = xs[i];
        X[0 * m + p] = ys[j];
      }
    const full = predict(networkOf(net), { rows: 4, cols: m, data: X }).data;
    for (let p = 0; p < m; p++) {
      let sum = 0;
      for (let r = 0; r < 3; r++) {
        expect(out[p * 3 + r]).toBeCloseTo(full[r * m + p], 5);
        sum += out[p * 3 + r];
      }
      expect(sum).toBeCloseTo(1, 5);
    }
  });

  it('gives the same grid when computed in row slices', () => {
    const net = [layer(6, 5, 'relu', 4), layer(2, 6, 'softmax', 5)];
    const base = [0.1, 0.2, 0.3, 0.4, 0.5];
    const xs = linspace(-1, 1, 5);
    const ys = linspace(-1, 1, 7);
    const whole = new Float32Array(2 * 35);
    const sliced = new Float32Array(2 * 35);
    gridForward(net, base, 1, 3, xs, ys, { kind: 'output' }, whole);
    for (const [a, b] of [
      [0, 2],
      [2, 3],
      [3, 7],
    ])
      gridForward(net, base, 1, 3, xs, ys, { kind: 'output' }, sliced, a, b);
    expect(Array.from(sliced)).toEqual(Array.from(whole));
  });

  it('returns one hidden neuron when asked', () => {
    const net = [layer(3, 2, 'tanh', 7), layer(1, 3, 'sigmoid', 8)];
    const out = new Float32Array(1);
    gridForward(net, [0, 0], 0, 1, [0.5], [0.25], { kind: 'neuron', layer: 1, unit: 2 }, out);
    const L = net[0];
    expect(out[0]).toBeCloseTo(Math.tanh(L.W[4] * 0.5 + L.W[5] * 0.25 + L.b[2]), 6);
  });

  it('gives every neuron of every layer as the full forward pass does, also with fx = fy', () => {
    const net = [
      layer(5, 4, 'tanh', 11),
      layer(6, 5, 'leaky_relu', 12),
      layer(3, 6, 'softmax', 13),
    ];
    const base = [0.5, -1, 0.25, 2];
    const xs = linspace(-2, 2, 3);
    const ys = linspace(1, -1, 2);
    for (const [fx, fy] of [
      [1, 3],
      [2, 2],
    ]) {
      const m = 6;
      const X = new Float64Array(4 * m);
      for (let j = 0, p = 0; j < 2; j++)
        for (let i = 0; i < 3; i++, p++) {
          for (let f = 0; f < 4; f++) X[f * m + p] = base[f];
          X[fy * m + p] = ys[j];
          X[fx * m + p] = xs[i];
        }
      const { A } = forwardBackward(networkOf(net), { rows: 4, cols: m, data: X }, matrix(3, m));
      for (let l = 1; l <= 3; l++)
        for (let unit = 0; unit < net[l - 1].rows; unit++) {
          const out = new Float32Array(m);
          gridForward(net, base, fx, fy, xs, ys, { kind: 'neuron', layer: l, unit }, out);
          for (let p = 0; p < m; p++) expect(out[p]).toBeCloseTo(A[l].data[unit * m + p], 6);
        }
    }
  });

  it('refuses mismatched shapes with both shapes in the message', () => {
    const net = [layer(3, 2, 'tanh', 7)];
    expect(() =>
      gridForward(net, [0, 0, 0], 0, 1, [0], [0], { kind: 'output' }, new Float32Array(3)),
    ).toThrow(/3 values but W\[1\] is 3 x 2/);
    expect(() =>
      gridForward(net, [0, 0], 0, 1, [0, 1], [0], { kind: 'output' }, new Float32Array(3)),
    ).toThrow(/6 are needed/);
  });

  it('keeps a 784-128-64-10 grid within budget by shrinking the grid', () => {
    const net = [
      layer(128, 784, 'relu', 1),
      layer(64, 128, 'relu', 2),
      layer(10, 64, 'softmax', 3),
    ];
    expect(costPerPoint(net)).toBe(2 * 128 + 64 * 128 + 10 * 64);
    const g = gridSide(net);
    expect(g * g * costPerPoint(net)).toBeLessThanOrEqual(2_000_000);
    expect(g).toBeGreaterThanOrEqual(12);
    expect(gridSide([layer(8, 2, 'tanh', 1), layer(1, 8, 'sigmoid', 1)])).toBe(60);
  });
});
