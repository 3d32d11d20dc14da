// Picks the fastest single-thread kernels this engine runs on an arena: WebAssembly SIMD (relaxed
// where available) working in place on the shared memory, else the TypeScript reference.
import type { Arena } from '../arena.ts';
import type { Kernels } from './types.ts';
import { createTsKernels } from './ts.ts';
import { createWasmKernels, type WasmMemory } from './wasm.ts';

export type KernelChoice = 'auto' | 'ts';

export function singleThreadKernels(
  arena: Arena,
  choice: KernelChoice = 'auto',
  region = 0,
): Kernels {
  if (choice === 'auto' && arena.memory && arena.shared) {
    const s = arena.layout.buffers[`scratch${region}`];
    if (s) {
      const k = createWasmKernels(arena.memory as unknown as WasmMemory, {
        offset: s.offset,
        bytes: s.rows * s.cols * 4,
      });
      if (k) return k;
    }
  }
  return createTsKernels(arena.heap);
}
