import { describe, expect, it } from 'vitest';
import { createTsKernels } from './ts.ts';
import { createRng } from '../rng.ts';

/** Plain triple loop in float64 over the same strided storage. */
function naive(
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  h: Float32Array,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  beta: number,
  cIn: Float32Array,
  c: number,
  ldc: number,
): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const av = tA ? h[a + k * lda + i] : h[a + i * lda + k];
        const bv = tB ? h[b + j * ldb + k] : h[b + k * ldb + j];
        s += av * bv;
      }
      out[i * N + j] = alpha * s + (beta === 0 ? 0 : beta * cIn[c + i * ldc + j]);
    }
  return out;
}

describe('TypeScript gemm', () => {
  it('computes a hand-checked 2 x 2 product', () => {
    const h = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
    createTsKernels(h).gemm(false, false, 2, 2, 2, 1, 0, 2, 4, 2, 0, 8, 2);
    expect(Array.from(h.subarray(8))).toEqual([19, 22, 43, 50]);
  });

  it('matches a naive product for every transpose, odd sizes, padded strides, alpha and beta', () => {
    const rng = createRng(7);
    for (const [M, N, K] of [
      [1, 1, 1],
      [5, 7, 3],
      [9, 4, 300],
      [17, 13, 11],
      [4, 4, 4],
      [33, 6, 520],
    ]) {
      for (const tA of [false, true])
        for (const tB of [false, true])
          for (const [alpha, beta] of [
            [1, 0],
            [0.5, 1],
            [-2, 0.25],
          ]) {
            const lda = (tA ? M : K) + 3;
            const ldb = (tB ? K : N) + 1;
            const ldc = N + 2;
            const aRows = tA ? K : M;
            const bRows = tB ? N : K;
            const a = 5,
              b = a + aRows * lda + 2,
              c = b + bRows * ldb + 1;
            const h = new Float32Array(c + M * ldc + 4);
            for (let i = 0; i < h.length; i++) h[i] = rng.uniform() * 2 - 1;
            if (beta === 0) for (let i = 0; i < M; i++) h[c + i * ldc] = NaN; // beta = 0 must overwrite
            const before = h.slice();
            const want = naive(
              tA,
              tB,
              M,
              N,
              K,
              alpha,
              before,
              a,
              lda,
              b,
              ldb,
              beta,
              before,
              c,
              ldc,
            );
            createTsKernels(h).gemm(tA, tB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
            for (let i = 0; i < M; i++)
              for (let j = 0; j < N; j++) {
                expect(Math.abs(h[c + i * ldc + j] - want[i * N + j])).toBeLessThan(
                  1e-4 * Math.sqrt(K) + 1e-5,
                );
              }
            // Padding between rows of C is untouched.
            for (let i = 0; i < M; i++) expect(h[c + i * ldc + N]).toBe(before[c + i * ldc + N]);
          }
    }
  });
});
