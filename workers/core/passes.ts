// The planned trainer's fused element-wise passes on the arena's float32 heap: each layer's forward
// pass after its product (bias + activation [+ dropout]) and its backward pass after dA = W^T dZ
// (dropout mask + activation derivative), the output pass (activation, loss from the logits, correct
// count and dZ[L] = A[L] - Y at once), and the column copies of batches and evaluation chunks.
// The formulas come from the activation table (activations.ts): one loop per activation, each calling
// its one definition, so every call site stays monomorphic. Nothing here allocates.
import {
  ACT,
  bceOf,
  halfSquaredError,
  leakyRelu,
  leakyReluGrad,
  linear,
  relu,
  reluGrad,
  sigmoid,
  sigmoidGrad,
  sigmoidOf,
  tanh,
  tanhGrad,
} from './activations.ts';
import type { Elementwise } from './elementwise.ts';
import type { Rng } from './rng.ts';
import type { OutputActivation } from './types.ts';

const SIGMOID = ACT.sigmoid,
  TANH = ACT.tanh,
  RELU = ACT.relu,
  LEAKY_RELU = ACT.leaky_relu,
  LINEAR = ACT.linear;

export class FusedPasses {
  /** Results of the last outputPass: summed loss (data term), correct count, summed squared error. */
  loss = 0;
  correct = 0;
  sq = 0;

  private readonly h: Float32Array;
  private readonly ew: Elementwise | null;
  private readonly output: OutputActivation;
  private readonly colMax: number;
  private readonly colSum: number;
  private readonly colArg: number;
  private readonly colArgY: number;

  constructor(
    heap: Float32Array,
    ew: Elementwise | null,
    output: OutputActivation,
    softmaxColumns: { colMax: number; colSum: number; colArg: number; colArgY: number },
  ) {
    this.h = heap;
    this.ew = ew;
    this.output = output;
    this.colMax = softmaxColumns.colMax;
    this.colSum = softmaxColumns.colSum;
    this.colArg = softmaxColumns.colArg;
    this.colArgY = softmaxColumns.colArgY;
  }

