// The matrix-product interface every kernel implements (TypeScript reference, WebAssembly SIMD, ...).
// The training code calls only this, so a faster kernel plugs in without touching the maths.

export interface Kernels {
  readonly name: string; // 'ts' | 'wasm-simd' | 'wasm-relaxed' | ...
  /** C = alpha * op(A) * op(B) + beta * C; op(X) = X or X^T (transpose read by stride, never copied).
   *  Row-major. a, b, c are element offsets (float32 index) into the arena's Float32Array heap;
   *  lda/ldb/ldc are row strides of the stored matrices in elements. op(A) is M x K, op(B) is K x N. */
  gemm(
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
  ): void;
}
