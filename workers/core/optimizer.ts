// The optimizer step over the contiguous parameter block (W1 b1 W2 b2 ...; the gradients, v and s
// have the same layout), one loop for all layers, and its state: momentum's v, Adam's v, s and t.
import { ADAM_EPSILON, type TrainConfig } from './types.ts';
import type { PackedResumeState } from './packed.ts';
import type { Elementwise } from './elementwise.ts';

/** The optimizer's part of a ResumeState. */
export type OptimizerState = Pick<PackedResumeState, 'v' | 's' | 't'>;

export class Optimizer {
  /** Adam's step count. */
  t = 0;
  private readonly h: Float32Array;
  private readonly config: TrainConfig;
  private readonly P: number;
  private readonly p: number;
  private readonly g: number;
  private readonly v: number;
  private readonly s: number;

  /** Offsets (float32 elements into heap) of the parameters, gradients, v and s (-1: not planned). */
  constructor(
    heap: Float32Array,
    config: TrainConfig,
    count: number,
    at: { params: number; grads: number; v: number; s: number },
    /** The WebAssembly SIMD steps (the same bits, faster); null: the loops below. */
    private readonly ew: Elementwise | null = null,
  ) {
    this.h = heap;
    this.config = config;
    this.P = count;
    this.p = at.params;
    this.g = at.grads;
    this.v = at.v;
    this.s = at.s;
  }

  reset(): void {
    if (this.v >= 0) this.h.fill(0, this.v, this.v + this.P);
    if (this.s >= 0) this.h.fill(0, this.s, this.s + this.P);
    this.t = 0;
  }

  /** theta = theta - alpha * step, over the whole parameter block. */
  step(): void {
    const h = this.h,
      P = this.P,
      p = this.p,
      g = this.g;
    const lr = this.config.learningRate;
    const ew = this.ew;
    switch (this.config.optimizer) {
      case 'gd':
      case 'sgd':
        // W = W - alpha dW; b = b - alpha db
        if (ew) ew.sgd(p, g, P, lr);
        else for (let i = 0; i < P; i++) h[p + i] -= lr * h[g + i];
        break;
      case 'momentum': {
        // v = beta v + (1 - beta) dW; W = W - alpha v
        const b1 = this.config.beta1,
          v = this.v;
        if (ew) {
          ew.momentum(p, g, v, P, lr, b1);
          break;
        }
        for (let i = 0; i < P; i++) {
          const vi = b1 * h[v + i] + (1 - b1) * h[g + i];
          h[v + i] = vi;
          h[p + i] -= lr * vi;
        }
        break;
      }
      case 'adam': {
        // v = b1 v + (1-b1) dW; s = b2 s + (1-b2) dW^2; W = W - alpha v_hat / (sqrt(s_hat) + eps)
        this.t++;
        const b1 = this.config.beta1,
          b2 = this.config.beta2,
          v = this.v,
          s = this.s;
        const c1 = 1 / (1 - Math.pow(b1, this.t)),
          c2 = 1 / (1 - Math.pow(b2, this.t));
        if (ew) {
          ew.adam(p, g, v, s, P, lr, b1, b2, c1, c2, ADAM_EPSILON);
          break;
        }
        for (let i = 0; i < P; i++) {
          const gi = h[g + i];
          const vi = b1 * h[v + i] + (1 - b1) * gi;
          const si = b2 * h[s + i] + (1 - b2) * gi * gi;
          h[v + i] = vi;
          h[s + i] = si;
          h[p + i] -= (lr * vi * c1) / (Math.sqrt(si * c2) + ADAM_EPSILON);
        }
        break;
      }
    }
  }

  /** A packed copy of the state (float32 values are exact in float64). */
  state(): { v: Float64Array; s: Float64Array; t: number } {
    const block = (o: number) =>
      o >= 0 ? new Float64Array(this.h.subarray(o, o + this.P)) : new Float64Array(0);
    return { v: block(this.v), s: block(this.s), t: this.t };
  }

  /** Restores a state taken with state() from a run of the same network and optimizer. */
  restore(st: OptimizerState): void {
    if (this.v >= 0) this.h.set(st.v, this.v);
    if (this.s >= 0) this.h.set(st.s, this.s);
    this.t = st.t;
  }
}
