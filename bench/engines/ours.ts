// Our engine in the benchmark: a float32 training loop planned once on one shared arena, with the
// WebAssembly SIMD kernels (and the kernel pool for big products). Plain SGD, sigmoid hidden layers,
// sigmoid or softmax output, the notes' layout: X is (n_x, m), W[l] is (n_l, n_{l-1}).
import { createTsKernels } from '../../workers/core/kernels/ts.ts';
import type { Kernels } from '../../workers/core/kernels/types.ts';
import { WASM_SCRATCH_BYTES, createWasmKernels } from '../../workers/core/kernels/wasm.ts';
import { createPooledKernels, type PooledKernels } from '../../workers/trainer/pool.ts';
import type { BenchData, TrainConfigBench } from '../configs.ts';

export interface OursTrainer {
  /** One SGD step on batch number `index` (columns index*B .. index*B + B - 1 of X). */
  step(index: number): void;
  batches: number;
  /** Mean cross-entropy over the first `n` batches (forward only). */
  loss(n: number): number;
  arenaBytes: number;
  kernelName: string;
  close(): Promise<unknown>;
}

const PAGE = 65536;

/** Arena layout in float32 elements, planned once. */
function plan(sizes: number[], m: number, B: number) {
  let at = 0;
  const take = (n: number) => {
    const o = at;
    at += Math.ceil(n / 16) * 16;
    return o;
  };
  const L = sizes.length - 1;
  const X = take(sizes[0] * m);
  const Y = take(sizes[L] * m);
  const W: number[] = [], b: number[] = [], dW: number[] = [], db: number[] = [], A: number[] = [], dZ: number[] = [];
  for (let l = 1; l <= L; l++) {
    W[l] = take(sizes[l] * sizes[l - 1]);
    b[l] = take(sizes[l]);
    dW[l] = take(sizes[l] * sizes[l - 1]);
    db[l] = take(sizes[l]);
    A[l] = take(sizes[l] * B);
    dZ[l] = take(sizes[l] * B);
  }
  return { X, Y, W, b, dW, db, A, dZ, floats: at };
}

