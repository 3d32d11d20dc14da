import { describe, expect, it } from 'vitest';
import { roundDuration, runProgress } from './run-progress.ts';

describe('runProgress', () => {
  it('counts epochs done of the total and estimates the time left from the time per epoch', () => {
    const p = runProgress({ epoch: 50, elapsedMs: 10_000 }, 200, 'running');
    expect(p).toEqual({ done: 50, total: 200, fraction: 0.25, secondsLeft: 30 });
  });

  it('estimates nothing before the first epoch, after the end, or when the run is not going', () => {
    expect(runProgress(null, 100, 'running')).toEqual({
      done: 0,
      total: 100,
      fraction: 0,
      secondsLeft: null,
    });
    expect(runProgress({ epoch: 100, elapsedMs: 5000 }, 100, 'done')?.secondsLeft).toBeNull();
    expect(runProgress({ epoch: 40, elapsedMs: 5000 }, 100, 'stopped')?.secondsLeft).toBeNull();
    expect(runProgress({ epoch: 3, elapsedMs: 5000 }, 0, 'running')).toBeNull();
  });

  it('times a resumed run from the first epoch seen of it', () => {
    const since = { epoch: 50, elapsedMs: 30_000 };
    expect(runProgress({ epoch: 60, elapsedMs: 32_000 }, 100, 'paused', since)?.secondsLeft).toBe(
      8,
    );
    expect(runProgress(since, 100, 'running', since)?.secondsLeft).toBeNull();
  });

  it('never shows more epochs done than the total', () => {
    expect(runProgress({ epoch: 120, elapsedMs: 1 }, 100, 'done')?.fraction).toBe(1);
  });
});

describe('roundDuration', () => {
  it('rounds up to whole seconds, then minutes, then tenths of hours', () => {
    expect(roundDuration(0.2)).toEqual({ value: 1, unit: 'second' });
    expect(roundDuration(12.1)).toEqual({ value: 13, unit: 'second' });
    expect(roundDuration(600)).toEqual({ value: 10, unit: 'minute' });
    expect(roundDuration(3 * 3600)).toEqual({ value: 3, unit: 'hour' });
  });
});
