// The progress reader with a stand-in for the shared memory and the worker: it reports only what
// moved, reads new history rows from where the session is, sends a pending step once the run is
// paused, throttles polls and drops the stale ones, and runs its loop on animation frames.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EpochMetrics, TrainingState } from '../../../workers/core/types.ts';
import type { TrainerView } from '../engine/trainer-view.ts';
import { ProgressReader, type Progress } from './progress-reader.ts';

const row = (epoch: number): EpochMetrics => ({
  epoch,
  trainLoss: 1 / epoch,
  devLoss: 1 / epoch,
  trainAccuracy: 0.5,
  devAccuracy: 0.5,
  trainRmse: NaN,
  devRmse: NaN,
  examplesPerSecond: 1,
  elapsedMs: epoch,
});

/** What a TrainerView shows, as plain fields a test can move. */
function fakeView(shared = true) {
  const rows: EpochMetrics[] = [];
  const steps: string[] = [];
  const v = {
    shared,
    state: 'running' as TrainingState,
    epoch: 0,
    batchInEpoch: 0,
    paramsVersion: 0,
    threads: 0,
    get historyLength() {
      return rows.length;
    },
    history: (from = 0) => rows.slice(from),
    step: (kind: string) => void steps.push(kind),
  };
  return { v, rows, steps, view: v as unknown as TrainerView };
}

function reader(over: Partial<ConstructorParameters<typeof ProgressReader>[0]> = {}) {
  const seen: Progress[] = [];
  let known = 0;
  const r = new ProgressReader({
    onProgress: (p) => {
      seen.push(p);
      known += p.rows.length;
    },
    rowsKnown: () => known,
    keepGoing: () => true,
    poll: () => Promise.reject(new Error('no worker')),
    runToken: () => 1,
    reportEveryMs: 0,
    afterFrame: (fn) => fn(),
    ...over,
  });
  return { r, seen };
}

afterEach(() => vi.unstubAllGlobals());

