import { describe, expect, it } from 'vitest';
import { WASM_SCRATCH_BYTES } from '../core/kernels/wasm.ts';
import { createPooledKernels, splitProduct } from './pool.ts';

describe('kernel pool (Node: no Worker global)', () => {
  it('covers C exactly once with whole micro-tiles, whatever the thread count', () => {
    for (const [M, N] of [
      [1, 1],
      [5, 3],
      [130, 64],
      [7, 301],
      [600, 8],
      [13, 13],
    ]) {
      for (const threads of [1, 2, 3, 4]) {
        const parts = splitProduct(M, N, threads);
        expect(parts.length).toBeGreaterThan(0);
        expect(parts.length).toBeLessThanOrEqual(threads);
        const extent = M >= N ? M : N;
        const unit = M >= N ? 6 : 8;
        let at = 0;
        for (const p of parts) {
          expect(p.byRows).toBe(M >= N);
          expect(p.from).toBe(at);
          expect(p.to).toBeGreaterThan(p.from);
          if (p.to !== extent) expect(p.to % unit).toBe(0);
          at = p.to;
        }
        expect(at).toBe(extent);
      }
    }
  });

  it('falls back to the calling thread when no helper can start, with the same result', async () => {
    const pages = 8 + (2 * WASM_SCRATCH_BYTES) / 65536;
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const scratch = [0, 1].map((t) => ({
      offset: 8 * 65536 + t * WASM_SCRATCH_BYTES,
      bytes: WASM_SCRATCH_BYTES,
    }));
    const pool = await createPooledKernels(memory, {
      helpers: 1,
      scratch,
      threshold: 0,
      startTimeoutMs: 500,
    });
    expect(pool).not.toBeNull();
    if (!pool) return;
    expect(pool.threads).toBe(1);
    expect(pool.name).toBe(pool.single.name);
    const heap = new Float32Array(memory.buffer);
    const n = 37;
    for (let i = 0; i < 2 * n * n; i++) heap[i] = ((i * 7919) % 101) / 50 - 1;
    pool.gemm(false, true, n, n, n, 1, 0, n, n * n, n, 0, 2 * n * n, n);
    pool.single.gemm(false, true, n, n, n, 1, 0, n, n * n, n, 0, 3 * n * n, n);
    expect(Array.from(heap.subarray(2 * n * n, 3 * n * n))).toEqual(
      Array.from(heap.subarray(3 * n * n, 4 * n * n)),
    );
    await pool.close();
  });
});
