// A small forward pass on the page, for the live views only (decision boundary, neuron heatmaps,
// predicted vs actual): it reads W[l], b[l] straight from shared memory and never allocates per point.
// Over a grid of two chosen features with the others held fixed, layer 1 is
//   Z[1] = W[1][:, fx] x + W[1][:, fy] y + (W[1] base' + b[1])      (base' = base with fx, fy zeroed)
// so its cost per point is 2 n_1 instead of n_1 n_x: a 784-input network stays cheap.
import {
  LEAKY_RELU_SLOPE,
  type Activation,
  type OutputActivation,
} from '../../../../workers/core/types.ts';

export interface PageLayer {
  /** W[l]: rows x cols (n_l x n_{l-1}), row-major. */
  W: Float32Array;
  /** b[l]: rows x 1. */
  b: Float32Array;
  rows: number;
  cols: number;
  activation: Activation | OutputActivation;
}

/** g(z) for one value; softmax is applied over the whole output column by the caller. */
export function activate(kind: Activation | OutputActivation, z: number): number {
  switch (kind) {
    case 'sigmoid':
      return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return z > 0 ? z : 0;
    case 'leaky_relu':
      return z > 0 ? z : LEAKY_RELU_SLOPE * z;
    default:
      return z; // linear, and softmax's logits before normalization
  }
}

function softmaxInPlace(v: Float64Array, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (v[i] > max) max = v[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    v[i] = Math.exp(v[i] - max);
    sum += v[i];
  }
  for (let i = 0; i < n; i++) v[i] /= sum;
}

/** Which values to collect per point: the network's output (all n_y rows), or one neuron A[layer][unit] (layer 1-based). */
export type ForwardTarget = { kind: 'output' } | { kind: 'neuron'; layer: number; unit: number };

/** Multiply-adds per grid point, to size the grid within a time budget. */
export function costPerPoint(layers: PageLayer[]): number {
  let c = 0;
  for (const [l, L] of layers.entries()) c += l === 0 ? 2 * L.rows : L.rows * L.cols;
  return c;
}

/** Grid side G so that G*G points cost at most `budget` multiply-adds, clamped to [minSide, maxSide]. */
export function gridSide(
  layers: PageLayer[],
  budget = 2_000_000,
  minSide = 12,
  maxSide = 60,
): number {
  const per = Math.max(1, costPerPoint(layers));
  return Math.max(minSide, Math.min(maxSide, Math.floor(Math.sqrt(budget / per))));
}

export class GridForward {
  #a: Float64Array;
  #b: Float64Array;
  #c1: Float64Array;

  constructor(maxWidth: number) {
    this.#a = new Float64Array(maxWidth);
    this.#b = new Float64Array(maxWidth);
    this.#c1 = new Float64Array(maxWidth);
  }

  /**
   * Evaluates the network on the points (xs[i], ys[j]) of features fx, fy with the other inputs at `base`.
   * Writes into `out` (length at least values-per-point * xs.length * ys.length), point index j * xs.length + i
   * (row j = ys[j]), values of one point contiguous. Only rows [rowStart, rowEnd) are computed, so a big
   * grid can be spread over several tasks: call with rowStart = 0 first (it computes the constant part of
   * Z[1] that later rows of the same grid reuse). Returns values per point.
   */
  grid(
    layers: PageLayer[],
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
    this.#ensure(Math.max(...layers.map((l) => l.rows)));
    const c1 = this.#c1;
    // Constant part of Z[1]: W[1] base' + b[1] (computed with the first rows; later rows of the same grid reuse it).
    if (rowStart === 0)
      for (let r = 0; r < L1.rows; r++) {
        let s = L1.b[r];
        const row = r * L1.cols;
        for (let k = 0; k < L1.cols; k++) if (k !== fx && k !== fy) s += L1.W[row + k] * base[k];
        c1[r] = s;
      }
    let p = rowStart * xs.length;
    for (let j = rowStart; j < Math.min(rowEnd, ys.length); j++) {
      const y = ys[j];
      for (let i = 0; i < xs.length; i++, p++) {
        const x = xs[i];
        let a = this.#a;
        let nxt = this.#b;
        // Layer 1 from the two free features.
        for (let r = 0; r < L1.rows; r++) {
          const row = r * L1.cols;
          a[r] = c1[r] + L1.W[row + fx] * x + (fy === fx ? 0 : L1.W[row + fy] * y);
        }
        let width = L1.rows;
        this.#act(L1.activation, a, width);
        for (let l = 1; l < last; l++) {
          const Ll = layers[l];
          for (let r = 0; r < Ll.rows; r++) {
            let s = Ll.b[r];
            const row = r * Ll.cols;
            for (let k = 0; k < Ll.cols; k++) s += Ll.W[row + k] * a[k];
            nxt[r] = s;
          }
          this.#act(Ll.activation, nxt, Ll.rows);
          width = Ll.rows;
          const t = a;
          a = nxt;
          nxt = t;
        }
        if (target.kind === 'output') for (let r = 0; r < width; r++) out[p * per + r] = a[r];
        else out[p] = a[target.unit];
      }
    }
    return per;
  }

