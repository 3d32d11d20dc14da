// Activations and losses, one scalar formula each. The library (network.ts, float64) and the planned
// trainer's fused passes (passes.ts, float32) both call these definitions, so the two paths compute
// the same maths.
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

// ---------------------------------------------------------------- the activation table
// One definition per hidden activation: a = g(z) beside g'(z) written from a = g(z) (what the caches
// hold). The library (network.ts, float64) calls them through activate / derivativeFromA; the fused
// float32 passes of the trainer (passes.ts) call them directly inside their loops, one loop per
// activation (monomorphic call sites, inlined by the JIT), switching on the codes in ACT.

/** sigmoid: a = 1 / (1 + e^-z), written so exp never overflows. */
export function sigmoid(z: number): number {
  return sigmoidOf(z, Math.exp(-Math.abs(z)));
}
/** sigmoid': g'(z) = a (1 - a). */
export function sigmoidGrad(a: number): number {
  return a * (1 - a);
}

/** tanh: a = tanh(z). */
export function tanh(z: number): number {
  return Math.tanh(z);
}
/** tanh': g'(z) = 1 - a^2. */
export function tanhGrad(a: number): number {
  return 1 - a * a;
}

/** relu: a = max(z, 0). */
export function relu(z: number): number {
  return z > 0 ? z : 0;
}
/** relu': g'(z) = [a > 0]. */
export function reluGrad(a: number): number {
  return a > 0 ? 1 : 0;
}

/** leaky relu: a = z for z > 0, LEAKY_RELU_SLOPE z otherwise. */
export function leakyRelu(z: number): number {
  return z > 0 ? z : LEAKY_RELU_SLOPE * z;
}
/** leaky relu': g'(z) = 1 for a > 0, LEAKY_RELU_SLOPE otherwise. */
export function leakyReluGrad(a: number): number {
  return a > 0 ? 1 : LEAKY_RELU_SLOPE;
}

/** linear: a = z. */
export function linear(z: number): number {
  return z;
}
/** linear': g'(z) = 1. */
export function linearGrad(_a: number): number {
  return 1;
}

/** Numeric code of each hidden activation: its index in ACTIVATIONS (what the fused passes switch on). */
export const ACT = Object.freeze(
  Object.fromEntries(ACTIVATIONS.map((g, i) => [g, i])) as Record<Activation, number>,
);

/** a = g(z) for a hidden activation (and sigmoid/linear outputs). */
export function activate(g: Activation | OutputActivation, z: number): number {
  switch (g) {
    case 'sigmoid':
      return sigmoid(z);
    case 'tanh':
      return tanh(z);
    case 'relu':
      return relu(z);
    case 'leaky_relu':
      return leakyRelu(z);
    case 'linear':
      return linear(z);
    case 'softmax':
      throw new Error('softmax is applied per column, not per value');
  }
}

/** g'(z) written with a = g(z) (what the caches hold). */
export function derivativeFromA(g: Activation, a: number): number {
  switch (g) {
    case 'sigmoid':
      return sigmoidGrad(a);
    case 'tanh':
      return tanhGrad(a);
    case 'relu':
      return reluGrad(a);
    case 'leaky_relu':
      return leakyReluGrad(a);
    case 'linear':
      return linearGrad(a);
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
  return bceOf(z, y, Math.exp(-Math.abs(z)));
}

// The sigmoid output and its loss share one exponential, e = e^-|z| (the output pass computes it once).
/** sigmoid(z) from e = e^-|z|: 1 / (1 + e) for z >= 0, e / (1 + e) otherwise. */
export function sigmoidOf(z: number, e: number): number {
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}
/** Binary cross-entropy from the logit z and e = e^-|z|: max(z, 0) - z y + log(1 + e). */
export function bceOf(z: number, y: number, e: number): number {
  return (z > 0 ? z : 0) - z * y + Math.log1p(e);
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
