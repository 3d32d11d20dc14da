// Copies of a planned trainer's matrices for the maths panel and the gradient check (allocated on
// request, never during training).
import type { BufferOffsets, SessionPlan } from './plan.ts';
import type { LayerParams, NetworkSpec, SerializedNetwork } from './types.ts';

export interface LayerInspection {
  layer: number;
  /** n_l */
  rows: number;
  /** n_{l-1} */
  cols: number;
  activation: string;
  W: Float32Array;
  b: Float32Array;
  /** (n_l, m) */
  Z: Float32Array;
  A: Float32Array;
  dZ: Float32Array;
  /** Dropout mask (n_l, m), null without dropout. */
  D: Float32Array | null;
  dW: Float32Array;
  db: Float32Array;
}

export interface Inspected {
  epoch: number;
  step: number;
  /** Columns kept (the first min(batch, maxColumns)). */
  m: number;
  /** Columns of the whole mini-batch. */
  batchM: number;
  X: Float32Array;
  Y: Float32Array;
  layers: LayerInspection[];
}

/** What inspection reads of a planned trainer. */
export interface InspectContext {
  readonly plan: SessionPlan;
  readonly spec: NetworkSpec;
  readonly heap: Float32Array;
  readonly buf: BufferOffsets;
}

/** W, b, dW, db whole; the batch's X, Y, Z, A, dZ, D with the first `maxColumns` of the
 *  last batch's `columns` examples, as (rows, m). */
export function inspectBatch(
  t: InspectContext,
  at: { epoch: number; step: number; columns: number; maxColumns: number },
): Inspected {
  const { L, n } = t.plan;
  const h = t.heap,
    o = t.buf;
  const c = at.columns;
  const k = Math.min(c, Math.max(1, at.maxColumns));
  const copy = (off: number, len: number) => h.slice(off, off + len);
  // the first k columns of a (rows, c) matrix
  const cols = (off: number, rows: number) => {
    if (k === c) return copy(off, rows * c);
    const out = new Float32Array(rows * k);
    for (let i = 0; i < rows; i++) out.set(h.subarray(off + i * c, off + i * c + k), i * k);
    return out;
  };
  const layers: LayerInspection[] = [];
  for (let l = 1; l <= L; l++) {
    layers.push({
      layer: l,
      rows: n[l],
      cols: n[l - 1],
      activation: l < L ? t.spec.hidden[l - 1].activation : t.spec.output,
      W: copy(o.W[l], n[l] * n[l - 1]),
      b: copy(o.b[l], n[l]),
      Z: cols(o.Z[l], n[l]),
      A: cols(o.A[l], n[l]),
      dZ: cols(o.dZ[l], n[l]),
      D: o.D[l] >= 0 ? cols(o.D[l], n[l]) : null,
      dW: copy(o.dW[l], n[l] * n[l - 1]),
      db: copy(o.db[l], n[l]),
    });
  }
  return {
    epoch: at.epoch,
    step: at.step,
    m: k,
    batchM: c,
    X: cols(o.Xb, n[0]),
    Y: cols(o.Yb, n[L]),
    layers,
  };
}

/** The first `k` training examples as (n_x, k) and (n_y, k) copies. */
export function trainColumns(
  t: InspectContext,
  k: number,
): { X: Float32Array; Y: Float32Array; m: number } {
  const { L, n } = t.plan;
  const h = t.heap,
    o = t.buf;
  const mt = t.plan.m.train;
  const m = Math.min(k, mt);
  const X = new Float32Array(n[0] * m),
    Y = new Float32Array(n[L] * m);
  if (o.trainT) {
    for (let j = 0; j < m; j++)
      for (let f = 0; f < n[0]; f++) X[f * m + j] = h[o.X.train + j * n[0] + f];
  } else {
    for (let f = 0; f < n[0]; f++)
      X.set(h.subarray(o.X.train + f * mt, o.X.train + f * mt + m), f * m);
  }
  for (let f = 0; f < n[L]; f++)
    Y.set(h.subarray(o.Y.train + f * mt, o.Y.train + f * mt + m), f * m);
  return { X, Y, m };
}

/** The parameters W[l], b[l] as plain arrays, l = 1..L at index l - 1 (a copy). */
export function paramsOf(t: InspectContext): LayerParams[] {
  const { L, n } = t.plan;
  const h = t.heap,
    o = t.buf;
  const out: LayerParams[] = [];
  for (let l = 1; l <= L; l++) {
    out.push({
      W: Array.from(h.subarray(o.W[l], o.W[l] + n[l] * n[l - 1])),
      b: Array.from(h.subarray(o.b[l], o.b[l] + n[l])),
    });
  }
  return out;
}

/** The network as plain data: its spec and a copy of its parameters. */
export function serializeOf(t: InspectContext & { readonly spec: NetworkSpec }): SerializedNetwork {
  return {
    format: 'backprop-lab/network',
    version: 1,
    spec: { ...t.spec, hidden: t.spec.hidden.map((x) => ({ ...x })) },
    params: paramsOf(t),
  };
}
