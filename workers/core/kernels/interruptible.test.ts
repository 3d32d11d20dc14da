import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { createTsKernels } from './ts.ts';
import { INTERRUPTED, SLICE_UNIT, interruptibleKernels } from './interruptible.ts';
import { WASM_SCRATCH_BYTES, createWasmKernels } from './wasm.ts';
import type { Kernels } from './types.ts';

/** A shared memory with a kernel scratch region first, then room for the operands. */
function memory() {
  const pages = 160;
  const mem = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const heap = new Float32Array(mem.buffer);
  const wasm = createWasmKernels(mem, { offset: 0, bytes: WASM_SCRATCH_BYTES });
  if (!wasm) throw new Error('WebAssembly SIMD unavailable in this Node');
  return { heap, wasm, ts: createTsKernels(heap), base: WASM_SCRATCH_BYTES / 4 };
}

/** Records the products it is asked for, then runs them. */
function recording(inner: Kernels) {
  const calls: number[][] = [];
  const k: Kernels = {
    name: inner.name,
    gemm(...args: Parameters<Kernels['gemm']>) {
      calls.push([args[2], args[3]]);
      inner.gemm(...args);
    },
  };
  return { k, calls };
}

const SHAPES: Array<[boolean, boolean, number, number, number]> = [
  [false, false, 301, 40, 130],
  [false, true, 50, 333, 77],
  [true, false, 260, 64, 200],
  [true, true, 97, 290, 61],
];

describe('interruptible kernels', () => {
  for (const kind of ['ts', 'wasm'] as const) {
    it(`cut long products into slices with the same result bit for bit (${kind})`, () => {
      const { heap, wasm, ts, base } = memory();
      const rng = createRng(3);
      for (const [tA, tB, M, N, K] of SHAPES) {
        const a = base,
          b = a + M * K,
          c1 = b + K * N,
          c2 = c1 + M * N;
        for (let i = a; i < c2 + M * N; i++) heap[i] = rng.uniform() * 2 - 1;
        heap.copyWithin(c2, c1, c1 + M * N);
        const inner = kind === 'ts' ? ts : wasm;
        const { k: rec, calls } = recording(inner);
        // A clock that makes every product look slow: slices stay at their first size.
        const k = interruptibleKernels(rec, () => 0);
        k.check = () => false;
        k.armed = true;
        // Small enough slices that these products are cut: force it through the first guess.
        const flops = 2 * M * N * K;
        expect(flops).toBeLessThan(k.sliceFlops);
        // Run the same product in slices by hand through a tiny budget: 24-wide pieces.
        const lda = tA ? M : K,
          ldb = tB ? K : N;
        const byRows = M >= N;
        const extent = byRows ? M : N;
        for (let from = 0; from < extent; from += SLICE_UNIT) {
          const n = Math.min(SLICE_UNIT, extent - from);
          if (byRows)
            k.gemm(
              tA,
              tB,
              n,
              N,
              K,
              0.75,
              a + from * (tA ? 1 : lda),
              lda,
              b,
              ldb,
              0.5,
              c1 + from * N,
              N,
            );
          else
            k.gemm(
              tA,
              tB,
              M,
              n,
              K,
              0.75,
              a,
              lda,
              b + from * (tB ? ldb : 1),
              ldb,
              0.5,
              c1 + from,
              N,
            );
        }
        inner.gemm(tA, tB, M, N, K, 0.75, a, lda, b, ldb, 0.5, c2, N);
        let mismatches = 0;
        for (let i = 0; i < M * N; i++) if (!Object.is(heap[c1 + i], heap[c2 + i])) mismatches++;
        expect(mismatches, `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} ${M}x${N}x${K}`).toBe(0);
        expect(calls.length).toBe(Math.ceil(extent / SLICE_UNIT));
      }
    });
  }

  it('slices a product above the slice size itself, in whole 24-wide blocks, and equals one call', () => {
    const { heap, wasm, base } = memory();
    const rng = createRng(9);
    const [M, N, K] = [1000, 64, 600];
    const a = base,
      b = a + M * K,
      c1 = b + K * N,
      c2 = c1 + M * N;
    for (let i = a; i < c2; i++) heap[i] = rng.uniform() * 2 - 1;
    const { k: rec, calls } = recording(wasm);
    const k = interruptibleKernels(rec, () => 0);
    k.check = () => false;
    k.armed = true;
    expect(2 * M * N * K).toBeGreaterThan(k.sliceFlops);
    k.gemm(false, false, M, N, K, 1, a, K, b, N, 0, c1, N);
    wasm.gemm(false, false, M, N, K, 1, a, K, b, N, 0, c2, N);
    expect(calls.length).toBeGreaterThan(1);
    for (const [m] of calls.slice(0, -1)) expect(m % SLICE_UNIT).toBe(0);
    expect(calls.reduce((s, [m]) => s + m, 0)).toBe(M);
    expect(Array.from(heap.subarray(c1, c1 + M * N))).toEqual(
      Array.from(heap.subarray(c2, c2 + M * N)),
    );
  });

  it('throws INTERRUPTED before a product, and between slices of a long one, only while armed', () => {
    const { wasm, base } = memory();
    const { k: rec, calls } = recording(wasm);
    const k = interruptibleKernels(rec, () => 0);
    let asks = 0;
    let stopAt = 1;
    k.check = () => ++asks >= stopAt;
    // Not armed: never asked.
    k.gemm(false, false, 8, 8, 8, 1, base, 8, base, 8, 0, base + 64, 8);
    expect(asks).toBe(0);
    k.armed = true;
    expect(() => k.gemm(false, false, 8, 8, 8, 1, base, 8, base, 8, 0, base + 64, 8)).toThrow(
      INTERRUPTED,
    );
    expect(calls).toHaveLength(1);
    // A long product: the second question comes between its first and second slice.
    asks = 0;
    stopAt = 2;
    expect(() => k.gemm(false, false, 1000, 64, 600, 1, base, 600, base, 64, 0, base, 64)).toThrow(
      INTERRUPTED,
    );
    expect(calls).toHaveLength(2);
  });

  it('grows its slices to about 20 ms of work at the measured speed', () => {
    const { wasm, base } = memory();
    let t = 0;
    // Every timed product seems to take 5 ms, whatever its size (two clock readings, 2.5 ms apart each).
    const k = interruptibleKernels(wasm, () => (t += 2.5));
    k.check = () => false;
    k.armed = true;
    const first = k.sliceFlops;
    // 2*128*64*128 = 2.1 Mflop in 5 ms: 20 ms is 8.4 Mflop, below the first guess, which stays the floor.
    for (let i = 0; i < 10; i++)
      k.gemm(false, false, 128, 64, 128, 1, base, 128, base, 64, 0, base, 64);
    expect(k.sliceFlops).toBe(first);
    // 77 Mflop in 5 ms: 20 ms is 307 Mflop; the slices grow towards it.
    for (let i = 0; i < 20; i++)
      k.gemm(false, false, 1000, 64, 600, 1, base, 600, base, 64, 0, base, 64);
    expect(k.sliceFlops).toBeGreaterThan(4 * first);
    expect(k.sliceFlops).toBeLessThan(2 * 307e6);
  });
});
