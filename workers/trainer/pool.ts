// A small pool of kernel threads sharing the arena: big matrix products are split by rows (or columns)
// of C across the calling thread and the helpers, which meet at an Atomics barrier. Each helper
// (workers/kernel.worker.ts) instantiates the same WebAssembly module on the same shared memory with
// its own scratch region, so no data moves: only 16 integers per helper per product.
//
// The calling thread (the trainer worker) blocks in Atomics.wait at the barrier; where blocking is
// not allowed (a page's main thread) it spins instead. Products below `threshold` flops stay on the
// calling thread: waking a helper costs microseconds, a tiny product less. Whether the pool pays for
// a whole run is judged on the run's own batches (thread-trial.ts), which then calls use().
import type { Kernels } from '../core/kernels/types.ts';
import {
  WASM_SCRATCH_BYTES,
  bestWasmVariant,
  createWasmKernels,
  type ScratchRegion,
  type WasmKernels,
} from '../core/kernels/wasm.ts';
import {
  Command,
  Ctl,
  F64,
  F64_SLOT,
  SLOT,
  controlBytes,
  controlViews,
  type KernelWorkerReply,
} from './pool-protocol.ts';
import type { KernelWorkerInit } from './pool-protocol.ts';

/** How long the calling thread spins at the barrier before sleeping (ms). */
const SPIN_MS = 1;
/** A helper silent this long at the barrier is taken for dead (the product fails with a message). */
const HANG_MS = 60_000;

/** Flops (2 M N K) below which a product runs on one thread (measured with `npm run bench`). */
export const POOL_THRESHOLD_FLOPS = 1 << 21;

export interface PoolOptions {
  /** Helper threads; default min(3, hardwareConcurrency - 1) (so 1 on a 2-core machine, 0 on 1 core). */
  helpers?: number;
  /** One scratch region per thread (helpers + 1, the calling thread first); default: grown at the memory's end. */
  scratch?: ScratchRegion[];
  /** Products with 2 M N K below this stay on the calling thread (default POOL_THRESHOLD_FLOPS). */
  threshold?: number;
  /** false forces plain SIMD where relaxed SIMD exists. */
  relaxed?: boolean;
  /** How long to wait for the helpers to start (ms, default 10 000). */
  startTimeoutMs?: number;
}

export interface PooledKernels extends Kernels {
  /** Threads taking part in a big product (helpers + 1). */
  readonly threads: number;
  /** Products with fewer flops stay on the calling thread. */
  readonly threshold: number;
  /** The calling thread's own kernels (the one-thread path). */
  readonly single: WasmKernels;
  /** Splits big products over at most `threads` threads from now on (1..this.threads; the others idle). */
  use(threads: number): void;
  /** What each helper computed since the pool started: parts of products, and ms of compute. */
  stats(): HelperStats;
  /** Stops the helpers: they leave their loop, say goodbye, then are terminated. */
  close(): Promise<void>;
}

export interface HelperStats {
  parts: number[];
  busyMs: number[];
}

function defaultHelpers(): number {
  const cores =
    typeof navigator !== 'undefined' && navigator.hardwareConcurrency
      ? navigator.hardwareConcurrency
      : 1;
  return Math.max(0, Math.min(3, cores - 1));
}

/** Whether this thread may block in Atomics.wait (workers and Node: yes; a page's main thread: no). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** A part of a product: rows [from, to) of C or columns [from, to) of C. */
export interface Part {
  byRows: boolean;
  from: number;
  to: number;
}

/** Splits C into at most `threads` parts along its longer side, in whole micro-tiles (6 rows, 8 columns). */
export function splitProduct(M: number, N: number, threads: number): Part[] {
  const byRows = M >= N;
  const extent = byRows ? M : N;
  const unit = byRows ? 6 : 8;
  const tiles = Math.ceil(extent / unit);
  const n = Math.min(threads, tiles);
  const parts: Part[] = [];
  let done = 0;
  for (let p = 0; p < n; p++) {
    const t = Math.round((tiles * (p + 1)) / n);
    const to = Math.min(extent, t * unit);
    if (to > done) parts.push({ byRows, from: done, to });
    done = to;
  }
  return parts;
}

