// The inspection sandbox: when no training session is prepared, "Inspect a layer" steps this small
// stand-in for it (the library API, mini-batch gradient descent over the training split). Each batch
// gives the same shape as the trainer's inspect() (workers/trainer/README.md).
import type { SerializedNetwork } from '../core/types.ts';
import {
  createNetwork,
  forwardBackward,
  gdStep,
  serialize,
  type ForwardBackwardResult,
  type Network,
} from '../core/network.ts';
import { createRng, type Rng } from '../core/rng.ts';
import { columns } from './labs.ts';
import { MessageError, msg } from '../messages/index.ts';
import type { InspectedLayer, Inspection, LabSplit, SandboxOptions } from './types.ts';

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
    if (data.m < 1) throw new MessageError(msg('labs.emptyTrain'));
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

  #last: ForwardBackwardResult | null = null;

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
