// Test harness (browser tests only): in a worker, as the trainer would, builds an arena, a kernel pool
// and the single-thread kernels, runs products both ways and reports whether they agree bit for bit.
import { createTsKernels } from '../core/kernels/ts.ts';
import { WASM_SCRATCH_BYTES, createWasmKernels } from '../core/kernels/wasm.ts';
import { createPooledKernels } from './pool.ts';
import { SLICE_UNIT, interruptibleKernels } from '../core/kernels/interruptible.ts';

export interface HarnessRequest {
  helpers: number;
  relaxed: boolean;
  shapes: Array<[boolean, boolean, number, number, number]>;
}

export interface HarnessReport {
  crossOriginIsolated: boolean;
  threads: number;
  name: string;
  singleName: string;
  /** Per shape: elements of C where pooled and single differ (bit for bit), and the max |pooled - ts|. */
  results: Array<{
    shape: string;
    mismatches: number;
    /** Elements where the pool cut in slices (as a command may interrupt it) differs from single. */
    slicedMismatches: number;
    maxTsError: number;
    scale: number;
  }>;
  /** A product whose part on a helper reads out of bounds reports an error instead of hanging. */
  outOfBoundsError: string;
  /** What each helper computed (pool.stats()) over the products above: parts, and ms of compute. */
  helperParts: number[];
  helperBusyMs: number[];
  error?: string;
}

self.onmessage = async (e: MessageEvent<HarnessRequest>) => {
  const req = e.data;
  const report: HarnessReport = {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    threads: 0,
    name: '',
    singleName: '',
    results: [],
    outOfBoundsError: '',
    helperParts: [],
    helperBusyMs: [],
  };
  try {
    const memory = new WebAssembly.Memory({ initial: 160, maximum: 1024, shared: true });
    const scratchPages = WASM_SCRATCH_BYTES / 65536;
    const scratch = Array.from({ length: req.helpers + 2 }, (_, t) => ({
      offset: (100 + t * scratchPages) * 65536,
      bytes: WASM_SCRATCH_BYTES,
    }));
    const pool = await createPooledKernels(memory, {
      helpers: req.helpers,
      threshold: 0,
      relaxed: req.relaxed,
      scratch: scratch.slice(0, req.helpers + 1),
    });
    if (!pool) throw new Error('no pool');
    const single = createWasmKernels(memory, scratch[req.helpers + 1], { relaxed: req.relaxed });
    if (!single) throw new Error('no single kernels');
    report.threads = pool.threads;
    report.name = pool.name;
    report.singleName = single.name;
    const heap = new Float32Array(memory.buffer);
    const ts = createTsKernels(heap);
    let x = 12345;
    const rand = () => {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      return ((x >>> 8) / (1 << 24)) * 2 - 1;
    };
    for (const [tA, tB, M, N, K] of req.shapes) {
      const a = 0,
        b = a + M * K,
        c1 = b + K * N,
        c2 = c1 + M * N,
        c3 = c2 + M * N,
        c4 = c3 + M * N;
      for (let i = 0; i < c4 + M * N; i++) heap[i] = rand();
      heap.copyWithin(c2, c1, c1 + M * N);
      heap.copyWithin(c3, c1, c1 + M * N);
      heap.copyWithin(c4, c1, c1 + M * N);
      const lda = tA ? M : K,
        ldb = tB ? K : N;
      pool.gemm(tA, tB, M, N, K, 0.75, a, lda, b, ldb, 0.5, c1, N);
      single.gemm(tA, tB, M, N, K, 0.75, a, lda, b, ldb, 0.5, c2, N);
      ts.gemm(tA, tB, M, N, K, 0.75, a, lda, b, ldb, 0.5, c3, N);
      // The pool behind the interruptible kernels, cut into slices of one block each.
      const cut = interruptibleKernels(pool, () => 0);
      cut.armed = true;
      cut.check = () => false;
      const byRows = M >= N;
      for (let from = 0; from < (byRows ? M : N); from += SLICE_UNIT) {
        const n = Math.min(SLICE_UNIT, (byRows ? M : N) - from);
        if (byRows)
          cut.gemm(tA, tB, n, N, K, 0.75, a + from * (tA ? 1 : lda), lda, b, ldb, 0.5,
            c4 + from * N, N); // prettier-ignore
        else
          cut.gemm(tA, tB, M, n, K, 0.75, a, lda, b + from * (tB ? ldb : 1), ldb, 0.5,
            c4 + from, N); // prettier-ignore
      }
      let mismatches = 0,
        slicedMismatches = 0,
        maxTsError = 0;
      for (let i = 0; i < M * N; i++) {
        if (!Object.is(heap[c1 + i], heap[c2 + i])) mismatches++;
        if (!Object.is(heap[c4 + i], heap[c2 + i])) slicedMismatches++;
        maxTsError = Math.max(maxTsError, Math.abs(heap[c1 + i] - heap[c3 + i]));
      }
      report.results.push({
        shape: `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} ${M}x${N}x${K}`,
        mismatches,
        slicedMismatches,
        maxTsError,
        scale: Math.sqrt(K),
      });
    }
    const stats = pool.stats();
    report.helperParts = stats.parts;
    report.helperBusyMs = stats.busyMs;
    // A helper's part that runs past the memory must come back as an error, not a hang.
    try {
      pool.gemm(
        false,
        false,
        600,
        8,
        8,
        1,
        0,
        8,
        0,
        8,
        0,
        memory.buffer.byteLength / 4 - 8 * 300,
        8,
      );
    } catch (err) {
      report.outOfBoundsError = err instanceof Error ? err.message : String(err);
    }
    await pool.close();
  } catch (err) {
    report.error = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  }
  postMessage(report);
};
