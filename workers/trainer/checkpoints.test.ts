// When the trainer hands over checkpoints: the clock on its own, then a session's run with pause,
// step, resume and stop.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckpointClock } from './checkpoints.ts';
import { TrainerSession } from './session.ts';
import { createRng } from '../core/rng.ts';
import type { PreparedDataset } from '../data/prepared.ts';
import type { TrainConfig } from '../core/types.ts';
import type { TrainerSnapshot } from './types.ts';

const snap = (n: number) => ({ step: n }) as unknown as TrainerSnapshot;

describe('CheckpointClock', () => {
  afterEach(() => vi.useRealTimers());

  it('hands one over per 2 s of training, at least 2 s apart, whatever is asked', () => {
    const got: number[] = [];
    let n = 0;
    const clock = new CheckpointClock(
      (s) => void got.push(s.step),
      () => snap(++n),
      500,
    );
    expect(clock.everyMs).toBe(2000);
    clock.trained(1500, 10);
    expect(got).toEqual([]);
    clock.trained(600, 20);
    expect(got).toEqual([1]);
    clock.trained(1999, 30);
    expect(got).toEqual([1]);
    clock.trained(1, 31);
    expect(got).toEqual([1, 2]);
  });

  it('waits longer between checkpoints that are costly to make', () => {
    const got: number[] = [];
    let t = 0;
    let n = 0;
    const clock = new CheckpointClock(
      (s) => void got.push(s.step),
      () => {
        t += 100; // each snapshot takes 100 ms
        return snap(++n);
      },
      2000,
      0,
      () => t,
    );
    expect(clock.intervalMs).toBe(2000);
    clock.trained(2000, 10);
    expect(got).toEqual([1]);
    // 100 ms to make: the next one after 50 x 100 ms = 5 s of training.
    expect(clock.intervalMs).toBe(5000);
    clock.trained(4999, 20);
    expect(got).toEqual([1]);
    clock.trained(1, 21);
    expect(got).toEqual([1, 2]);
  });

  it('at a pause only when something was trained since the last one', () => {
    const got: number[] = [];
    const clock = new CheckpointClock(
      (s) => void got.push(s.step),
      () => snap(got.length),
      2000,
      7,
    );
    clock.paused(7); // nothing new since the start
    expect(got).toHaveLength(0);
    clock.paused(8);
    clock.paused(8); // still paused, nothing new
    expect(got).toHaveLength(1);
    clock.trained(2500, 9); // a periodic one counts as the last
    clock.paused(9);
    expect(got).toHaveLength(2);
  });

  it('the last one is awaited, but not forever, and a failing listener stops nothing', async () => {
    let resolved = false;
    const slow = new CheckpointClock(
      () => new Promise<void>((r) => setTimeout(() => ((resolved = true), r()), 50)),
      () => snap(1),
    );
    await slow.ended(1);
    expect(resolved).toBe(true);

    vi.useFakeTimers();
    const never = new CheckpointClock(
      () => new Promise<void>(() => {}),
      () => snap(1),
    );
    const end = never.ended(1);
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(end).resolves.toBeUndefined();
    vi.useRealTimers();

    const throwing = new CheckpointClock(
      () => {
        throw new Error('disk full');
      },
      () => snap(1),
    );
    expect(() => throwing.trained(5000, 3)).not.toThrow();
    const rejecting = new CheckpointClock(
      () => Promise.reject(new Error('quota')),
      () => snap(1),
    );
    await expect(rejecting.ended(3)).resolves.toBeUndefined();
  });
});

function dataset(): PreparedDataset {
  const r = createRng(2);
  const m = 200;
  const x = new Float32Array(2 * m).map(() => r.gaussian());
  const y = new Float32Array(m).map((_, j) => (x[j] > x[m + j] ? 1 : 0));
  const none = { m: 0, x: new Float32Array(0), y: new Float32Array(0) };
  return {
    task: 'binary',
    targetName: 'y',
    featureNames: ['a', 'b'],
    classLabels: ['0', '1'],
    targetScale: null,
    train: { m, x, y },
    dev: none,
    test: none,
  };
}

const config: TrainConfig = {
  hidden: [{ units: 4, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 10,
  epochs: 100000,
  lambda: 0,
  seed: 1,
  beta1: 0.9,
  beta2: 0.999,
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 2000 && !cond(); i++) await sleep(5);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('a session hands over checkpoints', () => {
  it('at a pause after training, never while paused with nothing new, and at the end before the summary', async () => {
    const s = new TrainerSession();
    s.load(dataset());
    await s.prepare(config, { kernels: 'ts' });
    const events: string[] = [];
    const got: TrainerSnapshot[] = [];
    s.pause();
    const done = s
      .start(undefined, {
        // no periodic checkpoint during this test: only pauses and the end
        checkpointEveryMs: 1e9,
        onCheckpoint: (x) => {
          got.push(x);
          events.push(`checkpoint ${x.state}`);
        },
      })
      .then((summary) => {
        events.push(`summary ${summary.state}`);
        return summary;
      });
    await until(() => s.state === 'paused', 'the paused start');
    await sleep(600); // two wake-ups of the paused loop
    expect(got).toHaveLength(0); // paused from the start: nothing new

    s.step('batch');
    await until(() => got.length === 1, 'the checkpoint after one batch');
    expect(got[0]).toMatchObject({ state: 'paused', epoch: 0, step: 1 });
    expect(got[0].resume).toMatchObject({ epoch: 0, batch: 1 });
    await sleep(600);
    expect(got).toHaveLength(1);

    s.resume();
    await until(() => s.poll().epoch >= 2, 'two epochs');
    expect(got).toHaveLength(1); // no periodic one asked for
    s.pause();
    await until(() => got.length === 2, 'the checkpoint at the pause');
    expect(got[1].state).toBe('paused');
    expect(got[1].epoch).toBeGreaterThanOrEqual(2);
    await sleep(600);
    expect(got).toHaveLength(2);

    s.stop();
    const summary = await done;
    expect(summary.state).toBe('stopped');
    expect(got).toHaveLength(3);
    expect(got[2]).toMatchObject({ state: 'stopped', epoch: got[1].epoch, step: got[1].step });
    expect(events.slice(-2)).toEqual(['checkpoint stopped', 'summary stopped']);
  });

  it('every 2 s of training while it runs (the session clock)', async () => {
    let t = 0;
    const s = new TrainerSession({
      now: () => (t += 0.5),
      yieldToEvents: () => new Promise<void>((r) => setImmediate(r)),
      waitFor: () => sleep(5),
    });
    s.load(dataset());
    await s.prepare(config, { kernels: 'ts' });
    const got: { state: string; at: number }[] = [];
    const done = s.start(undefined, {
      onCheckpoint: (x) => void got.push({ state: x.state, at: t }),
    });
    await until(() => got.length >= 4, 'four periodic checkpoints');
    s.stop();
    await done;
    const periodic = got.filter((g) => g.state === 'running');
    expect(periodic.length).toBeGreaterThanOrEqual(4);
    // The clock moves only while the loop trains: 2000 ms of it between two checkpoints, give or take a slice.
    for (let i = 1; i < periodic.length; i++) {
      const gap = periodic[i].at - periodic[i - 1].at;
      expect(gap).toBeGreaterThanOrEqual(2000);
      expect(gap).toBeLessThan(2000 + 100);
    }
    expect(got.at(-1)!.state).toBe('stopped');
  });
});
