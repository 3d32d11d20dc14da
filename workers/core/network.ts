// The library API: the seed notes' vectorized forward and back propagation in float64, plain and
// readable, for teaching, tests, the gradient check and the maths panels. X is (n_x, m), features x
// examples; W[l] is (n_l, n_{l-1}); b[l] is (n_l, 1). Arrays are indexed by layer l = 0..L (index 0 of
// W, b, Z, dW, db, dZ is an empty 0 x 0 matrix; A[0] is X). The fast path is plan.ts / train.ts.
import {
  GRADCHECK_EPSILON,
  type Init,
  type LayerParams,
  type NetworkSpec,
  type SerializedNetwork,
} from './types.ts';
import { MessageError, msg } from '../messages/index.ts';
import { activate, derivativeFromA, initParams, validateSpec } from './activations.ts';
import {
  EMPTY,
  dataLoss,
  linearForward,
  mapMatrix,
  matrix,
  shape,
  softmaxColumns,
  toMatrix,
  type Matrix,
  type MatrixLike,
} from './matrix.ts';

export { matrix, type Matrix, type MatrixLike };
import { layerSizes } from './types.ts';
import { createRng, type Rng } from './rng.ts';

export interface Network {
  spec: NetworkSpec;
  /** W[l], l = 1..L (W[0] is empty). */
  W: Matrix[];
  /** b[l], l = 1..L, shape (n_l, 1) (b[0] is empty). */
  b: Matrix[];
}

export interface ForwardBackwardOptions {
  /** L2 strength: cost + lambda/(2m) sum W^2, dW + (lambda/m) W. Default 0. */
  lambda?: number;
  /** Keep probability per hidden layer, index l-1 for layer l (default: the spec's keepProb). */
  keepProbs?: number[];
  /** Explicit dropout masks D[l] (n_l, m) of 0/1, indexed by layer l (hidden layers only). */
  masks?: (MatrixLike | null | undefined)[];
  /** Draws masks where keepProb < 1 and none is given (uniform < keepProb). */
  rng?: Rng;
}

export interface Cost {
  /** crossEntropy + l2. */
  total: number;
  /** The data term: mean loss over the m examples (cross-entropy, or 1/2 squared error for MSE). */
  crossEntropy: number;
  /** lambda/(2m) sum_l sum W[l]^2. */
  l2: number;
}

export interface Gradients {
  dW: Matrix[];
  db: Matrix[];
}

export interface ForwardBackwardResult extends Gradients {
  cost: Cost;
  Z: Matrix[];
  A: Matrix[];
  /** dZ[l] = dJ/dZ[l] (times m: the notes' dZ, before the 1/m of dW and db). */
  dZ: Matrix[];
  /** Dropout masks used (null where none). */
  D: (Matrix | null)[];
}

/** Builds a network from a spec and explicit parameters (LayerParams[l-1] for layer l), or initializes
 *  them with an initializer and a seed (default Xavier, seed 1). */
export function createNetwork(
  spec: NetworkSpec,
  params?: LayerParams[] | { init: Init; seed: number },
): Network {
  validateSpec(spec);
  const n = layerSizes(spec);
  const L = n.length - 1;
  const p =
    params === undefined || !Array.isArray(params)
      ? initParams(spec, params?.init ?? 'xavier', createRng(params?.seed ?? 1))
      : params;
  if (p.length !== L)
    throw new Error(`The network has ${L} layers but ${p.length} parameter sets were given.`);
  const W: Matrix[] = [EMPTY()];
  const b: Matrix[] = [EMPTY()];
  for (let l = 1; l <= L; l++) {
    const { W: w, b: bb } = p[l - 1];
    if (w.length !== n[l] * n[l - 1])
      throw new Error(
        `W[${l}] must be ${n[l]} x ${n[l - 1]} (${n[l] * n[l - 1]} values), got ${w.length} values.`,
      );
    if (bb.length !== n[l])
      throw new Error(`b[${l}] must be ${n[l]} x 1, got ${bb.length} values.`);
    W.push(matrix(n[l], n[l - 1], w));
    b.push(matrix(n[l], 1, bb));
  }
  return { spec: structuredCloneSpec(spec), W, b };
}