describe('ProgressReader on shared memory', () => {
  it('reports a run that only moves on at most every reportEveryMs, a change of state at once, and the rows it held back with the next report', () => {
    let t = 0;
    const { v, rows, view } = fakeView();
    const { r, seen } = reader({ reportEveryMs: 33, now: () => t });
    r.attach(view);
    r.refresh(false);
    expect(seen).toHaveLength(1);
    for (let frame = 1; frame <= 6; frame++) {
      t = frame * 17;
      v.batchInEpoch = frame;
      if (frame === 3) rows.push(row(1));
      r.refresh(false);
    }
    // Six frames about 60 Hz apart: reports at 34, 68 and 102 ms, not at every frame.
    expect(seen.map((p) => p.step)).toEqual([0, 2, 4, 6]);
    expect(seen.flatMap((p) => p.rows.map((x) => x.epoch))).toEqual([1]);
    t += 1;
    v.state = 'paused';
    v.threads = 2; // the run's thread trial kept the pool
    r.refresh(false);
    expect(seen.at(-1)?.state).toBe('paused');
    expect(seen.at(-1)?.threads).toBe(2);
  });

  it('reports only when something moved, with the rows the session does not have yet', () => {
    const { r, seen } = reader();
    const { v, rows, view } = fakeView();
    r.attach(view);
    r.refresh(false);
    expect(seen).toHaveLength(1);
    r.refresh(false);
    expect(seen).toHaveLength(1); // nothing moved
    v.batchInEpoch = 3;
    r.refresh(false);
    expect(seen.at(-1)).toEqual({ state: 'running', epoch: 0, step: 3, rows: [], threads: 0 });
    rows.push(row(1), row(2));
    v.epoch = 2;
    r.refresh(false);
    expect(seen.at(-1)!.rows.map((x) => x.epoch)).toEqual([1, 2]);
    rows.push(row(3));
    r.refresh(false);
    expect(seen.at(-1)!.rows.map((x) => x.epoch)).toEqual([3]);
    v.paramsVersion++;
    r.refresh(false);
    expect(seen).toHaveLength(5);
    r.refresh(true);
    expect(seen).toHaveLength(6); // forced
  });

  it('sends a step asked for from idle once the run is paused, once', () => {
    const { r } = reader();
    const { v, steps, view } = fakeView();
    r.attach(view);
    r.stepWhenPaused('epoch');
    r.refresh(false);
    expect(steps).toEqual([]);
    v.state = 'paused';
    r.refresh(false);
    r.refresh(true);
    expect(steps).toEqual(['epoch']);
    r.stepWhenPaused('batch');
    r.attach(view); // a new run forgets it
    r.refresh(true);
    expect(steps).toEqual(['epoch']);
  });

  it('reads once per animation frame while keepGoing() holds', () => {
    const frames: Array<() => void> = [];
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => frames.push(f));
    vi.stubGlobal('cancelAnimationFrame', () => frames.splice(0));
    let going = true;
    const { r, seen } = reader({ keepGoing: () => going });
    const { v, view } = fakeView();
    r.attach(view);
    r.start();
    r.start(); // one loop only
    expect(frames).toHaveLength(1);
    frames.shift()!();
    v.epoch = 1;
    frames.shift()!();
    expect(seen.map((p) => p.epoch)).toEqual([0, 1]);
    going = false;
    frames.shift()!();
    expect(frames).toHaveLength(0);
    r.start();
    r.stop();
    expect(frames).toHaveLength(0);
  });

  it("reads in a task of its own after the frame, not in the frame's callback; stop() drops a read that waits", () => {
    const frames: Array<() => void> = [];
    const tasks: Array<() => void> = [];
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => frames.push(f));
    vi.stubGlobal('cancelAnimationFrame', () => frames.splice(0));
    const { r, seen } = reader({ afterFrame: (fn) => tasks.push(fn) });
    const { v, view } = fakeView();
    r.attach(view);
    r.start();
    frames.shift()!();
    expect(seen).toHaveLength(0);
    expect(tasks).toHaveLength(1);
    r.start(); // still one loop while its read waits
    expect(frames).toHaveLength(0);
    tasks.shift()!();
    expect(seen.map((p) => p.epoch)).toEqual([0]);
    expect(frames).toHaveLength(1);
    v.epoch = 1;
    frames.shift()!();
    r.stop();
    tasks.shift()!();
    expect(seen).toHaveLength(1);
    expect(frames).toHaveLength(0);
  });
});

describe('ProgressReader without shared memory', () => {
  it('polls the worker, at most every pollMs, and drops an answer from an ended run', async () => {
    let token: number | null = 1;
    const answers: Array<(p: unknown) => void> = [];
    const poll = vi.fn(
      () =>
        new Promise<{ state: TrainingState; epoch: number; step: number; history: EpochMetrics[] }>(
          (resolve) => answers.push(resolve as (p: unknown) => void),
        ),
    );
    const { r, seen } = reader({ poll, runToken: () => token, pollMs: 1e9 });
    r.attach(fakeView(false).view);
    r.refresh(false);
    r.refresh(false); // one poll in flight at a time
    expect(poll).toHaveBeenCalledTimes(1);
    answers[0]({ state: 'paused', epoch: 2, step: 1, history: [row(1), row(2)] });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({ state: 'paused', epoch: 2, step: 1 });
    expect(seen[0].rows.map((x) => x.epoch)).toEqual([1, 2]);
    r.refresh(false);
    expect(poll).toHaveBeenCalledTimes(1); // within pollMs
    const { r: r2, seen: seen2 } = reader({ poll, runToken: () => token, pollMs: 0 });
    r2.attach(fakeView(false).view);
    r2.refresh(false);
    token = null; // the run ended before the answer came
    answers[1]({ state: 'running', epoch: 3, step: 0, history: [] });
    await new Promise((res) => setTimeout(res, 0));
    expect(seen2).toHaveLength(0);
  });
});
