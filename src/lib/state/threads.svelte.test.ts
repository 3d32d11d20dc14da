import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadChoice } from '../../../workers/trainer/types.ts';
import { THREAD_CAP_KEY, ThreadStatus, capOptions, parseCap } from './threads.svelte.ts';

function choiceOf(best: number, cap: number | null): ThreadChoice {
  return {
    threads: Math.min(best, cap ?? best),
    best,
    cap,
    cores: 2,
    max: 2,
    gflops: [17, 26],
    measured: true,
    calibrationMs: 120,
    helperParts: [],
    helperBusyMs: [],
    kernel: '',
    trial: null,
    rules: { gain: 1.2, tolerance: 0.1, pays: 1.5 },
  };
}

/** A stand-in for the worker: calibrated to `best`, remembering the cap and every call. */
function fakeWorker(best = 2) {
  let cap: number | null = null;
  const calls: string[] = [];
  return {
    calls,
    api: {
      threads: async () => {
        calls.push('threads');
        return choiceOf(best, cap);
      },
      setCap: async (c: number | null) => {
        calls.push(`cap ${c}`);
        cap = c;
        return choiceOf(best, cap);
      },
    },
  };
}

const store = new Map<string, string>();
const fakeStorage = {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
  removeItem: (k: string) => void store.delete(k),
};
(globalThis as { localStorage?: unknown }).localStorage = fakeStorage;
afterEach(() => store.clear());

const now = () => Promise.resolve();

describe('thread status', () => {
  it('reads stored caps strictly', () => {
    expect(parseCap(null)).toBeNull();
    expect(parseCap('')).toBeNull();
    expect(parseCap('auto')).toBeNull();
    expect(parseCap('0')).toBeNull();
    expect(parseCap('-1')).toBeNull();
    expect(parseCap('1.5')).toBeNull();
    expect(parseCap('2')).toBe(2);
    expect(capOptions(2)).toEqual([1, 2]);
    expect(capOptions(4)).toEqual([1, 2, 3, 4]);
    expect(capOptions(0)).toEqual([1]);
  });

  it('shows the calibrated choice at start-up when no cap is stored', async () => {
    const w = fakeWorker(2);
    const s = new ThreadStatus(w.api, now);
    await s.start();
    expect(w.calls).toEqual(['threads']);
    expect(s.cap).toBeNull();
    expect(s.choice?.threads).toBe(2);
  });

  it('hands a stored cap to the worker at start-up', async () => {
    store.set(THREAD_CAP_KEY, '1');
    const w = fakeWorker(2);
    const s = new ThreadStatus(w.api, now);
    await s.start();
    expect(w.calls).toEqual(['cap 1']);
    expect(s.cap).toBe(1);
    expect(s.choice?.threads).toBe(1);
  });

  it('remembers a chosen cap and forgets it on Automatic', async () => {
    const w = fakeWorker(2);
    const s = new ThreadStatus(w.api, now);
    await s.start();
    await s.setCap(1);
    expect(store.get(THREAD_CAP_KEY)).toBe('1');
    expect(s.choice?.threads).toBe(1);
    await s.setCap(null);
    expect(store.has(THREAD_CAP_KEY)).toBe(false);
    expect(s.choice?.threads).toBe(2);
    expect(w.calls).toEqual(['threads', 'cap 1', 'cap null']);
  });

  it('keeps the latest answer when an older one arrives late, and says when the worker fails', async () => {
    let release: (c: ThreadChoice) => void = () => {};
    const slow = new Promise<ThreadChoice>((r) => (release = r));
    const s = new ThreadStatus({ threads: () => slow, setCap: async (c) => choiceOf(2, c) }, now);
    const refreshed = s.refresh();
    await s.setCap(1);
    release(choiceOf(2, null));
    await refreshed;
    expect(s.choice?.threads).toBe(1);

    const broken = new ThreadStatus(
      {
        threads: () => Promise.reject(new Error('crashed')),
        setCap: () => Promise.reject(new Error('crashed')),
      },
      now,
    );
    await broken.start();
    expect(broken.failed).toBe(true);
    expect(broken.choice).toBeNull();
  });

  it('shows the threads in use: the run’s after its trial, else the last trial’s, else the choice', async () => {
    let answer = choiceOf(2, null);
    const s = new ThreadStatus({ threads: async () => answer, setCap: async () => answer }, now);
    expect(s.inUse()).toBeNull(); // before the worker answers
    await s.start();
    expect(s.inUse()).toBe(2); // the calibration's choice
    expect(s.inUse(1)).toBe(1); // a run whose trial kept one thread
    answer = { ...answer, trial: { threads: 1, gain: 1.2, pairs: 3 } };
    await s.refresh();
    expect(s.inUse()).toBe(1); // the last run's trial, once no run reports
    expect(s.inUse(2)).toBe(2);
  });
});