function structuredCloneSpec(spec: NetworkSpec): NetworkSpec {
  return {
    inputs: spec.inputs,
    outputs: spec.outputs,
    output: spec.output,
    hidden: spec.hidden.map((h) => ({ ...h })),
  };
}

function checkData(net: Network, X: Matrix, Y: Matrix | null): void {
  const { spec } = net;
  if (X.rows !== spec.inputs)
    throw new Error(
      `W[1] is ${shape(net.W[1])} but A[0] (X) is ${shape(X)}: X needs ${spec.inputs} rows (features), one column per example.`,
    );
  if (X.cols < 1) throw new Error('X has no examples (0 columns).');
  if (X.data.length !== X.rows * X.cols)
    throw new Error(`X claims to be ${shape(X)} but holds ${X.data.length} values.`);
  if (Y && (Y.rows !== spec.outputs || Y.cols !== X.cols))
    throw new Error(
      `Y is ${shape(Y)} but A[${spec.hidden.length + 1}] is ${spec.outputs} x ${X.cols}: Y needs one row per output and one column per example.`,
    );
}

/** Forward pass through all layers. Dropout (inverted) on hidden layers only when masks are given. */
function forward(
  net: Network,
  X: Matrix,
  D: (Matrix | null)[],
  keep: number[],
): { Z: Matrix[]; A: Matrix[] } {
  const L = net.W.length - 1;
  const Z: Matrix[] = [EMPTY()];
  const A: Matrix[] = [X];
  for (let l = 1; l <= L; l++) {
    // Z[l] = W[l] A[l-1] + b[l]
    const z = linearForward(net.W[l], net.b[l], A[l - 1], l);
    Z.push(z);
    if (l === L) {
      // A[L] = sigmoid(Z[L]) | softmax(Z[L]) | Z[L]
      A.push(
        net.spec.output === 'softmax'
          ? softmaxColumns(z)
          : mapMatrix(z, (v) => activate(net.spec.output, v)),
      );
    } else {
      // A[l] = g[l](Z[l]); with dropout A[l] = A[l] * D[l] / keep_prob
      const g = net.spec.hidden[l - 1].activation;
      const a = mapMatrix(z, (v) => activate(g, v));
      const d = D[l];
      if (d) for (let i = 0; i < a.data.length; i++) a.data[i] = (a.data[i] * d.data[i]) / keep[l];
      A.push(a);
    }
  }
  return { Z, A };
}

