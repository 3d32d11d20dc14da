// The curves' data: one growing column per series, appended from the per-epoch history in shared
// memory. Plain arrays (uPlot reads them as they are); values that a log scale cannot show become gaps.
import type { EpochMetrics, Task } from '../../../workers/core/types.ts';

export type Series = (number | null)[];

export class Curves {
  epoch: number[] = [];
  trainLoss: Series = [];
  devLoss: Series = [];
  /** Accuracy (classification) or RMSE in the target's units (regression). */
  trainScore: Series = [];
  devScore: Series = [];
  task: Task = 'binary';
  /** Bumped on every change, so views know when to redraw. */
  version = 0;

  get length(): number {
    return this.epoch.length;
  }

  clear(task: Task = this.task): void {
    this.epoch = [];
    this.trainLoss = [];
    this.devLoss = [];
    this.trainScore = [];
    this.devScore = [];
    this.task = task;
    this.version++;
  }

  append(rows: readonly EpochMetrics[]): void {
    if (rows.length === 0) return;
    const reg = this.task === 'regression';
    for (const r of rows) {
      this.epoch.push(r.epoch);
      this.trainLoss.push(positive(r.trainLoss));
      this.devLoss.push(positive(r.devLoss));
      this.trainScore.push(finite(reg ? r.trainRmse : r.trainAccuracy));
      this.devScore.push(finite(reg ? r.devRmse : r.devAccuracy));
    }
    this.version++;
  }

  /** Data for the loss chart: [epoch, train, dev]. */
  lossData(): [number[], Series, Series] {
    return [this.epoch, this.trainLoss, this.devLoss];
  }

  scoreData(): [number[], Series, Series] {
    return [this.epoch, this.trainScore, this.devScore];
  }
}

/** A value a log scale can draw, else a gap. */
export function positive(v: number): number | null {
  return Number.isFinite(v) && v > 0 ? v : null;
}

export function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
