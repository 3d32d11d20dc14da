// Whether a run's kernel pool pays, judged on the run's own batches. The start-up calibration
// (threads.ts) times one product; a network's real batches also hold element-wise passes, the
// optimizer and products too small to split, and on two cores the helper competes with the page. So
// a run starts with a trial: after one warm-up batch it trains pairs of batches, one on a single
// thread and one on the pool (in alternating order), at least TRIAL_PAIRS pairs and TRIAL_MIN_MS of
// batches, takes the median of the pairs' speed-ups, and
// keeps the pool only where it trains at least POOL_PAYS times as fast; otherwise the run goes on
// one thread. The trial runs again after every RETRIAL_MS of compute, so a machine that got busy (or
// calm) is noticed. Pooled and single-thread batches give the same numbers bit for bit, so the trial
// never changes what a run computes, only how fast.

import { BATCH } from '../core/train.ts';

/** Speed-up over one thread below which a run does not use its pool. */
export const POOL_PAYS = 1.5;
/** Pairs of batches a trial compares at least, */
export const TRIAL_PAIRS = 3;
/** and ms of batches it times at least (small batches: enough of them that a stall of the machine
 *  does not decide), */
export const TRIAL_MIN_MS = 1000;
/** within this many batches (batches that cannot be compared, e.g. interrupted ones, are skipped). */
export const TRIAL_MAX_BATCHES = 256;
/** Compute time between two trials (ms). */
export const RETRIAL_MS = 30_000;

/** What a trial switches: the pool's thread count for big products. */
export interface Switchable {
  readonly threads: number;
  use(threads: number): void;
}

/** Whether kernels can be switched between one thread and several (a pool of two or more). */
export function isSwitchable<K extends object>(k: K): k is K & Switchable {
  const s = k as Partial<Switchable>;
  return typeof s.use === 'function' && (s.threads ?? 1) > 1;
}

export interface TrialResult {
  /** Threads the run trains on since this trial. */
  threads: number;
  /** Median speed-up of the pool over one thread on this run's batches. */
  gain: number;
  /** Pairs of batches compared. */
  pairs: number;
}

/** A batch's outcome as the trial needs it: `comparable` batches did the same kind of work (a plain
 *  batch, or a batch that ended an epoch); others (interrupted, finished) are not timed. */
export type BatchKind = 'batch' | 'epoch-end' | 'other';

export class ThreadTrial {
  /** The last trial's outcome (null before the first one ends). */
  result: TrialResult | null = null;
  private phase: 'warm-up' | 'trial' | 'decided' = 'warm-up';
  private side: 1 | 'pool' = 1;
  // The first batch of the pair in progress (kind null: none). Plain fields and a preallocated
  // array: the trial runs inside the training loop, which allocates nothing.
  private firstKind: BatchKind | null = null;
  private firstSide: 1 | 'pool' = 1;
  private firstMs = 0;
  private readonly gains = new Float64Array(TRIAL_MAX_BATCHES >> 1);
  private pairs = 0;
  private batches = 0;
  private trialMs = 0;
  private sinceTrial = 0;

  constructor(
    private readonly pool: Switchable,
    private readonly pays = POOL_PAYS,
  ) {
    pool.use(1);
  }

  /** Whether the pool could take part at all (a pool of one thread needs no trial). */
  get active(): boolean {
    return this.pool.threads > 1;
  }

  /** Threads the run trains on now: the last trial's choice, or 1 before it. */
  get threads(): number {
    return this.result?.threads ?? 1;
  }

  /** Sets the pool for the next batch. */
  before(): void {
    if (this.phase === 'trial') this.pool.use(this.side === 1 ? 1 : this.pool.threads);
  }

  /** Hears how long the batch took (ms of compute) and what it was. */
  after(ms: number, kind: BatchKind): void {
    if (!this.active) return;
    if (this.phase === 'warm-up') {
      // The first batch also compiles and warms the caches: it is not timed.
      this.phase = 'trial';
      return;
    }
    if (this.phase === 'decided') {
      this.sinceTrial += ms;
      if (this.sinceTrial >= RETRIAL_MS) this.startTrial();
      return;
    }
    this.batches++;
    this.trialMs += ms;
    if (kind !== 'other' && ms > 0) {
      if (this.firstKind === kind && this.firstSide !== this.side) {
        const single = this.firstSide === 1 ? this.firstMs : ms;
        const pooled = this.firstSide === 1 ? ms : this.firstMs;
        this.gains[this.pairs++] = single / pooled;
        this.firstKind = null;
        // The next pair starts on the side this one ended on: neither side always goes first.
      } else {
        this.firstKind = kind;
        this.firstSide = this.side;
        this.firstMs = ms;
        this.side = this.side === 1 ? 'pool' : 1;
      }
    }
    const enough = this.pairs >= TRIAL_PAIRS && this.trialMs >= TRIAL_MIN_MS;
    if (enough || this.batches >= TRIAL_MAX_BATCHES) this.decide();
  }

  private startTrial(): void {
    this.phase = 'trial';
    this.side = 1;
    this.firstKind = null;
    this.pairs = 0;
    this.batches = 0;
    this.trialMs = 0;
    this.sinceTrial = 0;
  }

  private decide(): void {
    const gain = median(this.gains.subarray(0, this.pairs));
    const threads = gain >= this.pays ? this.pool.threads : 1;
    this.result = { threads, gain, pairs: this.pairs };
    this.pool.use(threads);
    this.phase = 'decided';
  }
}

/** The kind of a trainBatch() result. */
export function batchKind(r: number): BatchKind {
  return r === BATCH.OK ? 'batch' : r === BATCH.EPOCH_END ? 'epoch-end' : 'other';
}

/** The median (0 for none). */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) return 0;
  const s = Array.from(xs).sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