/** Cost, caches and gradients for one batch: the notes' forward and backward propagation. */
export function forwardBackward(
  net: Network,
  Xin: MatrixLike,
  Yin: MatrixLike,
  opts: ForwardBackwardOptions = {},
): ForwardBackwardResult {
  const X = toMatrix(Xin);
  const Y = toMatrix(Yin);
  checkData(net, X, Y);
  const { spec } = net;
  const L = net.W.length - 1;
  const m = X.cols;
  const lambda = opts.lambda ?? 0;
  const keep = [1, ...spec.hidden.map((h, i) => opts.keepProbs?.[i] ?? h.keepProb), 1];
  const D: (Matrix | null)[] = [null];
  for (let l = 1; l < L; l++) {
    const given = opts.masks?.[l];
    if (given) {
      if (given.rows !== net.W[l].rows || given.cols !== m)
        throw new Error(`D[${l}] is ${shape(given)} but A[${l}] is ${net.W[l].rows} x ${m}.`);
      D.push(toMatrix(given));
    } else if (keep[l] < 1) {
      if (!opts.rng)
        throw new Error(`Layer ${l} has keep probability ${keep[l]}: pass masks or an rng.`);
      const d = matrix(net.W[l].rows, m);
      for (let i = 0; i < d.data.length; i++) d.data[i] = opts.rng.uniform() < keep[l] ? 1 : 0; // D = rand < keep_prob
      D.push(d);
    } else D.push(null);
  }
  D.push(null);

  const { Z, A } = forward(net, X, D, keep);

  // J = 1/m sum L(A[L], Y) + lambda/(2m) sum_l ||W[l]||^2
  const crossEntropy = dataLoss(spec, Z[L], A[L], Y);
  let sumW2 = 0;
  for (let l = 1; l <= L; l++) for (const w of net.W[l].data) sumW2 += w * w;
  const l2 = (lambda / (2 * m)) * sumW2;

  const dZ: Matrix[] = new Array<Matrix>(L + 1);
  const dW: Matrix[] = new Array<Matrix>(L + 1);
  const db: Matrix[] = new Array<Matrix>(L + 1);
  dZ[0] = EMPTY();
  dW[0] = EMPTY();
  db[0] = EMPTY();
  // dZ[L] = A[L] - Y (the matched output/loss pairs)
  dZ[L] = matrix(Y.rows, m);
  for (let i = 0; i < Y.data.length; i++) dZ[L].data[i] = A[L].data[i] - Y.data[i];
  for (let l = L; l >= 1; l--) {
    const W = net.W[l];
    const Ap = A[l - 1];
    const dz = dZ[l];
    // dW[l] = 1/m dZ[l] A[l-1]^T + (lambda/m) W[l]
    const dw = matrix(W.rows, W.cols);
    for (let i = 0; i < W.rows; i++)
      for (let k = 0; k < W.cols; k++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += dz.data[i * m + j] * Ap.data[k * m + j];
        dw.data[i * W.cols + k] = s / m + (lambda / m) * W.data[i * W.cols + k];
      }
    dW[l] = dw;
    // db[l] = 1/m sum(dZ[l], axis=1)
    const dbl = matrix(W.rows, 1);
    for (let i = 0; i < W.rows; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += dz.data[i * m + j];
      dbl.data[i] = s / m;
    }
    db[l] = dbl;
    if (l > 1) {
      // dA[l-1] = W[l]^T dZ[l]; dropout: dA = dA * D / keep_prob; dZ[l-1] = dA[l-1] * g'(Z[l-1])
      const g = spec.hidden[l - 2].activation;
      const d = D[l - 1];
      const kp = keep[l - 1];
      const dzp = matrix(W.cols, m);
      for (let k = 0; k < W.cols; k++)
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let i = 0; i < W.rows; i++) s += W.data[i * W.cols + k] * dz.data[i * m + j];
          if (d) s = (s * d.data[k * m + j]) / kp;
          // g' from the undropped activation g(Z[l-1]) (A with dropout divided back)
          const aUndropped = activate(g, Z[l - 1].data[k * m + j]);
          dzp.data[k * m + j] = s * derivativeFromA(g, aUndropped);
        }
      dZ[l - 1] = dzp;
    }
  }
  return { cost: { total: crossEntropy + l2, crossEntropy, l2 }, Z, A, dZ, dW, db, D };
}

/** W[l] = W[l] - alpha dW[l]; b[l] = b[l] - alpha db[l] (in place). */
export function gdStep(net: Network, grads: Gradients, learningRate: number): void {
  for (let l = 1; l < net.W.length; l++) {
    const W = net.W[l],
      b = net.b[l],
      dW = grads.dW[l],
      db = grads.db[l];
    if (dW.rows !== W.rows || dW.cols !== W.cols)
      throw new Error(`dW[${l}] is ${shape(dW)} but W[${l}] is ${shape(W)}.`);
    if (db.rows !== b.rows) throw new Error(`db[${l}] is ${shape(db)} but b[${l}] is ${shape(b)}.`);
    for (let i = 0; i < W.data.length; i++) W.data[i] -= learningRate * dW.data[i];
    for (let i = 0; i < b.data.length; i++) b.data[i] -= learningRate * db.data[i];
  }
}

/** A[L] for X, no dropout. */
export function predict(net: Network, Xin: MatrixLike): Matrix {
  const X = toMatrix(Xin);
  checkData(net, X, null);
  const L = net.W.length - 1;
  return forward(
    net,
    X,
    new Array<Matrix | null>(L + 1).fill(null),
    new Array<number>(L + 1).fill(1),
  ).A[L];
}

export function serialize(net: Network): SerializedNetwork {
  const params: LayerParams[] = [];
  for (let l = 1; l < net.W.length; l++)
    params.push({ W: Array.from(net.W[l].data), b: Array.from(net.b[l].data) });
  return {
    format: 'backprop-lab/network',
    version: 1,
    spec: structuredCloneSpec(net.spec),
    params,
  };
}

