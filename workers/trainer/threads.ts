// How many threads big matrix products run on, chosen by measuring this device rather than guessed
// from hardwareConcurrency. A short calibration (well under 300 ms) times one product of the size big
// layers use on the calling thread alone and on a temporary pool (pool.ts) with 1, 2, ... helpers,
// on a small scratch memory of its own, in interleaved rounds (so a passing disturbance hits every
// count alike), keeps each count's best time, and picks the fewest threads within 10 % of the
// fastest, provided they beat one thread by CALIBRATION_GAIN; the pool is closed afterwards. The
// user may cap the count. Runs then get a pool of (threads - 1) helpers, and keep it only where it
// pays on their own batches (thread-trial.ts).
import { WASM_SCRATCH_BYTES, bestWasmVariant } from '../core/kernels/wasm.ts';
import { createPooledKernels } from './pool.ts';
import { POOL_PAYS } from './thread-trial.ts';
import type { ThreadChoice, ThreadUse } from './types.ts';

/** The calibration product: 2 x 512 x 128 x 512 = 67 Mflop, a big layer's forward product (a layer of
 *  512 units on 512 inputs, a batch of 128). */
export const CALIBRATION_SHAPE = { M: 512, N: 128, K: 512 } as const;
const ROUNDS = 4;
const REPS = 2;
/** The calibration stops its rounds after this long (ms): a busy machine must not wait for it. */
const BUDGET_MS = 150;
/** Speed-up over one thread below which the pool is not used. */
export const CALIBRATION_GAIN = 1.2;
/** Counts within this share of the fastest count as fast as it. */
export const CALIBRATION_TOLERANCE = 0.1;
/** Most threads a product is split over. */
export const MAX_THREADS = 4;

export interface Calibration {
  /** Per thread count (index 0: one thread): the best time's speed, GFLOP/s; empty: not measured. */
  gflops: number[];
  /** The count the measurement picks. */
  best: number;
}

/** Picks the thread count from speeds (index 0 = one thread): the fewest within 10 % of the fastest,
 *  if that beats one thread by CALIBRATION_GAIN, else 1. */
export function pickThreads(gflops: readonly number[]): number {
  if (gflops.length === 0 || !(gflops[0] > 0) || gflops.some((g) => !Number.isFinite(g))) return 1;
  const top = Math.max(...gflops);
  const t = gflops.findIndex((g) => g >= (1 - CALIBRATION_TOLERANCE) * top) + 1;
  return gflops[t - 1] >= CALIBRATION_GAIN * gflops[0] ? t : 1;
}

/** Threads the calibration may try: one per core, within MAX_THREADS; 1 where helpers cannot start. */
export function maxThreads(cores: number, canSpawn: boolean): number {
  return canSpawn ? Math.max(1, Math.min(MAX_THREADS, Math.floor(cores) || 1)) : 1;
}

/** Threads a run uses: the measured choice within the user's cap (null: none) and the maximum. */
export function threadsInUse(best: number, cap: number | null, max: number): number {
  return Math.max(1, Math.min(best, cap ?? best, max));
}

/** A cap as given by the page: null (automatic) or a whole number of threads >= 1. */
export function normalizeCap(cap: number | null | undefined): number | null {
  if (cap === null || cap === undefined || !Number.isFinite(cap)) return null;
  return Math.max(1, Math.floor(cap));
}

