// The planned trainer's sigmoid / tanh pass in WebAssembly SIMD (elementwise.wat) on the arena: the
// exponentials of a big hidden layer cost as much as a fifth of a training step in plain JavaScript.
// Returns null where SIMD or a shared memory is missing; the trainer then uses its JavaScript pass.
import bytes from './elementwise.wat';
import type { MemoryLike } from './arena.ts';

export interface Elementwise {
  /** Z = Z + b (per row), A = sigmoid(Z) (act 0) or tanh(Z) (act 1); float32 element offsets. */
  biasAct(z: number, a: number, b: number, rows: number, cols: number, act: 0 | 1): void;
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
  };
  const f = ex.bias_act;
  return {
    biasAct: (z, a, b, rows, cols, act) => f(z * 4, a * 4, b * 4, rows, cols, act),
  };
}