export function deserialize(s: SerializedNetwork): Network {
  if (!s || s.format !== 'backprop-lab/network')
    throw new MessageError(msg('trainer.network.notOurs'));
  if (s.version !== 1)
    throw new MessageError(msg('trainer.network.version', { version: String(s.version) }));
  return createNetwork(s.spec, s.params);
}

export interface GradientCheckOptions {
  lambda?: number;
  /** Fixed dropout masks by layer (hidden layers); keep probabilities as in forwardBackward. */
  masks?: (MatrixLike | null | undefined)[];
  keepProbs?: number[];
  /** Central-difference step (default GRADCHECK_EPSILON). */
  epsilon?: number;
  /** Check at most this many parameters per layer (evenly spaced over W[l] then b[l]); default all. */
  maxPerLayer?: number;
  /** Check these gradients instead of the ones backpropagation computes (to prove a wrong one fails). */
  analytic?: Gradients;
}

export interface GradientCheckResult {
  /** Per layer: ||g - g_approx|| / (||g|| + ||g_approx||) over W[l] and b[l] together. */
  perLayer: { layer: number; relativeDifference: number }[];
  overall: number;
}

/** Float64 gradient check by central differences: dtheta_approx = (J(theta+eps) - J(theta-eps)) / 2 eps. */
export function gradientCheck(
  spec: NetworkSpec,
  params: LayerParams[],
  X: MatrixLike,
  Y: MatrixLike,
  opts: GradientCheckOptions = {},
): GradientCheckResult {
  const net = createNetwork(spec, params);
  const eps = opts.epsilon ?? GRADCHECK_EPSILON;
  const fbOpts: ForwardBackwardOptions = {
    lambda: opts.lambda ?? 0,
    masks: opts.masks,
    keepProbs: opts.keepProbs,
  };
  // Masks must be fixed for the check to make sense: refuse to draw random ones.
  const L = net.W.length - 1;
  for (let l = 1; l < L; l++) {
    const kp = opts.keepProbs?.[l - 1] ?? spec.hidden[l - 1].keepProb;
    if (kp < 1 && !opts.masks?.[l])
      throw new Error(
        `Layer ${l} uses dropout: the gradient check needs fixed masks (masks[${l}]).`,
      );
  }
  const grads = opts.analytic ?? forwardBackward(net, X, Y, fbOpts);
  const J = () => forwardBackward(net, X, Y, fbOpts).cost.total;
  let allNum = 0,
    allG = 0,
    allA = 0;
  const perLayer: GradientCheckResult['perLayer'] = [];
  for (let l = 1; l <= L; l++) {
    let num = 0,
      ng = 0,
      na = 0;
    const total = net.W[l].data.length + net.b[l].data.length;
    const stride = opts.maxPerLayer && total > opts.maxPerLayer ? total / opts.maxPerLayer : 1;
    let next = 0,
      flat = 0;
    for (const [theta, g] of [
      [net.W[l], grads.dW[l]],
      [net.b[l], grads.db[l]],
    ] as const) {
      for (let i = 0; i < theta.data.length; i++, flat++) {
        if (flat < Math.floor(next)) continue;
        next += stride;
        const keepV = theta.data[i];
        theta.data[i] = keepV + eps;
        const jp = J();
        theta.data[i] = keepV - eps;
        const jm = J();
        theta.data[i] = keepV;
        const approx = (jp - jm) / (2 * eps);
        const d = g.data[i] - approx;
        num += d * d;
        ng += g.data[i] * g.data[i];
        na += approx * approx;
      }
    }
    perLayer.push({ layer: l, relativeDifference: relDiff(num, ng, na) });
    allNum += num;
    allG += ng;
    allA += na;
  }
  return { perLayer, overall: relDiff(allNum, allG, allA) };
}

function relDiff(diff2: number, g2: number, a2: number): number {
  const den = Math.sqrt(g2) + Math.sqrt(a2);
  return den === 0 ? 0 : Math.sqrt(diff2) / den;
}
