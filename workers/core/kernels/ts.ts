// The scalar TypeScript matrix product: the reference every other kernel is tested against, and the
// fallback where WebAssembly SIMD is missing. Cache-blocked over k, register-blocked 4 x 4.
import type { Kernels } from './types.ts';

/** Depth of one k block: a 4-row strip of op(A) and a 4-column strip of op(B) stay in L1. */
const KC = 256;

export function createTsKernels(heap: Float32Array): Kernels {
  const h = heap;

  function gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
  ): void {
    if (M <= 0 || N <= 0) return;
    // C = beta * C first (beta = 0 overwrites, so stale NaN in C never leaks through).
    if (beta === 0) {
      for (let i = 0; i < M; i++) h.fill(0, c + i * ldc, c + i * ldc + N);
    } else if (beta !== 1) {
      for (let i = 0; i < M; i++) {
        const row = c + i * ldc;
        for (let j = 0; j < N; j++) h[row + j] *= beta;
      }
    }
    if (K <= 0 || alpha === 0) return;
    // op(A)[i,k] = h[a + i*sAi + k*sAk]; op(B)[k,j] = h[b + k*sBk + j*sBj].
    const sAi = transA ? 1 : lda;
    const sAk = transA ? lda : 1;
    const sBk = transB ? 1 : ldb;
    const sBj = transB ? ldb : 1;
    const M4 = M - (M % 4);
    const N4 = N - (N % 4);

    for (let k0 = 0; k0 < K; k0 += KC) {
      const k1 = k0 + KC < K ? k0 + KC : K;
      for (let i = 0; i < M4; i += 4) {
        const pa0 = a + i * sAi;
        const pa1 = pa0 + sAi;
        const pa2 = pa1 + sAi;
        const pa3 = pa2 + sAi;
        for (let j = 0; j < N4; j += 4) {
          const pb0 = b + j * sBj;
          const pb1 = pb0 + sBj;
          const pb2 = pb1 + sBj;
          const pb3 = pb2 + sBj;
          let c00 = 0,
            c01 = 0,
            c02 = 0,
            c03 = 0;
          let c10 = 0,
            c11 = 0,
            c12 = 0,
            c13 = 0;
          let c20 = 0,
            c21 = 0,
            c22 = 0,
            c23 = 0;
          let c30 = 0,
            c31 = 0,
            c32 = 0,
            c33 = 0;
          for (let k = k0; k < k1; k++) {
            const oa = k * sAk;
            const ob = k * sBk;
            const a0 = h[pa0 + oa],
              a1 = h[pa1 + oa],
              a2 = h[pa2 + oa],
              a3 = h[pa3 + oa];
            const b0 = h[pb0 + ob],
              b1 = h[pb1 + ob],
              b2 = h[pb2 + ob],
              b3 = h[pb3 + ob];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
          }
          let r = c + i * ldc + j;
          h[r] += alpha * c00;
          h[r + 1] += alpha * c01;
          h[r + 2] += alpha * c02;
          h[r + 3] += alpha * c03;
          r += ldc;
          h[r] += alpha * c10;
          h[r + 1] += alpha * c11;
          h[r + 2] += alpha * c12;
          h[r + 3] += alpha * c13;
          r += ldc;
          h[r] += alpha * c20;
          h[r + 1] += alpha * c21;
          h[r + 2] += alpha * c22;
          h[r + 3] += alpha * c23;
          r += ldc;
          h[r] += alpha * c30;
          h[r + 1] += alpha * c31;
          h[r + 2] += alpha * c32;
          h[r + 3] += alpha * c33;
        }
        // Leftover columns of this 4-row strip.
        for (let j = N4; j < N; j++) {
          const pb = b + j * sBj;
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let k = k0; k < k1; k++) {
            const bk = h[pb + k * sBk];
            const oa = k * sAk;
            s0 += h[pa0 + oa] * bk;
            s1 += h[pa1 + oa] * bk;
            s2 += h[pa2 + oa] * bk;
            s3 += h[pa3 + oa] * bk;
          }
          const r = c + i * ldc + j;
          h[r] += alpha * s0;
          h[r + ldc] += alpha * s1;
          h[r + 2 * ldc] += alpha * s2;
          h[r + 3 * ldc] += alpha * s3;
        }
      }
      // Leftover rows.
      for (let i = M4; i < M; i++) {
        const pa = a + i * sAi;
        const row = c + i * ldc;
        for (let j = 0; j < N; j++) {
          const pb = b + j * sBj;
          let s = 0;
          for (let k = k0; k < k1; k++) s += h[pa + k * sAk] * h[pb + k * sBk];
          h[row + j] += alpha * s;
        }
      }
    }
  }

  return { name: 'ts', gemm };
}
