// The view worker's one API object: the live views' pictures computed off the page. The page attaches
// the parameters once per run (views into the trainer's shared arena, read afresh at every job, or a
// copy without shared memory), then sends small jobs and gets plain arrays back (transferred).
import * as Comlink from 'comlink';
import { predict } from '../core/network.ts';
import { pca2, projectOnto } from '../core/pca.ts';
import { unscale } from '../data/encode.ts';
import { gridForward, gridSide, linspace, networkOf, type GridLayer } from './grid.ts';
import { agreement, neighbourhoodGrid } from './neighbourhood.ts';
import type {
  GridJob,
  GridResult,
  ParamSource,
  PcaJob,
  PcaResult,
  ProjectionJob,
  ProjectionResult,
  ScatterJob,
  ScatterResult,
} from './types.ts';

let layers: GridLayer[] | null = null;

function need(): GridLayer[] {
  if (!layers) throw new Error('No network is attached to the view worker yet.');
  return layers;
}

/** Float32 views of W[l], b[l] in the source (shared: the arena itself, so every job reads the live values). */
export function layersOf(source: ParamSource): GridLayer[] {
  if (source.kind === 'snapshot') return source.layers.map((l) => ({ ...l }));
  return source.layers.map((l) => ({
    W: new Float32Array(source.buffer, l.wOffset, l.rows * l.cols),
    b: new Float32Array(source.buffer, l.bOffset, l.rows),
    rows: l.rows,
    cols: l.cols,
    activation: l.activation,
  }));
}

export const viewApi = {
  /** The parameters the next jobs read (null: none). */
  attach(source: ParamSource | null): void {
    layers = source ? layersOf(source) : null;
  },

  /** The network's output (or one neuron) over a grid of features fx, fy; side chosen from the budget. */
  grid(job: GridJob): GridResult {
    const t0 = performance.now();
    const net = need();
    const side = gridSide(net, job.budget, 12, job.maxSide);
    const xs = linspace(job.xRange[0], job.xRange[1], side);
    const ys = linspace(job.yRange[1], job.yRange[0], side); // top row first
    const per = job.target.kind === 'output' ? net[net.length - 1].rows : 1;
    const values = new Float32Array(per * side * side);
    gridForward(net, job.base, job.fx, job.fy, xs, ys, job.target, values);
    const ms = performance.now() - t0;
    return Comlink.transfer({ side, per, values, ms }, [values.buffer]);
  },

  /** Predicted vs actual for sampled examples, both in the target's units. */
  scatter(job: ScatterJob): ScatterResult {
    const t0 = performance.now();
    const net = networkOf(need());
    const A =
      job.m > 0 ? predict(net, { rows: net.spec.inputs, cols: job.m, data: job.x }).data : [];
    const actual = new Float32Array(job.m);
    const predicted = new Float32Array(job.m);
    for (let q = 0; q < job.m; q++) {
      actual[q] = unscale(job.targetScale, job.y[q]);
      predicted[q] = unscale(job.targetScale, A[q]);
    }
    const ms = performance.now() - t0;
    return Comlink.transfer({ actual, predicted, ms }, [actual.buffer, predicted.buffer]);
  },
  /** The examples' places on their first two principal components (no parameters needed). */
  pca(job: PcaJob): PcaResult {
    const t0 = performance.now();
    const p = pca2(job.x, job.nx, job.m);
    const coords = projectOnto(p, job.x, job.nx, job.m);
    const ms = performance.now() - t0;
    return Comlink.transfer({ coords, ratio: p.ratio, ms }, [coords.buffer]);
  },

  /** The network's outputs for the examples, the neighbourhood grid over their plane (side at most
   * 96, k nearest) and how often a point's cell agrees with the network's class for it. */
  projection(job: ProjectionJob): ProjectionResult {
    const t0 = performance.now();
    const net = networkOf(need());
    const per = net.spec.outputs;
    const side = Math.max(4, Math.min(96, Math.floor(job.side)));
    const values = new Float32Array(per * side * side);
    const A =
      job.m > 0 ? predict(net, { rows: net.spec.inputs, cols: job.m, data: job.x }).data : [];
    neighbourhoodGrid(job.coords, A, per, job.m, job.xRange, job.yRange, side, job.k, values);
    const agree = job.classes
      ? agreement(job.coords, A, per, job.m, values, job.xRange, job.yRange, side)
      : null;
    const ms = performance.now() - t0;
    return Comlink.transfer({ side, per, values, agreement: agree, ms }, [values.buffer]);
  },
};
