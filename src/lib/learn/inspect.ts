// "Inspect a layer": the matrices of one layer for the current mini-batch, and the numbers of one
// example. The shape follows the trainer's inspect() (workers/trainer/README.md); a sandbox built on
// the library API produces the same shape when no training session is prepared.
import type {
  Activation,
  Init,
  NetworkSpec,
  OutputActivation,
  SerializedNetwork,
  Task,
} from '../../../workers/core/types.ts';
import {
  createNetwork,
  forwardBackward,
  gdStep,
  serialize,
  type Network,
} from '../../../workers/core/network.ts';
import { createRng, type Rng } from '../../../workers/core/rng.ts';
import { columns, type LabSplit } from './labs.ts';

type Values = Float32Array | Float64Array;

export interface InspectedLayer {
  layer: number;
  /** n_l */
  rows: number;
  /** n_{l-1} */
  cols: number;
  /** The activation's name ('tanh', 'relu', ..., 'softmax'). */
  activation: Activation | OutputActivation | string;
  W: Values;
  b: Values;
  /** rows x m */
  Z: Values;
  A: Values;
  dZ: Values;
  /** rows x cols */
  dW: Values;
  db: Values;
  /** Dropout mask D[l] (rows x m) of this batch, when the layer uses dropout. */
  D?: Values | null;
}

export interface Inspection {
  epoch: number;
  step: number;
  m: number;
  layers: InspectedLayer[];
  /** (n_x, m) */
  X: Values;
  /** (n_y, m) */
  Y: Values;
}

export type MatrixName = 'W' | 'b' | 'Z' | 'A' | 'dZ' | 'dW' | 'db';
export const MATRIX_NAMES: readonly MatrixName[] = ['W', 'b', 'Z', 'A', 'dZ', 'dW', 'db'];

/** Shape of a matrix of layer l, in the notes' terms. */
export function matrixShape(
  layer: InspectedLayer,
  name: MatrixName,
  m: number,
): { rows: number; cols: number } {
  switch (name) {
    case 'W':
    case 'dW':
      return { rows: layer.rows, cols: layer.cols };
    case 'b':
    case 'db':
      return { rows: layer.rows, cols: 1 };
    default:
      return { rows: layer.rows, cols: m };
  }
}

export function matrixOf(layer: InspectedLayer, name: MatrixName): Values {
  return layer[name];
}

/** Column j of a (rows, m) matrix: the numbers of one example. */
export function exampleColumn(
  values: ArrayLike<number>,
  rows: number,
  m: number,
  j: number,
): number[] {
  if (j < 0 || j >= m)
    throw new Error(`Example ${j + 1} does not exist: this batch has ${m} examples.`);
  return Array.from({ length: rows }, (_, r) => values[r * m + j]);
}

export interface ValueSummary {
  min: number;
  max: number;
  mean: number;
  /** Mean of |v|. */
  meanAbs: number;
}

export function summarize(values: ArrayLike<number>): ValueSummary {
  let min = Infinity;
  let max = -Infinity;
  let s = 0;
  let sa = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    s += v;
    sa += Math.abs(v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return n === 0
    ? { min: NaN, max: NaN, mean: NaN, meanAbs: NaN }
    : { min, max, mean: s / n, meanAbs: sa / n };
}

/** Formats one matrix entry for the example table. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(3) : v.toFixed(4);
}

export interface SandboxOptions {
  spec: NetworkSpec;
  task: Task;
  init: Init;
  seed: number;
  batchSize: number;
  learningRate: number;
  lambda: number;
}

/** A small stand-in for the training session: the library API stepping mini-batch gradient descent
 *  over the training split, exposing each batch's caches and gradients. */
export class InspectSandbox {
  readonly #net: Network;
  readonly #rng: Rng;
  readonly #data: LabSplit;
  readonly #o: SandboxOptions;
  readonly #order: number[];
  #epoch = 0;
  #step = 0;

  constructor(data: LabSplit, o: SandboxOptions) {
    if (data.m < 1)
      throw new Error(
        'The training split is empty: prepare the data with some training examples first.',
      );
    this.#net = createNetwork(o.spec, { init: o.init, seed: o.seed });
    this.#rng = createRng((o.seed ^ 0x1a5bec7) >>> 0);
    this.#data = data;
    this.#o = o;
    this.#order = Array.from({ length: data.m }, (_, i) => i);
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.#data.m / Math.max(1, Math.min(this.#o.batchSize, this.#data.m)));
  }

  /** The current mini-batch's forward and backward pass (parameters unchanged). */
  inspect(): Inspection {
    const { spec } = this.#o;
    const bs = Math.max(1, Math.min(this.#o.batchSize, this.#data.m));
    const idx = this.#order.slice(this.#step * bs, Math.min(this.#data.m, (this.#step + 1) * bs));
    const m = idx.length;
    const X = columns(this.#data.x, spec.inputs, this.#data.m, idx);
    const Y = columns(this.#data.y, spec.outputs, this.#data.m, idx);
    const r = forwardBackward(
      this.#net,
      { rows: spec.inputs, cols: m, data: X },
      { rows: spec.outputs, cols: m, data: Y },
      { lambda: this.#o.lambda, rng: this.#rng },
    );
    const L = this.#net.W.length - 1;
    const layers: InspectedLayer[] = [];
    for (let l = 1; l <= L; l++) {
      // The library's dZ is the notes' dZ (dW = 1/m dZ A^T).
      layers.push({
        layer: l,
        rows: this.#net.W[l].rows,
        cols: this.#net.W[l].cols,
        activation: l === L ? spec.output : spec.hidden[l - 1].activation,
        W: this.#net.W[l].data.slice(),
        b: this.#net.b[l].data.slice(),
        Z: r.Z[l].data,
        A: r.A[l].data,
        dZ: r.dZ[l].data,
        dW: r.dW[l].data,
        db: r.db[l].data,
        D: r.D[l]?.data ?? null,
      });
    }
    this.#last = r;
    return { epoch: this.#epoch, step: this.#step, m, layers, X, Y };
  }

  #last: ReturnType<typeof forwardBackward> | null = null;

  /** The current parameters as plain data. */
  network(): SerializedNetwork {
    return serialize(this.#net);
  }

  /** One gradient-descent step on the current batch, then moves to the next batch and inspects it. */
  step(): Inspection {
    if (!this.#last) this.inspect();
    if (this.#last) gdStep(this.#net, this.#last, this.#o.learningRate);
    this.#step++;
    if (this.#step >= this.batchesPerEpoch) {
      this.#step = 0;
      this.#epoch++;
      this.#rng.shuffle(this.#order);
    }
    return this.inspect();
  }
}
