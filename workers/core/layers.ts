// One layer of the planned trainer, forward and backward side by side: the matrix product through
// Kernels, then one fused element-wise pass (passes.ts). Offsets are float32 elements into the heap;
// a batch of c columns is packed with row stride c. Nothing here allocates.
import type { Kernels } from './kernels/types.ts';
import type { FusedPasses } from './passes.ts';
import type { BufferOffsets, SessionPlan } from './plan.ts';
import type { Rng } from './rng.ts';

/** What a layer reads of a planned trainer. */
export interface LayerContext {
  readonly plan: SessionPlan;
  readonly heap: Float32Array;
  readonly buf: BufferOffsets;
  readonly fx: FusedPasses;
  readonly kernels: Kernels;
  /** Activation code and keep probability of hidden layer l, at index l. */
  readonly act: readonly number[];
  readonly keep: readonly number[];
}

/** Hidden layer l forward: Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l]); dropout: D = u < keep, A = A * D / keep. */
export function hiddenForward(t: LayerContext, l: number, c: number, aPrev: number, rng: Rng) {
  const n = t.plan.n,
    o = t.buf;
  t.kernels.gemm(false, false, n[l], c, n[l - 1], 1, o.W[l], n[l - 1], aPrev, c, 0, o.Z[l], c);
  t.fx.biasActivate(o.Z[l], o.A[l], o.b[l], n[l], c, t.act[l]);
  if (o.D[l] >= 0) t.fx.dropout(rng, o.A[l], o.D[l], n[l] * c, t.keep[l]);
}

/** Layer l backward, from dZ[l]: dW[l] = 1/m dZ[l] A[l-1]^T + (lambda/m) W[l], db[l] = 1/m sum(dZ[l], axis 1),
 *  and for l > 1 dZ[l-1] = W[l]^T dZ[l] * D[l-1]/keep * g'(Z[l-1]). */
export function layerBackward(
  t: LayerContext,
  l: number,
  c: number,
  aPrev: number,
  lambda: number,
) {
  const n = t.plan.n,
    o = t.buf,
    h = t.heap;
  const rows = n[l],
    cols = n[l - 1];
  // L2 folded into the product through beta: dW = (lambda/m) W, then dW += 1/m dZ A^T
  let beta = 0;
  if (lambda > 0) {
    const s = lambda / c,
      w = o.W[l],
      dw = o.dW[l];
    for (let i = 0, e = rows * cols; i < e; i++) h[dw + i] = s * h[w + i];
    beta = 1;
  }
  t.kernels.gemm(false, true, rows, cols, c, 1 / c, o.dZ[l], c, aPrev, c, beta, o.dW[l], cols);
  const dz = o.dZ[l],
    db = o.db[l];
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const r = dz + i * c;
    for (let j = 0; j < c; j++) s += h[r + j];
    h[db + i] = s / c;
  }
  if (l > 1) {
    // dA[l-1] = W[l]^T dZ[l] into dZ[l-1], then the mask and g' in one pass
    t.kernels.gemm(true, false, cols, c, rows, 1, o.W[l], cols, dz, c, 0, o.dZ[l - 1], c);
    t.fx.activationBackward(
      o.dZ[l - 1],
      o.A[l - 1],
      o.D[l - 1],
      cols * c,
      t.act[l - 1],
      t.keep[l - 1],
    );
  }
}

/** Output layer forward with its loss: Z[L] = W[L] A[L-1] + b[L], A[L] = output(Z[L]), the loss from
 *  the logits, the correct count and dZ[L] = A[L] - Y (results in t.fx). */
export function outputForward(t: LayerContext, c: number, aPrev: number, y: number): void {
  const { n, L } = t.plan,
    o = t.buf;
  t.kernels.gemm(false, false, n[L], c, n[L - 1], 1, o.W[L], n[L - 1], aPrev, c, 0, o.Z[L], c);
  t.fx.outputPass(o.Z[L], o.b[L], y, n[L], c, o.A[L], o.dZ[L]);
}

/** A batch's passes: forward layer by layer, the output pass with its loss, then (when the loss is
 *  finite) backward from layer L down to 1, leaving dW and db in the gradient block. */
export function batchPasses(
  t: LayerContext,
  c: number,
  x: number,
  y: number,
  lambda: number,
  rng: Rng,
): void {
  const { L } = t.plan,
    o = t.buf;
  let aPrev = x;
  for (let l = 1; l < L; l++) {
    hiddenForward(t, l, c, aPrev, rng);
    aPrev = o.A[l];
  }
  outputForward(t, c, aPrev, y);
  if (!Number.isFinite(t.fx.loss)) return;
  for (let l = L; l >= 1; l--) layerBackward(t, l, c, l === 1 ? x : o.A[l - 1], lambda);
}
