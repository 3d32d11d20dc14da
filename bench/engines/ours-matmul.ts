// Our matrix product alone (n x n, C = A B), one thread or the kernel pool.
import { WASM_SCRATCH_BYTES, createWasmKernels } from '../../workers/core/kernels/wasm.ts';
import { createPooledKernels } from '../../workers/trainer/pool.ts';

export async function createOursMatmul(n: number, threads: number) {
  const PAGE = 65536;
  const dataBytes = Math.ceil((3 * n * n * 4) / PAGE) * PAGE;
  const pages = (dataBytes + threads * WASM_SCRATCH_BYTES) / PAGE;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const heap = new Float32Array(memory.buffer);
  for (let i = 0; i < 2 * n * n; i++) heap[i] = Math.random();
  const scratch = Array.from({ length: threads }, (_, t) => ({ offset: dataBytes + t * WASM_SCRATCH_BYTES, bytes: WASM_SCRATCH_BYTES }));
  const pool = threads > 1 ? await createPooledKernels(memory, { helpers: threads - 1, scratch, threshold: 0 }) : null;
  const k = pool ?? createWasmKernels(memory, scratch[0]);
  if (!k) throw new Error('WebAssembly SIMD unavailable');
  const a = 0, b = n * n, c = 2 * n * n;
  return {
    name: k.name,
    run: (reps: number) => {
      for (let r = 0; r < reps; r++) k.gemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n);
    },
    close: async () => pool?.close(),
  };
}