/** Times one thread against the pool with 1 .. threads - 1 helpers; gflops[t - 1] for t threads. */
export async function calibrate(threads: number): Promise<Calibration> {
  const variant = bestWasmVariant();
  if (!variant || typeof SharedArrayBuffer === 'undefined') return { gflops: [], best: 1 };
  const { M, N, K } = CALIBRATION_SHAPE;
  const PAGE = 65536;
  const dataPages = Math.ceil(((M * K + K * N + M * N) * 4) / PAGE);
  const scratchPages = Math.ceil(WASM_SCRATCH_BYTES / PAGE);
  const pages = dataPages + Math.max(1, threads) * scratchPages;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const heap = new Float32Array(memory.buffer);
  for (let i = 0; i < M * K + K * N; i++) heap[i] = ((i * 7919) % 101) / 50 - 1;
  const scratch = Array.from({ length: Math.max(1, threads) }, (_, t) => ({
    offset: (dataPages + t * scratchPages) * PAGE,
    bytes: scratchPages * PAGE,
  }));
  const pool = await createPooledKernels(memory, {
    helpers: threads - 1,
    scratch,
    threshold: 0,
  });
  if (!pool) return { gflops: [], best: 1 };
  try {
    const counts = pool.threads;
    const best = new Array<number>(counts).fill(Infinity);
    const [a, b, c] = [0, M * K, M * K + K * N];
    const start = performance.now();
    for (let r = 0; r < ROUNDS && (r < 1 || performance.now() - start < BUDGET_MS); r++) {
      for (let t = 1; t <= counts; t++) {
        const k = t === 1 ? pool.single : pool;
        pool.use(t);
        const t0 = performance.now();
        for (let i = 0; i < REPS; i++) k.gemm(false, false, M, N, K, 1, a, K, b, N, 0, c, N);
        best[t - 1] = Math.min(best[t - 1], (performance.now() - t0) / REPS);
      }
    }
    const gflops = best.map((ms) => (2 * M * N * K) / (Math.max(ms, 1e-3) * 1e6));
    return { gflops, best: pickThreads(gflops) };
  } finally {
    await pool.close();
  }
}

/** The trainer worker's thread choice: the calibration (run once, on first need), the user's cap. */
export class ThreadManager {
  private measured: Calibration | null = null;
  private running: Promise<Calibration> | null = null;
  private cap: number | null = null;
  private calibrationMs = 0;
  readonly max: number;

  /** `cores`: navigator.hardwareConcurrency; `canSpawn`: Worker + shared memory + isolation;
   *  `measure`: the calibration (replaceable in tests). */
  constructor(
    readonly cores: number,
    canSpawn: boolean,
    private readonly measure: (threads: number) => Promise<Calibration> = calibrate,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.max = maxThreads(cores, canSpawn);
  }

  /** Measures once (later calls share the same answer); a failed calibration means one thread. */
  calibrate(): Promise<Calibration> {
    this.running ??= (async () => {
      const t0 = this.now();
      try {
        this.measured = await this.measure(this.max);
      } catch {
        this.measured = { gflops: [], best: 1 };
      }
      this.calibrationMs = this.now() - t0;
      return this.measured;
    })();
    return this.running;
  }

  /** Threads products run on now: the measured choice (1 before it), within the cap. */
  get threads(): number {
    return threadsInUse(this.measured?.best ?? 1, this.cap, this.max);
  }

  /** Helper threads for the next run (calibrates first if it has not yet). */
  async helpers(): Promise<number> {
    await this.calibrate();
    return this.threads - 1;
  }

  /** The calibrated speed of big products on `threads` threads, GFLOP/s (0: not measured). */
  gflops(threads: number): number {
    return this.measured?.gflops[threads - 1] ?? 0;
  }

  /** The user's cap (null: automatic); applies from the next prepared run. */
  setCap(cap: number | null): void {
    this.cap = normalizeCap(cap);
  }

  /** The choice as the page shows it; `run`: the prepared run's kernels and its helpers' work. */
  choice(run: ThreadUse | null = null): ThreadChoice {
    const stats = run?.stats ?? null;
    const m = this.measured;
    return {
      threads: this.threads,
      best: m?.best ?? 1,
      cap: this.cap,
      cores: this.cores,
      max: this.max,
      gflops: m ? [...m.gflops] : [],
      measured: m !== null && m.gflops.length > 0,
      calibrationMs: this.calibrationMs,
      helperParts: stats ? [...stats.parts] : [],
      helperBusyMs: stats ? [...stats.busyMs] : [],
      kernel: run?.kernel ?? '',
      trial: run?.trial ? { ...run.trial } : null,
      rules: { gain: CALIBRATION_GAIN, tolerance: CALIBRATION_TOLERANCE, pays: POOL_PAYS },
    };
  }
}
