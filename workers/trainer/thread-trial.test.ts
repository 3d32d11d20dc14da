import { describe, expect, it } from 'vitest';
import { BATCH } from '../core/train.ts';
import {
  POOL_PAYS,
  RETRIAL_MS,
  TRIAL_MAX_BATCHES,
  TRIAL_MIN_MS,
  TRIAL_PAIRS,
  ThreadTrial,
  batchKind,
  median,
} from './thread-trial.ts';

/** A pool of `threads` whose batches take `single` ms on one thread and `pooled` ms on all. */
function fakePool(threads: number, times: { single: number; pooled: number }) {
  const pool = {
    threads,
    active: threads,
    uses: [] as number[],
    use(n: number) {
      pool.active = n;
      pool.uses.push(n);
    },
    /** The time of a batch on the threads in use now. */
    batchMs: () => (pool.active > 1 ? times.pooled : times.single),
  };
  return pool;
}

/** Runs `n` batches through the trial; returns the thread count each batch ran on. */
function train(trial: ThreadTrial, pool: ReturnType<typeof fakePool>, n: number, kind = 'batch') {
  const ran: number[] = [];
  for (let i = 0; i < n; i++) {
    trial.before();
    ran.push(pool.active);
    trial.after(pool.batchMs(), kind as 'batch');
  }
  return ran;
}

describe('ThreadTrial', () => {
  it('keeps the pool where the run’s own batches train at least 1.5x as fast', () => {
    const pool = fakePool(2, { single: 300, pooled: 180 });
    const trial = new ThreadTrial(pool);
    const ran = train(trial, pool, 1 + 2 * TRIAL_PAIRS + 5);
    // Warm-up on one thread, then pairs in alternating order, then the choice.
    expect(ran.slice(0, 1 + 2 * TRIAL_PAIRS)).toEqual([1, 1, 2, 2, 1, 1, 2]);
    expect(ran.slice(1 + 2 * TRIAL_PAIRS)).toEqual([2, 2, 2, 2, 2]);
    expect(trial.result).toEqual({ threads: 2, gain: 300 / 180, pairs: TRIAL_PAIRS });
    expect(trial.threads).toBe(2);
  });

  it('goes on one thread where the pool gains less than 1.5x', () => {
    const pool = fakePool(2, { single: 300, pooled: 250 });
    const trial = new ThreadTrial(pool);
    const ran = train(trial, pool, 1 + 2 * TRIAL_PAIRS + 4);
    expect(ran.slice(-4)).toEqual([1, 1, 1, 1]);
    expect(trial.result?.threads).toBe(1);
    expect(trial.result?.gain).toBeCloseTo(1.2, 10);
    expect(trial.result!.gain).toBeLessThan(POOL_PAYS);
  });

  it('goes on one thread where the pool is slower', () => {
    const pool = fakePool(2, { single: 300, pooled: 400 });
    const trial = new ThreadTrial(pool);
    train(trial, pool, 20);
    expect(trial.result).toMatchObject({ threads: 1, gain: 0.75 });
    expect(pool.active).toBe(1);
  });

  it('judges by the median pair: one disturbed batch does not decide', () => {
    const pool = fakePool(2, { single: 300, pooled: 150 });
    const trial = new ThreadTrial(pool);
    const times = [990, 300, 150, 150, 3000, 300, 150]; // warm-up, then a pair with a 20x stall on one thread
    for (const ms of times) {
      trial.before();
      trial.after(ms, 'batch');
    }
    expect(trial.result).toEqual({ threads: 2, gain: 2, pairs: 3 });
  });

  it('pairs only batches of the same kind and skips interrupted ones', () => {
    const pool = fakePool(2, { single: 300, pooled: 120 });
    const trial = new ThreadTrial(pool);
    trial.before();
    trial.after(500, 'batch'); // warm-up
    const steps: Array<[number, 'batch' | 'epoch-end' | 'other']> = [
      [300, 'batch'], // single
      [50, 'other'], // interrupted: not timed, the pooled side runs again
      [400, 'epoch-end'], // pooled, but a different kind: starts a new pair instead
      [1000, 'epoch-end'], // single: pair (1000 / 400)
    ];
    const ran: number[] = [];
    for (const [ms, kind] of steps) {
      trial.before();
      ran.push(pool.active);
      trial.after(ms, kind);
    }
    expect(ran).toEqual([1, 2, 2, 1]);
    expect(trial.result).toBeNull();
    // Two more plain pairs decide: gains 2.5, then 300/120 twice.
    train(trial, pool, 4);
    expect(trial.result).toEqual({ threads: 2, gain: 2.5, pairs: 3 });
  });

  it('compares more pairs of small batches, until TRIAL_MIN_MS of them are timed', () => {
    const pool = fakePool(2, { single: 10, pooled: 5 });
    const trial = new ThreadTrial(pool);
    train(trial, pool, 1 + 2 * TRIAL_PAIRS); // three pairs: 45 ms, too short to judge
    expect(trial.result).toBeNull();
    let batches = 2 * TRIAL_PAIRS;
    while (!trial.result && batches < TRIAL_MAX_BATCHES) {
      train(trial, pool, 1);
      batches++;
    }
    expect(trial.result).toMatchObject({ threads: 2, gain: 2 });
    // Decided at the first batch that brought the timed batches to TRIAL_MIN_MS.
    expect(batches * 7.5).toBeGreaterThanOrEqual(TRIAL_MIN_MS - 10);
    expect(batches * 7.5).toBeLessThan(TRIAL_MIN_MS + 10);
    expect(trial.result!.pairs).toBe(Math.floor(batches / 2));
  });

  it('decides on what it has after TRIAL_MAX_BATCHES, one thread without a single pair', () => {
    const pool = fakePool(2, { single: 300, pooled: 100 });
    const trial = new ThreadTrial(pool);
    train(trial, pool, 1 + TRIAL_MAX_BATCHES, 'other');
    expect(trial.result).toEqual({ threads: 1, gain: 0, pairs: 0 });
    expect(pool.active).toBe(1);
  });

  it('tries again after RETRIAL_MS of compute, and follows a machine that got busy', () => {
    const times = { single: 300, pooled: 150 };
    const pool = fakePool(2, times);
    const trial = new ThreadTrial(pool);
    train(trial, pool, 1 + 2 * TRIAL_PAIRS);
    expect(trial.threads).toBe(2);
    // Another program takes the second core: pooled batches now take as long as one thread's.
    times.pooled = 290;
    train(trial, pool, Math.ceil(RETRIAL_MS / 290));
    expect(trial.threads).toBe(2); // still the first trial's choice
    train(trial, pool, 2 * TRIAL_PAIRS + 1);
    expect(trial.result?.threads).toBe(1);
    expect(pool.active).toBe(1);
  });

  it('does nothing for a pool of one thread', () => {
    const pool = fakePool(1, { single: 300, pooled: 300 });
    const trial = new ThreadTrial(pool);
    expect(trial.active).toBe(false);
    train(trial, pool, 20);
    expect(trial.result).toBeNull();
    expect(pool.uses).toEqual([1]);
  });

  it('maps trainBatch results to kinds, and takes medians', () => {
    expect(batchKind(BATCH.OK)).toBe('batch');
    expect(batchKind(BATCH.EPOCH_END)).toBe('epoch-end');
    expect(batchKind(BATCH.INTERRUPTED)).toBe('other');
    expect(batchKind(BATCH.DONE)).toBe('other');
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