/**
 * Kernels that split big products across a pool of helper threads on the same shared memory.
 * Falls back to the calling thread alone (threads = 1) when no helper can start. Returns null when
 * WebAssembly SIMD or shared memory is unsupported (use the TypeScript kernels).
 */
export async function createPooledKernels(
  memory: WebAssembly.Memory,
  options: PoolOptions = {},
): Promise<PooledKernels | null> {
  const variant = bestWasmVariant({ relaxed: options.relaxed });
  if (!variant || !(memory.buffer instanceof SharedArrayBuffer)) return null;
  const helpers = options.helpers ?? defaultHelpers();
  const threads = helpers + 1;
  let scratch = options.scratch;
  if (!scratch) {
    const pages = Math.ceil(WASM_SCRATCH_BYTES / 65536);
    const old = memory.grow(pages * threads);
    scratch = Array.from({ length: threads }, (_, t) => ({
      offset: (old + t * pages) * 65536,
      bytes: pages * 65536,
    }));
  }
  if (scratch.length < threads) {
    throw new RangeError(
      `The kernel pool needs ${threads} scratch regions (one per thread); got ${scratch.length}.`,
    );
  }
  const single = createWasmKernels(memory, scratch[0], { relaxed: variant === 'wasm-relaxed' });
  if (!single) return null;

  const control = new SharedArrayBuffer(controlBytes(helpers));
  const { ctl, f64 } = controlViews(control);
  const workers: Worker[] = [];
  const started: Array<Promise<boolean>> = [];
  const timeout = options.startTimeoutMs ?? 10_000;
  for (let h = 0; h < helpers; h++) {
    let worker: Worker;
    try {
      worker = new Worker(new URL('../kernel.worker.ts', import.meta.url), {
        type: 'module',
        name: `kernel-${h}`,
      });
    } catch {
      break;
    }
    workers.push(worker);
    started.push(
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeout);
        worker.onmessage = (e: MessageEvent<KernelWorkerReply>) => {
          clearTimeout(timer);
          resolve(e.data.ok);
        };
        worker.onerror = () => {
          clearTimeout(timer);
          resolve(false);
        };
      }),
    );
    const init: KernelWorkerInit = { memory, control, index: h, scratch: scratch[h + 1], variant };
    worker.postMessage(init);
  }
  const ok = await Promise.all(started);
  let live = workers.length;
  if (ok.some((x) => !x)) {
    for (const w of workers) w.terminate();
    live = 0;
  }

  const threshold = options.threshold ?? POOL_THRESHOLD_FLOPS;
  const blocking = canBlock();
  const singleGemm = single.gemm;
  const seq = new Int32Array(Math.max(1, live));
  let closed = false;
  /** Threads a big product is split over (use()). */
  let active = live + 1;

  function waitDone(h: number): void {
    const base = h * SLOT;
    const want = seq[h];
    let d = Atomics.load(ctl, base + Ctl.Done);
    if (d !== want) {
      // A part takes microseconds to milliseconds: spin (a futex wake-up costs tens of microseconds),
      // then sleep in short slices.
      const start = performance.now();
      let i = 0;
      while (d !== want) {
        if ((++i & 255) === 0) {
          const waited = performance.now() - start;
          if (waited > HANG_MS) {
            live = 0; // never hand this pool work again: the helper's state is unknown
            throw new Error(
              `Kernel thread ${h + 1} stopped responding (${Math.round(waited)} ms at the barrier).`,
            );
          }
          if (waited > SPIN_MS && blocking) Atomics.wait(ctl, base + Ctl.Done, d, 20);
        }
        d = Atomics.load(ctl, base + Ctl.Done);
      }
    }
    if (ctl[base + Ctl.Error] !== 0) {
      ctl[base + Ctl.Error] = 0;
      throw new Error(
        `Kernel thread ${h + 1} failed on its part of a matrix product (out of memory bounds?).`,
      );
    }
  }

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
    const flops = 2 * M * N * K;
    if (live === 0 || active < 2 || closed || flops < threshold) {
      singleGemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    const parts = splitProduct(M, N, Math.min(active, live + 1));
    // Helpers take parts 1.., the calling thread part 0.
    for (let p = 1; p < parts.length; p++) {
      const h = p - 1;
      const base = h * SLOT;
      const { byRows, from, to } = parts[p];
      ctl[base + Ctl.TransA] = transA ? 1 : 0;
      ctl[base + Ctl.TransB] = transB ? 1 : 0;
      ctl[base + Ctl.K] = K;
      ctl[base + Ctl.Lda] = lda;
      ctl[base + Ctl.Ldb] = ldb;
      ctl[base + Ctl.Ldc] = ldc;
      if (byRows) {
        ctl[base + Ctl.M] = to - from;
        ctl[base + Ctl.N] = N;
        ctl[base + Ctl.A] = a + from * (transA ? 1 : lda);
        ctl[base + Ctl.B] = b;
        ctl[base + Ctl.C] = c + from * ldc;
      } else {
        ctl[base + Ctl.M] = M;
        ctl[base + Ctl.N] = to - from;
        ctl[base + Ctl.A] = a;
        ctl[base + Ctl.B] = b + from * (transB ? ldb : 1);
        ctl[base + Ctl.C] = c + from;
      }
      ctl[base + Ctl.Command] = Command.Gemm;
      f64[h * F64_SLOT + F64.Alpha] = alpha;
      f64[h * F64_SLOT + F64.Beta] = beta;
      seq[h] = (seq[h] + 1) | 0;
      Atomics.store(ctl, base + Ctl.Seq, seq[h]);
      Atomics.notify(ctl, base + Ctl.Seq);
    }
    const p0 = parts[0];
    let failure: unknown = null;
    try {
      if (p0.byRows) {
        singleGemm(
          transA,
          transB,
          p0.to - p0.from,
          N,
          K,
          alpha,
          a + p0.from * (transA ? 1 : lda),
          lda,
          b,
          ldb,
          beta,
          c + p0.from * ldc,
          ldc,
        );
      } else {
        singleGemm(
          transA,
          transB,
          M,
          p0.to - p0.from,
          K,
          alpha,
          a,
          lda,
          b + p0.from * (transB ? ldb : 1),
          ldb,
          beta,
          c + p0.from,
          ldc,
        );
      }
    } catch (e) {
      failure = e;
    }
    for (let p = 1; p < parts.length; p++) waitDone(p - 1);
    if (failure) throw failure;
  }

  /** Asks the helpers to leave their loop; resolves once they have (or after 1 s), then terminates them. */
  function close(): Promise<void> {
    if (closed) return Promise.resolve();
    closed = true;
    const gone = workers.slice(0, live).map(
      (w) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          w.onmessage = () => {
            clearTimeout(timer);
            resolve();
          };
        }),
    );
    for (let h = 0; h < live; h++) {
      const base = h * SLOT;
      ctl[base + Ctl.Command] = Command.Exit;
      seq[h] = (seq[h] + 1) | 0;
      Atomics.store(ctl, base + Ctl.Seq, seq[h]);
      Atomics.notify(ctl, base + Ctl.Seq);
    }
    return Promise.all(gone).then(() => {
      for (const w of workers) w.terminate();
    });
  }

  return {
    name: live > 0 ? `${single.name}-x${live + 1}` : single.name,
    threads: live + 1,
    threshold,
    single,
    gemm,
    close,
    use: (n: number) => {
      active = Math.max(1, Math.floor(n));
    },
    stats: () => ({
      parts: Array.from({ length: live }, (_, h) => Atomics.load(ctl, h * SLOT + Ctl.Parts)),
      busyMs: Array.from({ length: live }, (_, h) => f64[h * F64_SLOT + F64.BusyMs]),
    }),
  };
}