  /** Forward: Z = Z + b (per row), A = g(Z), one pass over (rows, c). */
  biasActivate(z: number, a: number, b: number, rows: number, c: number, act: number): void {
    if (this.ew && (act === SIGMOID || act === TANH)) {
      this.ew.biasAct(z, a, b, rows, c, act === SIGMOID ? 0 : 1);
      return;
    }
    const h = this.h;
    for (let i = 0; i < rows; i++) {
      const bi = h[b + i],
        rz = z + i * c,
        ra = a + i * c;
      switch (act) {
        case SIGMOID:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = sigmoid(v);
          }
          break;
        case TANH:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = tanh(v);
          }
          break;
        case RELU:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = relu(v);
          }
          break;
        case LEAKY_RELU:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = leakyRelu(v);
          }
          break;
        case LINEAR:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = linear(v);
          }
          break;
        default:
          throw new Error(`Unknown activation code ${act}.`);
      }
    }
  }

  /** Backward: dZ = dA * g'(Z), g' written from A; with dropout dZ = dA * D/keep * g'(A*keep/D). */
  activationBackward(dz: number, a: number, d: number, len: number, act: number, keep: number) {
    if (d >= 0) {
      this.dropoutBackward(dz, a, d, len, act, keep);
      return;
    }
    const h = this.h;
    switch (act) {
      case SIGMOID:
        for (let i = 0; i < len; i++) h[dz + i] *= sigmoidGrad(h[a + i]);
        break;
      case TANH:
        for (let i = 0; i < len; i++) h[dz + i] *= tanhGrad(h[a + i]);
        break;
      // (relu and leaky relu: g' = 1 where a > 0, so only the other entries are written)
      case RELU:
        for (let i = 0; i < len; i++) {
          const g = reluGrad(h[a + i]);
          if (g !== 1) h[dz + i] *= g;
        }
        break;
      case LEAKY_RELU:
        for (let i = 0; i < len; i++) {
          const g = leakyReluGrad(h[a + i]);
          if (g !== 1) h[dz + i] *= g;
        }
        break;
      case LINEAR:
        break; // g' = 1
      default:
        throw new Error(`Unknown activation code ${act}.`);
    }
  }

  /** Inverted dropout forward: D = (u < keep), A = A * D / keep. */
  dropout(rng: Rng, a: number, d: number, len: number, keep: number): void {
    const h = this.h,
      inv = 1 / keep;
    for (let i = 0; i < len; i++) {
      if (rng.uniform() < keep) {
        h[d + i] = 1;
        h[a + i] *= inv;
      } else {
        h[d + i] = 0;
        h[a + i] = 0;
      }
    }
  }
  /** Inverted dropout backward with the derivative: dZ = dA * D / keep * g'(A * keep), 0 where D = 0. */
  private dropoutBackward(
    dz: number,
    a: number,
    d: number,
    len: number,
    act: number,
    keep: number,
  ) {
    const h = this.h;
    switch (act) {
      case SIGMOID:
        for (let i = 0; i < len; i++)
          h[dz + i] = h[d + i] === 0 ? 0 : (h[dz + i] / keep) * sigmoidGrad(h[a + i] * keep);
        break;
      case TANH:
        for (let i = 0; i < len; i++)
          h[dz + i] = h[d + i] === 0 ? 0 : (h[dz + i] / keep) * tanhGrad(h[a + i] * keep);
        break;
      case RELU:
        for (let i = 0; i < len; i++)
          h[dz + i] = h[d + i] === 0 ? 0 : (h[dz + i] / keep) * reluGrad(h[a + i] * keep);
        break;
      case LEAKY_RELU:
        for (let i = 0; i < len; i++)
          h[dz + i] = h[d + i] === 0 ? 0 : (h[dz + i] / keep) * leakyReluGrad(h[a + i] * keep);
        break;
      case LINEAR:
        for (let i = 0; i < len; i++) h[dz + i] = h[d + i] === 0 ? 0 : h[dz + i] / keep;
        break;
      default:
        throw new Error(`Unknown activation code ${act}.`);
    }
  }

  /** Output layer in one pass: Z += b, A = output(Z), the loss from the logits, the correct count and
   *  (dz >= 0) dZ[L] = A - Y. a < 0: A is not stored. Results in loss / correct / sq. */
  outputPass(z: number, b: number, y: number, rows: number, c: number, a: number, dz: number) {
    if (this.output === 'softmax') this.softmaxPass(z, b, y, rows, c, a, dz);
    else if (this.output === 'sigmoid') this.sigmoidPass(z, b, y, rows, c, a, dz);
    else this.linearPass(z, b, y, rows, c, a, dz);
  }

  /** Sigmoid + binary cross-entropy from the logit, one exponential e = e^-|z|: L = bce(z, y), a = sigmoid(z). */
  private sigmoidPass(
    z: number,
    b: number,
    y: number,
    rows: number,
    c: number,
    a: number,
    dz: number,
  ) {
    const h = this.h;
    let loss = 0,
      correct = 0;
    for (let i = 0; i < rows; i++) {
      const bi = h[b + i],
        rz = z + i * c,
        ry = y + i * c;
      for (let j = 0; j < c; j++) {
        const v = h[rz + j] + bi;
        h[rz + j] = v;
        const yv = h[ry + j];
        const e = Math.exp(-Math.abs(v));
        loss += bceOf(v, yv, e);
        const av = sigmoidOf(v, e);
        if (v >= 0 === yv >= 0.5) correct++;
        if (a >= 0) h[a + i * c + j] = av;
        if (dz >= 0) h[dz + i * c + j] = av - yv;
      }
    }
    this.loss = loss;
    this.correct = correct;
    this.sq = 0;
  }

  /** Linear + MSE with the 1/2 convention: L = 1/2 (a - y)^2, dZ = a - y. */
  private linearPass(
    z: number,
    b: number,
    y: number,
    rows: number,
    c: number,
    a: number,
    dz: number,
  ) {
    const h = this.h;
    let loss = 0,
      sq = 0;
    for (let i = 0; i < rows; i++) {
      const bi = h[b + i],
        rz = z + i * c,
        ry = y + i * c;
      for (let j = 0; j < c; j++) {
        const v = h[rz + j] + bi;
        h[rz + j] = v;
        const d = v - h[ry + j];
        loss += halfSquaredError(v, h[ry + j]);
        sq += d * d;
        if (a >= 0) h[a + i * c + j] = v;
        if (dz >= 0) h[dz + i * c + j] = d;
      }
    }
    this.loss = loss;
    this.correct = 0;
    this.sq = sq;
  }

  /** Softmax per column + categorical cross-entropy with log-softmax:
   *  loss = -sum y log softmax(z), log softmax(z) = z - max - log sum e^(z - max). */
  private softmaxPass(
    z: number,
    b: number,
    y: number,
    rows: number,
    c: number,
    a: number,
    dz: number,
  ) {
    const h = this.h,
      cm = this.colMax,
      cs = this.colSum,
      ca = this.colArg,
      cy = this.colArgY;
    let loss = 0,
      correct = 0;
    for (let j = 0; j < c; j++) {
      h[cm + j] = -Infinity;
      h[cs + j] = 0;
      h[ca + j] = 0;
      h[cy + j] = -1;
    }
    for (let i = 0; i < rows; i++) {
      const bi = h[b + i],
        rz = z + i * c,
        ry = y + i * c;
      for (let j = 0; j < c; j++) {
        const v = h[rz + j] + bi;
        h[rz + j] = v;
        if (v > h[cm + j]) {
          h[cm + j] = v;
          h[ca + j] = i;
        }
        if (h[ry + j] > 0.5 && h[cy + j] < 0) h[cy + j] = i;
      }
    }
    // e = e^(z - max) kept in A (when A is stored), summed per column
    for (let i = 0; i < rows; i++) {
      const rz = z + i * c,
        ra = a + i * c;
      if (a >= 0)
        for (let j = 0; j < c; j++) {
          const e = Math.exp(h[rz + j] - h[cm + j]);
          h[ra + j] = e;
          h[cs + j] += e;
        }
      else for (let j = 0; j < c; j++) h[cs + j] += Math.exp(h[rz + j] - h[cm + j]);
    }
    for (let j = 0; j < c; j++) if (h[ca + j] === h[cy + j]) correct++;
    for (let i = 0; i < rows; i++) {
      const rz = z + i * c,
        ry = y + i * c;
      for (let j = 0; j < c; j++) {
        const yv = h[ry + j];
        if (yv !== 0) loss -= yv * (h[rz + j] - h[cm + j] - Math.log(h[cs + j]));
      }
    }
    if (a >= 0) {
      // A = e / sum; dZ[L] = A[L] - Y
      for (let j = 0; j < c; j++) h[cs + j] = 1 / h[cs + j];
      for (let i = 0; i < rows; i++) {
        const ra = a + i * c,
          ry = y + i * c,
          rd = dz + i * c;
        for (let j = 0; j < c; j++) {
          const av = h[ra + j] * h[cs + j];
          h[ra + j] = av;
          if (dz >= 0) h[rd + j] = av - h[ry + j];
        }
      }
    }
    this.loss = loss;
    this.correct = correct;
    this.sq = 0;
  }

  // ---------------------------------------------------------------- copies

  /** dst[f, j] = src[f, perm[start + j]] for j < c (src is (rows, m)). */
  gather(
    src: number,
    dst: number,
    rows: number,
    m: number,
    perm: Uint32Array,
    start: number,
    c: number,
  ) {
    const h = this.h;
    for (let f = 0; f < rows; f++) {
      const s = src + f * m,
        d = dst + f * c;
      for (let j = 0; j < c; j++) h[d + j] = h[s + perm[start + j]];
    }
  }

  /** dst[f, j] = XT[perm[start + j], f]: one contiguous row read per example (XT is (m, rows)). */
  gatherT(src: number, dst: number, rows: number, perm: Uint32Array, start: number, c: number) {
    const h = this.h;
    for (let j = 0; j < c; j++) {
      const s = src + perm[start + j] * rows;
      for (let f = 0, d = dst + j; f < rows; f++, d += c) h[d] = h[s + f];
    }
  }

  /** dst (rows, e) = columns [start, start + e) of src (rows, srcCols). */
  copyColumns(src: number, srcCols: number, start: number, dst: number, rows: number, e: number) {
    for (let f = 0; f < rows; f++)
      this.h.copyWithin(dst + f * e, src + f * srcCols + start, src + f * srcCols + start + e);
  }

  /** dst (rows, e) = transpose of rows [start, start + e) of src (m, rows). */
  copyRowsTransposed(src: number, start: number, dst: number, rows: number, e: number): void {
    const h = this.h;
    for (let j = 0; j < e; j++) {
      const s = src + (start + j) * rows;
      for (let f = 0; f < rows; f++) h[dst + f * e + j] = h[s + f];
    }
  }
}
