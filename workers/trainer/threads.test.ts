import { describe, expect, it } from 'vitest';
import {
  CALIBRATION_GAIN,
  MAX_THREADS,
  ThreadManager,
  maxThreads,
  normalizeCap,
  pickThreads,
  threadsInUse,
  type Calibration,
} from './threads.ts';

describe('pickThreads: the fewest threads within 10 % of the fastest, if they pay', () => {
  it('picks 2 on two idle cores (26 vs 17 GFLOP/s)', () => {
    expect(pickThreads([17, 26])).toBe(2);
  });

  it('stays on one thread when the pool does not beat it by the gain', () => {
    expect(pickThreads([20, 20 * CALIBRATION_GAIN * 0.99])).toBe(1);
    expect(pickThreads([20, 20 * CALIBRATION_GAIN])).toBe(2);
    // A busy machine: the pool is slower than one thread.
    expect(pickThreads([20, 12, 9])).toBe(1);
  });

  it('prefers fewer threads when more are barely faster', () => {
    // 3 threads within 10 % of 4: take 3.
    expect(pickThreads([10, 18, 25, 26])).toBe(3);
    // 4 clearly faster than the rest.
    expect(pickThreads([10, 18, 25, 40])).toBe(4);
    // 2 within 10 % of the fastest (3).
    expect(pickThreads([10, 19, 20])).toBe(2);
  });

  it('answers 1 for nothing measured or nonsense', () => {
    expect(pickThreads([])).toBe(1);
    expect(pickThreads([0, 30])).toBe(1);
    expect(pickThreads([10, Infinity])).toBe(1);
    expect(pickThreads([10, NaN])).toBe(1);
    expect(pickThreads([25])).toBe(1);
  });
});

describe('limits and the cap', () => {
  it('tries one thread per core, at most MAX_THREADS, one where helpers cannot start', () => {
    expect(maxThreads(2, true)).toBe(2);
    expect(maxThreads(1, true)).toBe(1);
    expect(maxThreads(16, true)).toBe(MAX_THREADS);
    expect(maxThreads(8, false)).toBe(1);
    expect(maxThreads(0, true)).toBe(1);
  });

  it('applies the cap below the choice, never above it or the maximum', () => {
    expect(threadsInUse(2, null, 2)).toBe(2);
    expect(threadsInUse(2, 1, 2)).toBe(1);
    expect(threadsInUse(2, 4, 2)).toBe(2);
    expect(threadsInUse(4, 3, 4)).toBe(3);
    expect(threadsInUse(1, 3, 4)).toBe(1);
    expect(threadsInUse(3, null, 2)).toBe(2);
  });

  it('normalizes caps from the page', () => {
    expect(normalizeCap(null)).toBeNull();
    expect(normalizeCap(undefined)).toBeNull();
    expect(normalizeCap(NaN)).toBeNull();
    expect(normalizeCap(0)).toBe(1);
    expect(normalizeCap(2.7)).toBe(2);
  });
});

describe('ThreadManager', () => {
  const measuring = (result: Calibration | Error) => {
    const calls: number[] = [];
    const measure = async (threads: number) => {
      calls.push(threads);
      await new Promise((r) => setTimeout(r, 1));
      if (result instanceof Error) throw result;
      return result;
    };
    return { calls, measure };
  };

  it('calibrates once, lazily, with every core up to the maximum', async () => {
    const { calls, measure } = measuring({ gflops: [17, 26], best: 2 });
    const m = new ThreadManager(2, true, measure);
    expect(calls).toEqual([]);
    expect(m.threads).toBe(1); // before the measurement
    const [a, b] = await Promise.all([m.helpers(), m.helpers()]);
    expect([a, b]).toEqual([1, 1]);
    await m.calibrate();
    expect(calls).toEqual([2]);
    expect(m.gflops(1)).toBe(17);
    expect(m.gflops(2)).toBe(26);
    expect(m.gflops(3)).toBe(0);
    const c = m.choice();
    expect(c).toMatchObject({
      threads: 2,
      best: 2,
      cap: null,
      cores: 2,
      max: 2,
      gflops: [17, 26],
      measured: true,
      helperParts: [],
      kernel: '',
    });
  });

  it('caps the helpers from the next run, and lifts the cap', async () => {
    const { measure } = measuring({ gflops: [10, 18, 25, 26], best: 3 });
    const m = new ThreadManager(8, true, measure);
    expect(await m.helpers()).toBe(2);
    m.setCap(1);
    expect(await m.helpers()).toBe(0);
    expect(m.choice().cap).toBe(1);
    m.setCap(2);
    expect(await m.helpers()).toBe(1);
    m.setCap(null);
    expect(await m.helpers()).toBe(2);
  });

  it('falls back to one thread when the calibration fails, and reports it unmeasured', async () => {
    const { measure } = measuring(new Error('no shared memory'));
    const m = new ThreadManager(4, true, measure);
    expect(await m.helpers()).toBe(0);
    expect(m.choice()).toMatchObject({ threads: 1, measured: false, gflops: [] });
  });

  it('carries the prepared run’s kernels, helper counters and thread trial', async () => {
    const { measure } = measuring({ gflops: [17, 26], best: 2 });
    const m = new ThreadManager(2, true, measure);
    await m.calibrate();
    const trial = { threads: 1, gain: 1.2, pairs: 3 };
    const c = m.choice({
      kernel: 'wasm-relaxed-x2+simd-act',
      stats: { parts: [5], busyMs: [3] },
      trial,
    });
    expect(c.kernel).toBe('wasm-relaxed-x2+simd-act');
    expect(c.helperParts).toEqual([5]);
    expect(c.helperBusyMs).toEqual([3]);
    expect(c.trial).toEqual(trial);
    expect(c.trial).not.toBe(trial);
    expect(m.choice().trial).toBeNull();
  });
});
