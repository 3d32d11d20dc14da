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
  const scratch = Array.from({ length: threads }, (_, t) => ({
    offset: dataBytes + t * WASM_SCRATCH_BYTES,
    bytes: WASM_SCRATCH_BYTES,
  }));
  const pool =
    threads > 1
      ? await createPooledKernels(memory, {
          helpers: threads - 1,
          scratch,
          threshold: 0,
        })
      : null;
  const k = pool ?? createWasmKernels(memory, scratch[0]);
  if (!k) throw new Error('WebAssembly SIMD unavailable');
  const a = 0,
    b = n * n,
    c = 2 * n * n;
  return {
    name: k.name,
    run: (reps: number) => {
      for (let r = 0; r < reps; r++) k.gemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n);
    },
    close: async () => pool?.close(),
  };
}

export interface CrossoverPoint {
  n: number;
  flops: number;
  single: number;
  pooled: number;
}

/** Square products of growing size, one thread against the pool (best of 3 interleaved rounds of
 * at least `ms` each): where the pool starts to pay, the trainer's threshold belongs. */
export async function measureCrossover(
  ms: number,
): Promise<{ points: CrossoverPoint[]; threshold: number }> {
  const sizes = [16, 24, 32, 48, 64, 96, 128, 192, 256];
  const points: CrossoverPoint[] = [];
  const PAGE = 65536;
  const nMax = sizes[sizes.length - 1];
  const dataBytes = Math.ceil((3 * nMax * nMax * 4) / PAGE) * PAGE;
  const pages = (dataBytes + 2 * WASM_SCRATCH_BYTES) / PAGE;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const heap = new Float32Array(memory.buffer);
  for (let i = 0; i < 3 * nMax * nMax; i++) heap[i] = Math.random();
  const scratch = [0, 1].map((t) => ({
    offset: dataBytes + t * WASM_SCRATCH_BYTES,
    bytes: WASM_SCRATCH_BYTES,
  }));
  const pool = await createPooledKernels(memory, {
    helpers: 1,
    scratch,
    threshold: 0,
  });
  if (!pool) throw new Error('kernel pool unavailable');
  const single = pool.single;
  const rate = (k: { gemm: typeof single.gemm }, n: number) => {
    const a = 0,
      b = n * n,
      c = 2 * n * n;
    let reps = 0;
    const t0 = performance.now();
    let el = 0;
    do {
      k.gemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n);
      reps++;
      el = performance.now() - t0;
    } while (el < ms);
    return (2 * n * n * n * reps) / (el / 1000) / 1e9;
  };
  for (const n of sizes) {
    let s = 0,
      p = 0;
    for (let round = 0; round < 3; round++) {
      s = Math.max(s, rate(single, n));
      p = Math.max(p, rate(pool, n));
    }
    points.push({ n, flops: 2 * n * n * n, single: s, pooled: p });
  }
  await pool.close();
  let threshold = Infinity;
  for (let i = points.length - 1; i >= 0 && points[i].pooled > points[i].single; i--)
    threshold = points[i].flops;
  return { points, threshold };
}