export async function createOursTrainer(
  config: TrainConfigBench,
  data: BenchData,
  options: { threads: number; threshold?: number },
): Promise<OursTrainer> {
  const { sizes, batch: B, examples: m, learningRate: lr } = config;
  const L = sizes.length - 1;
  const p = plan(sizes, m, B);
  const threads = Math.max(1, options.threads);
  const dataBytes = Math.ceil((p.floats * 4) / PAGE) * PAGE;
  const scratchBytes = threads * WASM_SCRATCH_BYTES;
  const pages = (dataBytes + scratchBytes) / PAGE;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const scratch = Array.from({ length: threads }, (_, t) => ({ offset: dataBytes + t * WASM_SCRATCH_BYTES, bytes: WASM_SCRATCH_BYTES }));
  const heap = new Float32Array(memory.buffer);

  let pool: PooledKernels | null = null;
  let kernels: Kernels;
  if (threads > 1) {
    pool = await createPooledKernels(memory, { helpers: threads - 1, scratch, threshold: options.threshold });
    if (!pool) throw new Error('kernel pool unavailable');
    kernels = pool;
  } else {
    const k = createWasmKernels(memory, scratch[0]);
    if (!k) throw new Error('WebAssembly SIMD unavailable');
    kernels = k;
  }
  const ts = createTsKernels(heap);
  /** Tiny products: the scalar kernel beats a call into WebAssembly with its packing. */
  const TINY = 4096;
  const gemm = (
    tA: boolean, tB: boolean, M: number, N: number, K: number, alpha: number,
    a: number, lda: number, bb: number, ldb: number, beta: number, c: number, ldc: number,
  ) => {
    if (M * N * K <= TINY) ts.gemm(tA, tB, M, N, K, alpha, a, lda, bb, ldb, beta, c, ldc);
    else kernels.gemm(tA, tB, M, N, K, alpha, a, lda, bb, ldb, beta, c, ldc);
  };

  // Data into the arena in the notes' layout: X (n_x, m), Y (n_y, m).
  const nx = sizes[0], ny = sizes[L];
  for (let e = 0; e < m; e++) {
    for (let f = 0; f < nx; f++) heap[p.X + f * m + e] = data.x[e * nx + f];
    for (let k = 0; k < ny; k++) heap[p.Y + k * m + e] = data.y[e * ny + k];
  }
  for (let l = 1; l <= L; l++) heap.set(data.weights[l - 1], p.W[l]);

  const softmax = config.output === 'softmax';

  function forward(j0: number): void {
    let prev = p.X + j0;
    let ldPrev = m;
    for (let l = 1; l <= L; l++) {
      const n = sizes[l];
      const A = p.A[l];
      // Z = W A_prev, then A = g(Z + b)
      gemm(false, false, n, B, sizes[l - 1], 1, p.W[l], sizes[l - 1], prev, ldPrev, 0, A, B);
      if (l < L || !softmax) {
        for (let i = 0; i < n; i++) {
          const bi = heap[p.b[l] + i];
          const row = A + i * B;
          for (let j = 0; j < B; j++) heap[row + j] = 1 / (1 + Math.exp(-(heap[row + j] + bi)));
        }
      } else {
        for (let i = 0; i < n; i++) {
          const bi = heap[p.b[l] + i];
          const row = A + i * B;
          for (let j = 0; j < B; j++) heap[row + j] += bi;
        }
        for (let j = 0; j < B; j++) {
          let mx = -Infinity;
          for (let i = 0; i < n; i++) mx = Math.max(mx, heap[A + i * B + j]);
          let s = 0;
          for (let i = 0; i < n; i++) {
            const v = Math.exp(heap[A + i * B + j] - mx);
            heap[A + i * B + j] = v;
            s += v;
          }
          const inv = 1 / s;
          for (let i = 0; i < n; i++) heap[A + i * B + j] *= inv;
        }
      }
      prev = A;
      ldPrev = B;
    }
  }

  function step(index: number): void {
    const j0 = index * B;
    forward(j0);
    // dZ[L] = A[L] - Y
    const nL = sizes[L];
    for (let i = 0; i < nL; i++) {
      const a = p.A[L] + i * B, d = p.dZ[L] + i * B, y = p.Y + i * m + j0;
      for (let j = 0; j < B; j++) heap[d + j] = heap[a + j] - heap[y + j];
    }
    for (let l = L; l >= 1; l--) {
      const n = sizes[l], nPrev = sizes[l - 1];
      const prev = l > 1 ? p.A[l - 1] : p.X + j0;
      const ldPrev = l > 1 ? B : m;
      if (l > 1) {
        // dA[l-1] = W[l]^T dZ[l]; dZ[l-1] = dA[l-1] * A[l-1] (1 - A[l-1])
        const d = p.dZ[l - 1];
        gemm(true, false, nPrev, B, n, 1, p.W[l], nPrev, p.dZ[l], B, 0, d, B);
        const a = p.A[l - 1];
        for (let i = 0, len = nPrev * B; i < len; i++) {
          const av = heap[a + i];
          heap[d + i] *= av * (1 - av);
        }
      }
      // dW = 1/m dZ A[l-1]^T; db = 1/m sum(dZ, axis 1); W -= lr dW; b -= lr db
      gemm(false, true, n, nPrev, B, 1 / B, p.dZ[l], B, prev, ldPrev, 0, p.dW[l], nPrev);
      const W = p.W[l], dW = p.dW[l];
      for (let i = 0, len = n * nPrev; i < len; i++) heap[W + i] -= lr * heap[dW + i];
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = p.dZ[l] + i * B;
        for (let j = 0; j < B; j++) s += heap[row + j];
        heap[p.b[l] + i] -= (lr / B) * s;
      }
    }
  }

  function loss(nb: number): number {
    let total = 0;
    let count = 0;
    for (let bi = 0; bi < nb; bi++) {
      const j0 = bi * B;
      forward(j0);
      for (let j = 0; j < B; j++) {
        for (let i = 0; i < ny; i++) {
          const a = Math.min(Math.max(heap[p.A[L] + i * B + j], 1e-7), 1 - 1e-7);
          const y = heap[p.Y + i * m + j0 + j];
          total += softmax ? -y * Math.log(a) : -(y * Math.log(a) + (1 - y) * Math.log(1 - a));
        }
        count++;
      }
    }
    return total / count;
  }

  return {
    step,
    batches: Math.floor(m / B),
    loss,
    arenaBytes: memory.buffer.byteLength,
    kernelName: pool ? pool.name : kernels.name,
    close: async () => pool?.close(),
  };
}
