// Activations and losses, one scalar formula each. The library (network.ts, float64) and the planned
// trainer (train.ts, float32) both use these definitions, so the two paths compute the same maths.
import {
  ACTIVATIONS,
  LEAKY_RELU_SLOPE,
  OUTPUT_ACTIVATIONS,
  RANDOM_INIT_SCALE,
  layerSizes,
  outputFor,
  specFor,
} from './types.ts';
import type {
  Activation,
  Init,
  Loss,
  NetworkSpec,
  OutputActivation,
  LayerParams,
} from './types.ts';

export { layerSizes, outputFor, specFor };
import type { Rng } from './rng.ts';

/** sigmoid(z) = 1 / (1 + e^-z), written so exp never overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** a = g(z) for a hidden activation (and sigmoid/linear outputs). */
export function activate(g: Activation | OutputActivation, z: number): number {
  switch (g) {
    case 'sigmoid':
      return sigmoid(z);
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return z > 0 ? z : 0;
    case 'leaky_relu':
      return z > 0 ? z : LEAKY_RELU_SLOPE * z;
    case 'linear':
      return z;
    case 'softmax':
      throw new Error('softmax is applied per column, not per value');
  }
}

/** g'(z) written with a = g(z) (what the caches hold): sigmoid a(1-a), tanh 1-a^2, relu [a>0], leaky [a>0] or the slope. */
export function derivativeFromA(g: Activation, a: number): number {
  switch (g) {
    case 'sigmoid':
      return a * (1 - a);
    case 'tanh':
      return 1 - a * a;
    case 'relu':
      return a > 0 ? 1 : 0;
    case 'leaky_relu':
      return a > 0 ? 1 : LEAKY_RELU_SLOPE;
    case 'linear':
      return 1;
  }
}

/** The loss that goes with an output activation: the pairs for which dZ[L] = A[L] - Y. */
export function lossFor(output: OutputActivation): Loss {
  return output === 'sigmoid'
    ? 'binary_cross_entropy'
    : output === 'softmax'
      ? 'categorical_cross_entropy'
      : 'mse';
}

/** Binary cross-entropy from the logit z: -(y log s(z) + (1-y) log(1-s(z))) = max(z,0) - z y + log(1 + e^-|z|). */
export function bceWithLogits(z: number, y: number): number {
  return (z > 0 ? z : 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Mean squared error convention: L = 1/2 sum_k (a_k - y_k)^2 per example, so dZ[L] = A - Y exactly. */
export function halfSquaredError(a: number, y: number): number {
  const d = a - y;
  return 0.5 * d * d;
}

/** Scale of the initial weights of layer l: zeros 0, random RANDOM_INIT_SCALE, Xavier sqrt(1/n_prev), He sqrt(2/n_prev). */
export function initScale(init: Init, nPrev: number): number {
  switch (init) {
    case 'zeros':
      return 0;
    case 'random':
      return RANDOM_INIT_SCALE;
    case 'xavier':
      return Math.sqrt(1 / nPrev);
    case 'he':
      return Math.sqrt(2 / nPrev);
  }
}

/** W[l] = gaussian * scale (row-major, row by row), b[l] = 0. Zeros draws nothing from the generator.
 *  Both the library and the planned trainer initialize through this, in this order. */
export function initParams(spec: NetworkSpec, init: Init, rng: Rng): LayerParams[] {
  const n = layerSizes(spec);
  const out: LayerParams[] = [];
  for (let l = 1; l < n.length; l++) {
    const scale = initScale(init, n[l - 1]);
    const W = new Array<number>(n[l] * n[l - 1]);
    for (let i = 0; i < W.length; i++) W[i] = init === 'zeros' ? 0 : rng.gaussian() * scale;
    out.push({ W, b: new Array<number>(n[l]).fill(0) });
  }
  return out;
}

/** Throws a clear message when a spec cannot be built. */
export function validateSpec(spec: NetworkSpec): void {
  const bad = (what: string) => {
    throw new Error(`Invalid network: ${what}.`);
  };
  if (!Number.isInteger(spec.inputs) || spec.inputs < 1)
    bad(`inputs must be a whole number >= 1 (got ${spec.inputs})`);
  if (!Number.isInteger(spec.outputs) || spec.outputs < 1)
    bad(`outputs must be a whole number >= 1 (got ${spec.outputs})`);
  if (spec.output === 'softmax' && spec.outputs < 2) bad('a softmax output needs at least 2 units');
  spec.hidden.forEach((h, i) => {
    if (!Number.isInteger(h.units) || h.units < 1)
      bad(`hidden layer ${i + 1} needs a whole number of units >= 1 (got ${h.units})`);
    if (!(h.keepProb > 0 && h.keepProb <= 1))
      bad(`hidden layer ${i + 1} keep probability must be in (0, 1] (got ${h.keepProb})`);
    if (!(ACTIVATIONS as readonly string[]).includes(h.activation))
      bad(`hidden layer ${i + 1} has an unknown activation "${String(h.activation)}"`);
  });
  if (!(OUTPUT_ACTIVATIONS as readonly string[]).includes(spec.output))
    bad(`unknown output activation "${String(spec.output)}"`);
}
