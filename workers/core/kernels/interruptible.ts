// Matrix products that a command can cut short. While armed (the trainer arms them for the forward
// and backward passes of a batch), `check()` is asked before each product and between the slices of a
// long one; when it says yes, the product throws INTERRUPTED (made once: nothing is allocated) and the
// trainer abandons the batch, to run it again later from the same state.
//
// A long product is cut along the longer side of C into slices of whole 24-row (or 24-column) blocks,
// a multiple of every kernel's register tile (WebAssembly 6 x 8, TypeScript 4 x 4) and of the pool's
// parts, and K is never cut: every element of C is summed in the same order as in one call, so the
// result is the same bit for bit. Slices aim at SLICE_MS of work, from the measured speed.
import type { Kernels } from './types.ts';

/** What an abandoned product throws (compare with ===). */
export const INTERRUPTED: Error = new Error('The batch in progress was interrupted by a command.');

/** Work of one slice of a long product, ms (the longest a command waits inside a product). */
export const SLICE_MS = 20;
/** Slice size before any product was timed: 2^26 flops, a few ms even for the TypeScript kernels. */
const FIRST_SLICE_FLOPS = 1 << 26;
/** Products below this are not timed (the clock would cost more than they do). */
const TIMED_FLOPS = 1 << 20;
/** Slices are whole blocks of this many rows or columns. */
export const SLICE_UNIT = 24;

export interface InterruptibleKernels extends Kernels {
  /** The kernels doing the work (swap them freely, e.g. for a thread pool). */
  inner: Kernels;
  /** Whether `check` is asked (only while armed). */
  armed: boolean;
  /** True abandons the product in progress (it throws INTERRUPTED). */
  check: (() => boolean) | null;
  /** Flops per slice of a long product, from the last timed products. */
  readonly sliceFlops: number;
}

export function interruptibleKernels(
  inner: Kernels,
  now: () => number = () => Date.now(),
): InterruptibleKernels {
  let sliceFlops = FIRST_SLICE_FLOPS;
  const k: InterruptibleKernels = {
    inner,
    armed: false,
    check: null,
    get name() {
      return k.inner.name;
    },
    get sliceFlops() {
      return sliceFlops;
    },
    gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc) {
      const run = k.inner;
      const check = k.armed ? k.check : null;
      const flops = 2 * M * N * K;
      if (check === null) {
        run.gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
      }
      if (check()) throw INTERRUPTED;
      const t0 = flops >= TIMED_FLOPS ? now() : 0;
      if (flops <= sliceFlops) {
        run.gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
      } else {
        const byRows = M >= N;
        const extent = byRows ? M : N;
        const slices = Math.ceil(flops / sliceFlops);
        const step = Math.max(1, Math.ceil(extent / slices / SLICE_UNIT)) * SLICE_UNIT;
        for (let from = 0; from < extent; from += step) {
          if (from > 0 && check()) throw INTERRUPTED;
          const n = Math.min(step, extent - from);
          if (byRows)
            run.gemm(transA, transB, n, N, K, alpha, a + from * (transA ? 1 : lda), lda, b, ldb,
              beta, c + from * ldc, ldc); // prettier-ignore
          else
            run.gemm(transA, transB, M, n, K, alpha, a, lda, b + from * (transB ? ldb : 1), ldb,
              beta, c + from, ldc); // prettier-ignore
        }
      }
      if (t0 > 0) {
        const ms = now() - t0;
        // Flops that take SLICE_MS at the speed just seen (smoothed, never below the first guess).
        if (ms > 0.05)
          sliceFlops = Math.max(
            FIRST_SLICE_FLOPS,
            0.7 * sliceFlops + 0.3 * ((flops * SLICE_MS) / ms),
          );
      }
    },
  };
  return k;
}
