// Row-major float64 matrices for the library (network.ts) and the vectorized pieces of its forward
// pass: Z = W A + b, softmax per column, and the mean data loss computed from the logits.
import { bceWithLogits, halfSquaredError, lossFor } from './activations.ts';
import type { NetworkSpec } from './types.ts';

/** A row-major matrix: element (i, j) is data[i * cols + j]. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}
/** Inputs may be float32 (as prepared data is) or float64. */
export interface MatrixLike {
  rows: number;
  cols: number;
  data: Float64Array | Float32Array | ArrayLike<number>;
}

export function matrix(rows: number, cols: number, data?: ArrayLike<number>): Matrix {
  const m: Matrix = { rows, cols, data: new Float64Array(rows * cols) };
  if (data) {
    if (data.length !== rows * cols)
      throw new Error(
        `A ${rows} x ${cols} matrix needs ${rows * cols} values, got ${data.length}.`,
      );
    m.data.set(data);
  }
  return m;
}

/** The 0 x 0 matrix at index 0 of the per-layer arrays. */
export const EMPTY = (): Matrix => matrix(0, 0);
export const shape = (m: { rows: number; cols: number }) => `${m.rows} x ${m.cols}`;

/** Float64 inputs are used as they are; others are copied. */
export function toMatrix(m: MatrixLike): Matrix {
  if (m.data instanceof Float64Array) return m as Matrix;
  return matrix(m.rows, m.cols, m.data);
}

/** Z[l] = W[l] A[l-1] + b[l] (shapes checked, message names both). */
export function linearForward(W: Matrix, b: Matrix, Aprev: Matrix, l: number): Matrix {
  if (W.cols !== Aprev.rows)
    throw new Error(
      `W[${l}] is ${shape(W)} but A[${l - 1}] is ${shape(Aprev)}: W[${l}]'s columns must equal A[${l - 1}]'s rows.`,
    );
  const m = Aprev.cols;
  const Z = matrix(W.rows, m);
  for (let i = 0; i < W.rows; i++) {
    for (let j = 0; j < m; j++) {
      let s = b.data[i];
      for (let k = 0; k < W.cols; k++) s += W.data[i * W.cols + k] * Aprev.data[k * m + j];
      Z.data[i * m + j] = s;
    }
  }
  return Z;
}

/** softmax per column, stable: a_i = e^(z_i - max z) / sum_k e^(z_k - max z). */
export function softmaxColumns(Z: Matrix): Matrix {
  const A = matrix(Z.rows, Z.cols);
  for (let j = 0; j < Z.cols; j++) {
    let mx = -Infinity;
    for (let i = 0; i < Z.rows; i++) mx = Math.max(mx, Z.data[i * Z.cols + j]);
    let s = 0;
    for (let i = 0; i < Z.rows; i++) s += Math.exp(Z.data[i * Z.cols + j] - mx);
    for (let i = 0; i < Z.rows; i++)
      A.data[i * Z.cols + j] = Math.exp(Z.data[i * Z.cols + j] - mx) / s;
  }
  return A;
}

/** Mean data loss over the columns, computed from the logits Z[L] (never log(0)). */
export function dataLoss(spec: NetworkSpec, ZL: Matrix, AL: Matrix, Y: Matrix): number {
  const m = Y.cols;
  let sum = 0;
  const loss = lossFor(spec.output);
  if (loss === 'binary_cross_entropy') {
    for (let i = 0; i < ZL.data.length; i++) sum += bceWithLogits(ZL.data[i], Y.data[i]);
  } else if (loss === 'mse') {
    for (let i = 0; i < AL.data.length; i++) sum += halfSquaredError(AL.data[i], Y.data[i]);
  } else {
    // -sum_k y_k log softmax(z)_k, with log softmax(z)_k = z_k - max - log sum e^(z - max).
    for (let j = 0; j < m; j++) {
      let mx = -Infinity;
      for (let i = 0; i < ZL.rows; i++) mx = Math.max(mx, ZL.data[i * m + j]);
      let s = 0;
      for (let i = 0; i < ZL.rows; i++) s += Math.exp(ZL.data[i * m + j] - mx);
      const lse = mx + Math.log(s);
      for (let i = 0; i < ZL.rows; i++) sum -= Y.data[i * m + j] * (ZL.data[i * m + j] - lse);
    }
  }
  return sum / m;
}

/** out[i] = f(m[i]). */
export function mapMatrix(m: Matrix, f: (v: number) => number): Matrix {
  const out = matrix(m.rows, m.cols);
  for (let i = 0; i < m.data.length; i++) out.data[i] = f(m.data[i]);
  return out;
}
