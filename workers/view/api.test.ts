import { describe, expect, it } from 'vitest';
import { predict } from '../core/network.ts';
import { viewApi } from './api.ts';
import { gridForward, linspace, networkOf } from './grid.ts';
import type { GridJob, PageLayer, SharedLayer } from './types.ts';

/** A 3-4-2 network laid out in one SharedArrayBuffer like the trainer's arena (W1, b1, W2, b2). */
function arena(): { buffer: SharedArrayBuffer; layers: SharedLayer[]; views: PageLayer[] } {
  const buffer = new SharedArrayBuffer(256);
  const shapes: Array<[number, number, PageLayer['activation']]> = [
    [4, 3, 'relu'],
    [2, 4, 'softmax'],
  ];
  let offset = 16;
  const layers: SharedLayer[] = [];
  const views: PageLayer[] = [];
  shapes.forEach(([rows, cols, activation], l) => {
    const W = new Float32Array(buffer, offset, rows * cols);
    const wOffset = offset;
    offset += rows * cols * 4;
    const b = new Float32Array(buffer, offset, rows);
    const bOffset = offset;
    offset += rows * 4;
    W.forEach((_, i) => (W[i] = Math.sin(3 * i + l + 1)));
    b.forEach((_, i) => (b[i] = 0.1 * (i - l)));
    layers.push({ wOffset, bOffset, rows, cols, activation });
    views.push({ W, b, rows, cols, activation });
  });
  return { buffer, layers, views };
}

const job: GridJob = {
  fx: 0,
  fy: 2,
  base: Float64Array.of(0.5, -0.25, 1),
  xRange: [-1, 2],
  yRange: [-3, 3],
  target: { kind: 'output' },
  budget: 2_000_000,
  maxSide: 20,
};

describe('view worker API', () => {
  it('reads the live weights of a shared arena at every job, top row first', () => {
    const a = arena();
    viewApi.attach({ kind: 'shared', buffer: a.buffer, layers: a.layers });
    const r = viewApi.grid(job);
    expect(r.side).toBe(20);
    expect(r.per).toBe(2);
    const want = new Float32Array(2 * 400);
    gridForward(
      a.views,
      job.base,
      0,
      2,
      linspace(-1, 2, 20),
      linspace(3, -3, 20),
      job.target,
      want,
    );
    expect(Array.from(r.values)).toEqual(Array.from(want));
    // The trainer moves a weight: the next job sees it without attaching again.
    a.views[1].b[0] += 5;
    const moved = viewApi.grid(job);
    expect(Array.from(moved.values)).not.toEqual(Array.from(r.values));
    expect(moved.values[0]).toBeGreaterThan(r.values[0]);
  });

  it('sizes the grid from the budget and answers a neuron, from a snapshot', () => {
    const a = arena();
    viewApi.attach({ kind: 'snapshot', layers: a.views });
    const r = viewApi.grid({ ...job, budget: 3000, target: { kind: 'neuron', layer: 1, unit: 3 } });
    // cost per point: 2 * 4 + 2 * 4 = 16 -> floor(sqrt(3000 / 16)) = 13
    expect(r.side).toBe(13);
    expect(r.per).toBe(1);
    expect(r.values.every((v) => v >= 0)).toBe(true); // a relu neuron
  });

  it('predicts sampled examples in the target units, and refuses jobs before a network is attached', () => {
    const a = arena();
    const out = a.views[1];
    const linear: PageLayer[] = [
      a.views[0],
      { ...out, W: out.W.subarray(0, 4), b: out.b.subarray(0, 1), rows: 1, activation: 'linear' },
    ];
    viewApi.attach({ kind: 'snapshot', layers: linear });
    const x = Float32Array.of(1, 2, 3, 4, 5, 6); // 3 x 2
    const y = Float32Array.of(0.5, -1);
    const r = viewApi.scatter({ x, y, m: 2, targetScale: { mean: 10, std: 2 } });
    const A = predict(networkOf(linear), { rows: 3, cols: 2, data: x }).data;
    expect(Array.from(r.actual)).toEqual([11, 8]);
    expect(r.predicted[0]).toBeCloseTo(A[0] * 2 + 10, 5);
    expect(r.predicted[1]).toBeCloseTo(A[1] * 2 + 10, 5);
    viewApi.attach(null);
    expect(() => viewApi.grid(job)).toThrow('No network is attached');
  });
  it('places examples on their principal components, and colours their plane from the live network', () => {
    // Four examples with 3 features, spread along (1, 1, 0): PC1 explains all the variance.
    const x = Float32Array.of(-3, -1, 1, 3, -3, -1, 1, 3, 0.5, 0.5, 0.5, 0.5);
    const p = viewApi.pca({ x, nx: 3, m: 4 });
    expect(p.ratio[0]).toBeCloseTo(1, 6);
    expect(Array.from(p.coords.subarray(0, 4)).map((v) => +v.toFixed(4))).toEqual(
      [-3, -1, 1, 3].map((v) => +(v * Math.SQRT2).toFixed(4)),
    );
    const a = arena();
    viewApi.attach({ kind: 'shared', buffer: a.buffer, layers: a.layers });
    const job = {
      x,
      m: 4,
      coords: p.coords,
      xRange: [-5, 5] as [number, number],
      yRange: [-1, 1] as [number, number],
      side: 10,
      k: 1,
      classes: true,
    };
    const r = viewApi.projection(job);
    expect(r.side).toBe(10);
    expect(r.per).toBe(2);
    // k = 1: the cell under an example holds the network's own output for it, so they agree.
    const A = predict(networkOf(a.views), { rows: 3, cols: 4, data: x }).data;
    const cell = (4 * 10 + 9) * 2; // example 3 at (4.24, 0): column 9, row 4
    expect(r.values[cell]).toBeCloseTo(A[3], 6);
    expect(r.values[cell + 1]).toBeCloseTo(A[4 + 3], 6);
    expect(r.agreement).toBe(1);
    expect(viewApi.projection({ ...job, classes: false }).agreement).toBeNull();
  });
});