  /** The output A[L] (n_y x m, row-major like Y) for m examples of X (n_x x m, row-major). */
  predict(
    layers: PageLayer[],
    x: ArrayLike<number>,
    m: number,
    out: Float32Array,
    stride = 1,
    count = m,
  ): void {
    this.#ensure(Math.max(layers[0].cols, ...layers.map((l) => l.rows)));
    const nx = layers[0].cols;
    const ny = layers[layers.length - 1].rows;
    for (let q = 0; q < count; q++) {
      const i = q * stride;
      let a = this.#a;
      let nxt = this.#b;
      for (let f = 0; f < nx; f++) a[f] = x[f * m + i];
      for (const Ll of layers) {
        for (let r = 0; r < Ll.rows; r++) {
          let s = Ll.b[r];
          const row = r * Ll.cols;
          for (let k = 0; k < Ll.cols; k++) s += Ll.W[row + k] * a[k];
          nxt[r] = s;
        }
        this.#act(Ll.activation, nxt, Ll.rows);
        const t = a;
        a = nxt;
        nxt = t;
      }
      for (let r = 0; r < ny; r++) out[r * count + q] = a[r];
    }
  }

  #act(kind: Activation | OutputActivation, v: Float64Array, n: number): void {
    if (kind === 'softmax') softmaxInPlace(v, n);
    else if (kind !== 'linear') for (let r = 0; r < n; r++) v[r] = activate(kind, v[r]);
  }

  #ensure(width: number): void {
    if (this.#a.length >= width) return;
    this.#a = new Float64Array(width);
    this.#b = new Float64Array(width);
    this.#c1 = new Float64Array(width);
  }
}

/** Evenly spaced values from lo to hi inclusive. */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (n - 1);
  return out;
}

/** Per-feature medians of X (n_x x m), from at most `sample` evenly strided examples (exact when m <= sample). */
export function featureMedians(
  x: ArrayLike<number>,
  nx: number,
  m: number,
  sample = 501,
): Float64Array {
  const out = new Float64Array(nx);
  if (m === 0) return out;
  const count = Math.min(m, sample);
  const stride = m / count;
  const buf = new Float64Array(count);
  for (let f = 0; f < nx; f++) {
    let n = 0;
    for (let q = 0; q < count; q++) {
      const v = x[f * m + Math.floor(q * stride)];
      if (Number.isFinite(v)) buf[n++] = v;
    }
    const s = buf.subarray(0, n).sort();
    out[f] = n === 0 ? 0 : n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
  return out;
}

/** Min and max of feature f over X (n_x x m), widened by `margin` of the span on each side. */
export function featureRange(
  x: ArrayLike<number>,
  m: number,
  f: number,
  margin = 0.08,
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const v = x[f * m + i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (hi - lo < 1e-9) return [lo - 1, hi + 1];
  const pad = (hi - lo) * margin;
  return [lo - pad, hi + pad];
}
