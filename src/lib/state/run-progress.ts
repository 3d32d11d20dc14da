// How far a run is and how long it still needs: epochs done of the total, and the time left estimated
// from the time per epoch so far (the worker's own clock, which stops while the run is paused).
import type { EpochMetrics, TrainingState } from '../../../workers/core/types.ts';

export interface RunProgress {
  /** Epochs finished. */
  done: number;
  total: number;
  /** 0..1 */
  fraction: number;
  /** Estimated seconds left, or null while there is nothing to estimate from (or nothing left). */
  secondsLeft: number | null;
}

/** Progress of a run with `total` epochs whose last finished epoch is `latest` (null before one). */
export function runProgress(
  latest: Pick<EpochMetrics, 'epoch' | 'elapsedMs'> | null,
  total: number,
  state: TrainingState,
  /** Where the timing starts: the start of the run, or the first epoch seen of a run resumed from a
   * checkpoint (whose clock may not start at zero). */
  since: Pick<EpochMetrics, 'epoch' | 'elapsedMs'> = { epoch: 0, elapsedMs: 0 },
): RunProgress | null {
  if (!(total > 0)) return null;
  const done = Math.min(total, Math.max(0, latest?.epoch ?? 0));
  const epochs = done - since.epoch;
  const ms = (latest?.elapsedMs ?? 0) - since.elapsedMs;
  const running = state === 'running' || state === 'paused';
  let secondsLeft: number | null = null;
  if (running && epochs > 0 && done < total && ms > 0)
    secondsLeft = ((ms / epochs) * (total - done)) / 1000;
  return { done, total, fraction: done / total, secondsLeft };
}

/** A duration for people: whole seconds under two minutes, else minutes, else hours (unit and value,
 * to format with Intl in the user's language). */
export function roundDuration(seconds: number): {
  value: number;
  unit: 'second' | 'minute' | 'hour';
} {
  if (seconds < 120) return { value: Math.max(1, Math.ceil(seconds)), unit: 'second' };
  if (seconds < 120 * 60) return { value: Math.ceil(seconds / 60), unit: 'minute' };
  return { value: Math.round((seconds / 3600) * 10) / 10, unit: 'hour' };
}
