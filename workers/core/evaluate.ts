// Evaluation and prediction on the planned arena: forward passes (no dropout) over chunks of at most
// plan.evalCols columns, through evX and the two ping-pong buffers evP / evQ. Nothing is allocated
// except predict's output when none is given.
import type { FusedPasses } from './passes.ts';
import type { BufferOffsets, SessionPlan, Split } from './plan.ts';
import type { Kernels } from './kernels/types.ts';
import type { NetworkSpec, Task } from './types.ts';

export interface EvalMetrics {
  split: Split;
  m: number;
  /** Mean data loss (no L2). */
  loss: number;
  accuracy: number;
  /** Root mean squared error in the target's original units (regression). */
  rmse: number;
  /** Coefficient of determination (regression). */
  r2: number;
}

/** What evaluation reads of a planned trainer. */
export interface EvalContext {
  readonly plan: SessionPlan;
  readonly spec: NetworkSpec;
  readonly task: Task;
  readonly heap: Float32Array;
  readonly buf: BufferOffsets;
  readonly fx: FusedPasses;
  /** Activation code of each hidden layer l (index l). */
  readonly act: readonly number[];
  readonly kernels: Kernels;
  readonly targetScale: { mean: number; std: number } | null;
}

/** Forward of one chunk of e columns already in evX; returns the offset holding Z[L] (bias not yet added). */
function evalForward(t: EvalContext, e: number): number {
  const { L, n } = t.plan;
  const o = t.buf;
  let cur = o.evX;
  for (let l = 1; l <= L; l++) {
    const out = cur === o.evP ? o.evQ : o.evP;
    // Z[l] = W[l] A[l-1]; then A[l] = g(Z[l] + b[l]) in place for hidden layers
    t.kernels.gemm(false, false, n[l], e, n[l - 1], 1, o.W[l], n[l - 1], cur, e, 0, out, e);
    if (l < L) t.fx.biasActivate(out, out, o.b[l], n[l], e, t.act[l]);
    cur = out;
  }
  return cur;
}

/** Full pass over a split (no dropout): summed loss, correct count and squared error in t.fx. */
export function evalSplit(t: EvalContext, split: Split): void {
  const { L, n, evalCols } = t.plan;
  const o = t.buf,
    fx = t.fx;
  const m = t.plan.m[split];
  let loss = 0,
    correct = 0,
    sq = 0;
  for (let start = 0; start < m; start += evalCols) {
    const e = Math.min(evalCols, m - start);
    if (split === 'train' && o.trainT) fx.copyRowsTransposed(o.X.train, start, o.evX, n[0], e);
    else fx.copyColumns(o.X[split], m, start, o.evX, n[0], e);
    fx.copyColumns(o.Y[split], m, start, o.evY, n[L], e);
    const zl = evalForward(t, e);
    fx.outputPass(zl, o.b[L], o.evY, n[L], e, -1, -1);
    loss += fx.loss;
    correct += fx.correct;
    sq += fx.sq;
  }
  fx.loss = loss;
  fx.correct = correct;
  fx.sq = sq;
}

/** Accuracy of `correct` over m examples: per example for softmax, per output unit otherwise. */
export function accuracyOf(t: EvalContext, correct: number, m: number): number {
  if (t.task === 'regression') return NaN;
  return correct / (m * (t.spec.output === 'softmax' ? 1 : t.plan.n[t.plan.L]));
}

/** RMSE in the target's original units from a summed squared error over m examples. */
export function rmseOf(t: EvalContext, sq: number, m: number): number {
  if (t.task !== 'regression') return NaN;
  return Math.sqrt(sq / (m * t.plan.n[t.plan.L])) * (t.targetScale?.std ?? 1);
}

/** An epoch's metrics into its history row (EPOCH_FIELDS order, fields 0..6): the epoch number, the
 *  running means over the epoch's batches (`sums`, as seen, dropout included) and a full dev pass. */
export function writeEpochMetrics(
  t: EvalContext,
  hist: Float64Array,
  row: number,
  epoch: number,
  sums: { loss: number; correct: number; sqErr: number; seen: number },
): void {
  const mDev = t.plan.m.dev;
  hist[row] = epoch;
  hist[row + 1] = sums.loss / sums.seen;
  hist[row + 3] = accuracyOf(t, sums.correct, sums.seen);
  hist[row + 5] = rmseOf(t, sums.sqErr, sums.seen);
  if (mDev > 0) {
    evalSplit(t, 'dev');
    hist[row + 2] = t.fx.loss / mDev;
    hist[row + 4] = accuracyOf(t, t.fx.correct, mDev);
    hist[row + 6] = rmseOf(t, t.fx.sq, mDev);
  } else hist[row + 2] = hist[row + 4] = hist[row + 6] = NaN;
}

/** Loss (data term), accuracy, RMSE and R^2 of the current parameters on a split. */
export function evaluate(t: EvalContext, split: Split): EvalMetrics {
  const m = t.plan.m[split];
  if (m === 0) return { split, m, loss: NaN, accuracy: NaN, rmse: NaN, r2: NaN };
  evalSplit(t, split);
  const { loss, correct, sq } = t.fx;
  let r2 = NaN;
  if (t.task === 'regression') {
    // R^2 = 1 - SS_res / SS_tot, both in standardized units
    const y = t.buf.Y[split],
      len = t.plan.n[t.plan.L] * m,
      h = t.heap;
    let mean = 0;
    for (let i = 0; i < len; i++) mean += h[y + i];
    mean /= len;
    let dev = 0;
    for (let i = 0; i < len; i++) {
      const d = h[y + i] - mean;
      dev += d * d;
    }
    r2 = dev > 0 ? 1 - sq / dev : NaN;
  }
  return {
    split,
    m,
    loss: loss / m,
    accuracy: accuracyOf(t, correct, m),
    rmse: rmseOf(t, sq, m),
    r2,
  };
}

/** A[L] for x (n_x, m) into out (n_y, m); regression outputs in the target's original units. No dropout. */
export function predict(
  t: EvalContext,
  x: Float32Array,
  m: number,
  out: Float32Array = new Float32Array(t.plan.n[t.plan.L] * m),
): Float32Array {
  const { L, n, evalCols } = t.plan;
  const o = t.buf,
    h = t.heap;
  if (x.length !== n[0] * m)
    throw new Error(
      `predict: x should be ${n[0]} x ${m} (${n[0] * m} values, features x examples) but has ${x.length}.`,
    );
  if (out.length !== n[L] * m)
    throw new Error(`predict: the output should hold ${n[L]} x ${m} values but has ${out.length}.`);
  const ts = t.task === 'regression' ? t.targetScale : null;
  for (let start = 0; start < m; start += evalCols) {
    const e = Math.min(evalCols, m - start);
    for (let f = 0; f < n[0]; f++)
      h.set(x.subarray(f * m + start, f * m + start + e), o.evX + f * e);
    h.fill(0, o.evY, o.evY + n[L] * e);
    const zl = evalForward(t, e);
    const aOff = zl === o.evP ? o.evQ : o.evP;
    t.fx.outputPass(zl, o.b[L], o.evY, n[L], e, aOff, -1);
    for (let i = 0; i < n[L]; i++) {
      for (let j = 0; j < e; j++) {
        const v = h[aOff + i * e + j];
        out[i * m + start + j] = ts ? v * ts.std + ts.mean : v;
      }
    }
  }
  return out;
}
