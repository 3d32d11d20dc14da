// The view worker through its bridge in a real browser: the grid is computed off the page from the
// weights in shared memory (a change there shows in the next picture) or from a copy.
import { describe, expect, it } from 'vitest';
import { gridForward, linspace } from '../../../workers/view/grid.ts';
import type {
  GridJob,
  GridResult,
  PageLayer,
  PcaResult,
  ProjectionResult,
} from '../../../workers/view/types.ts';
import { liveViews, terminateViewWorker } from './view-bridge.ts';

function layersOn(buffer: ArrayBufferLike): PageLayer[] {
  const W1 = new Float32Array(buffer, 64, 8 * 2);
  const b1 = new Float32Array(buffer, 128, 8);
  const W2 = new Float32Array(buffer, 160, 3 * 8);
  const b2 = new Float32Array(buffer, 256, 3);
  W1.forEach((_, i) => (W1[i] = Math.sin(i + 1)));
  W2.forEach((_, i) => (W2[i] = Math.cos(2 * i)));
  b1.fill(0.1);
  return [
    { W: W1, b: b1, rows: 8, cols: 2, activation: 'tanh' },
    { W: W2, b: b2, rows: 3, cols: 8, activation: 'softmax' },
  ];
}

const job: GridJob = {
  fx: 0,
  fy: 1,
  base: new Float64Array(2),
  xRange: [-2, 2],
  yRange: [-1, 1],
  target: { kind: 'output' },
  budget: 1_000_000,
  maxSide: 60,
};

function picture(layers: PageLayer[]): Promise<GridResult> {
  return new Promise((resolve) =>
    liveViews.request('test', layers, { kind: 'grid', job, done: resolve }),
  );
}

function expected(layers: PageLayer[], side: number): Float32Array {
  const out = new Float32Array(3 * side * side);
  const xs = linspace(-2, 2, side);
  const ys = linspace(1, -1, side);
  gridForward(layers, job.base, 0, 1, xs, ys, { kind: 'output' }, out);
  return out;
}

describe('view bridge', () => {
  it('computes the boundary grid in the worker from live shared weights', async () => {
    expect(crossOriginIsolated).toBe(true);
    const layers = layersOn(new SharedArrayBuffer(512));
    const first = await picture(layers);
    expect(first.side).toBe(60);
    expect(first.per).toBe(3);
    expect(Array.from(first.values)).toEqual(Array.from(expected(layers, 60)));
    // The trainer writes new weights into the arena: the same attached views show them.
    layers[1].b[2] = 3;
    const second = await picture(layers);
    expect(Array.from(second.values)).toEqual(Array.from(expected(layers, 60)));
    expect(second.values[2]).toBeGreaterThan(first.values[2]);
  });

  it('without shared memory the worker gets a copy of the weights', async () => {
    const layers = layersOn(new ArrayBuffer(512));
    const r = await picture(layers);
    expect(Array.from(r.values)).toEqual(Array.from(expected(layers, 60)));
    terminateViewWorker();
    // A new worker after a stop: the parameters are attached again.
    const again = await picture(layers);
    expect(Array.from(again.values)).toEqual(Array.from(r.values));
  });
  it('places examples on their principal components, then colours their plane from the network', async () => {
    // Six examples of 2 features along the diagonal: PC1 carries all the variance.
    const x = Float32Array.of(-3, -2, -1, 1, 2, 3, -3, -2, -1, 1, 2, 3);
    const pca = await new Promise<PcaResult>((resolve) =>
      liveViews.request('test-pca', null, { kind: 'pca', job: { x, nx: 2, m: 6 }, done: resolve }),
    );
    expect(pca.ratio[0]).toBeCloseTo(1, 6);
    expect(pca.coords[5]).toBeCloseTo(3 * Math.SQRT2, 5);
    const layers = layersOn(new SharedArrayBuffer(512));
    const r = await new Promise<ProjectionResult>((resolve) =>
      liveViews.request('test', layers, {
        kind: 'projection',
        job: {
          x,
          m: 6,
          coords: pca.coords,
          xRange: [-5, 5],
          yRange: [-1, 1],
          side: 20,
          k: 3,
          classes: true,
        },
        done: resolve,
      }),
    );
    expect(r.side).toBe(20);
    expect(r.per).toBe(3);
    expect(r.values.length).toBe(3 * 400);
    expect(r.agreement).toBeGreaterThan(0);
    expect(r.agreement).toBeLessThanOrEqual(1);
  });
});
