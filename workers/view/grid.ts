// The network over a grid of two chosen input features, the others held fixed, with core's forward
// pass (network.ts predict: activations, softmax). Layer 1 is folded first:
//   Z[1] = W[1][:, fx] x + W[1][:, fy] y + (W[1] base' + b[1])      (base' = base with fx, fy zeroed)
// so the network core runs takes the two free features only, and a point costs 2 n_1 instead of
// n_1 n_x in layer 1: a 784-input network stays cheap.
import { activate } from '../core/activations.ts';
import { matrix, predict, type Matrix, type Network } from '../core/network.ts';
import type { Activation, NetworkSpec, OutputActivation } from '../core/types.ts';
import type { ForwardTarget } from './types.ts';

/** A layer's W[l] (rows x cols, row-major), b[l] and activation (the page's views satisfy it). */
export interface GridLayer {
  W: ArrayLike<number>;
  b: ArrayLike<number>;
  rows: number;
  cols: number;
  activation: Activation | OutputActivation;
}

/** Multiply-adds per grid point, to size the grid within a budget. */
export function costPerPoint(layers: ReadonlyArray<{ rows: number; cols: number }>): number {
  let c = 0;
  for (const [l, L] of layers.entries()) c += l === 0 ? 2 * L.rows : L.rows * L.cols;
  return c;
}

/** Grid side G so that G*G points cost at most `budget` multiply-adds, clamped to [minSide, maxSide]. */
export function gridSide(
  layers: ReadonlyArray<{ rows: number; cols: number }>,
  budget = 2_000_000,
  minSide = 12,
  maxSide = 60,
): number {
  const per = Math.max(1, costPerPoint(layers));
  return Math.max(minSide, Math.min(maxSide, Math.floor(Math.sqrt(budget / per))));
}

/** Evenly spaced values from lo to hi inclusive. */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (n - 1);
  return out;
}

const EMPTY = (): Matrix => matrix(0, 0);

/** A core network of layers 1..L as they are (float64 copies). */
export function networkOf(layers: readonly GridLayer[]): Network {
  const L = layers.length;
  const spec: NetworkSpec = {
    inputs: layers[0].cols,
    outputs: layers[L - 1].rows,
    hidden: layers
      .slice(0, L - 1)
      .map((l) => ({ units: l.rows, activation: l.activation as Activation, keepProb: 1 })),
    output: layers[L - 1].activation as OutputActivation,
  };
  return {
    spec,
    W: [EMPTY(), ...layers.map((l) => matrix(l.rows, l.cols, l.W))],
    b: [EMPTY(), ...layers.map((l) => matrix(l.rows, 1, l.b))],
  };
}

/** The network from the free features (fx, or fx and fy) to layer `last`, layer 1 folded with the
 * held inputs. A hidden `last` keeps only `unit`'s row, as a linear output (its g is applied after). */
function foldedNetwork(
  layers: readonly GridLayer[],
  base: ArrayLike<number>,
  fx: number,
  fy: number,
  last: number,
  unit: number | null,
): Network {
  const free = fx === fy ? [fx] : [fx, fy];
  const kept = layers.slice(0, last).map((l, i) => {
    if (i !== last - 1 || unit === null || last === layers.length) return l;
    const W = Array.from({ length: l.cols }, (_, k) => l.W[unit * l.cols + k]);
    return { ...l, W, b: [l.b[unit]], rows: 1, activation: 'linear' as const };
  });
  const L1 = kept[0];
  // W[1] base' + b[1]: the constant part of Z[1].
  const b1 = new Float64Array(L1.rows);
  const w1 = new Float64Array(L1.rows * free.length);
  for (let r = 0; r < L1.rows; r++) {
    let s = L1.b[r];
    const row = r * L1.cols;
    for (let k = 0; k < L1.cols; k++) if (k !== fx && k !== fy) s += L1.W[row + k] * base[k];
    b1[r] = s;
    free.forEach((f, c) => (w1[r * free.length + c] = L1.W[row + f]));
  }
  const net = networkOf([{ ...L1, W: w1, b: b1, cols: free.length }, ...kept.slice(1)]);
  if (last < layers.length) net.spec.output = 'linear';
  return net;
}

/**
 * Evaluates the network on the points (xs[i], ys[j]) of features fx, fy with the other inputs at `base`.
 * Writes into `out` (length at least values-per-point * xs.length * ys.length), point index j * xs.length + i
 * (row j = ys[j]), values of one point contiguous. Only rows [rowStart, rowEnd) are computed (the
 * others are left as they are). Returns values per point.
 */
export function gridForward(
  layers: readonly GridLayer[],
  base: ArrayLike<number>,
  fx: number,
  fy: number,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  target: ForwardTarget,
  out: Float32Array,
  rowStart = 0,
  rowEnd = ys.length,
): number {
  if (layers.length === 0) throw new Error('The network has no layer.');
  const L1 = layers[0];
  if (base.length !== L1.cols)
    throw new Error(
      `The fixed inputs have ${base.length} values but W[1] is ${L1.rows} x ${L1.cols}.`,
    );
  const last = target.kind === 'output' ? layers.length : target.layer;
  if (last < 1 || last > layers.length)
    throw new Error(`Layer ${last} does not exist (the network has ${layers.length}).`);
  const per = target.kind === 'output' ? layers[layers.length - 1].rows : 1;
  const npts = xs.length * ys.length;
  if (out.length < per * npts)
    throw new Error(`The output buffer holds ${out.length} values; ${per * npts} are needed.`);
  const j0 = Math.max(0, rowStart);
  const j1 = Math.min(rowEnd, ys.length);
  if (j1 <= j0 || xs.length === 0) return per;
  const unit = target.kind === 'neuron' ? target.unit : null;
  const net = foldedNetwork(layers, base, fx, fy, last, unit);
  // X: one column per point of rows j0..j1-1; row 0 = x, row 1 = y (when fy is another feature).
  const m = xs.length * (j1 - j0);
  const X = matrix(net.spec.inputs, m);
  for (let j = j0, p = 0; j < j1; j++)
    for (let i = 0; i < xs.length; i++, p++) {
      X.data[p] = xs[i];
      if (net.spec.inputs === 2) X.data[m + p] = ys[j];
    }
  const A = predict(net, X).data; // (outputs x m), row-major
  const at = j0 * xs.length;
  if (target.kind === 'output') {
    for (let p = 0; p < m; p++)
      for (let r = 0; r < per; r++) out[(at + p) * per + r] = A[r * m + p];
  } else if (last === layers.length) {
    for (let p = 0; p < m; p++) out[at + p] = A[target.unit * m + p];
  } else {
    // A[last] = g(Z[last]) of the one unit kept.
    const g = layers[last - 1].activation;
    for (let p = 0; p < m; p++) out[at + p] = activate(g, A[p]);
  }
  return per;
}
