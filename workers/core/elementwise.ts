// The planned trainer's sigmoid / tanh pass and its optimizer steps in WebAssembly SIMD
// (elementwise.wat) on the arena: the exponentials of a big hidden layer cost as much as a fifth of a
// training step in plain JavaScript, the optimizer's loop over every parameter a tenth. The steps
// compute in float64 operation for operation as optimizer.ts does, so both give the same bits.
// Returns null where SIMD or a shared memory is missing; the trainer then uses its JavaScript passes.
import bytes from './elementwise.wat';
import type { MemoryLike } from './arena.ts';

export interface Elementwise {
  /** Z = Z + b (per row), A = sigmoid(Z) (act 0) or tanh(Z) (act 1); float32 element offsets. */
  biasAct(z: number, a: number, b: number, rows: number, cols: number, act: 0 | 1): void;
  /** The optimizer steps over n parameters (optimizer.ts: the same arithmetic); element offsets. */
  sgd(p: number, g: number, n: number, lr: number): void;
  momentum(p: number, g: number, v: number, n: number, lr: number, b1: number): void;
  adam(
    p: number,
    g: number,
    v: number,
    s: number,
    n: number,
    lr: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    eps: number,
  ): void;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: unknown };
}

let compiled: object | null | undefined;

export function createElementwise(memory: MemoryLike | null): Elementwise | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (
    !api ||
    !memory ||
    typeof SharedArrayBuffer === 'undefined' ||
    !(memory.buffer instanceof SharedArrayBuffer)
  )
    return null;
  if (compiled === undefined) {
    try {
      compiled = api.validate(bytes) ? new api.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  if (!compiled) return null;
  const ex = new api.Instance(compiled, { env: { memory } }).exports as {
    bias_act(z: number, a: number, b: number, rows: number, cols: number, act: number): void;
    sgd(p: number, g: number, n: number, lr: number): void;
    momentum(
      p: number,
      g: number,
      v: number,
      n: number,
      lr: number,
      b1: number,
      omb1: number,
    ): void;
    /** p, g, v, s (bytes), n, lr, b1, 1 - b1, b2, 1 - b2, c1, c2, eps */
    adam(...args: number[]): void;
  };
  const f = ex.bias_act;
  return {
    biasAct: (z, a, b, rows, cols, act) => f(z * 4, a * 4, b * 4, rows, cols, act),
    sgd: (p, g, n, lr) => ex.sgd(p * 4, g * 4, n, lr),
    // (1 - beta) is computed here in float64, as the JavaScript step computes it.
    momentum: (p, g, v, n, lr, b1) => ex.momentum(p * 4, g * 4, v * 4, n, lr, b1, 1 - b1),
    adam: (p, g, v, s, n, lr, b1, b2, c1, c2, eps) =>
      ex.adam(p * 4, g * 4, v * 4, s * 4, n, lr, b1, 1 - b1, b2, 1 - b2, c1, c2, eps),
  };
}
