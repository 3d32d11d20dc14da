// Curves of 2 to 4 runs on one chart: one shared epoch axis, a series per run and metric, gaps as null.
import type { EpochMetrics } from '../../../workers/core/types.ts';

export type OverlayMetric =
  'trainLoss' | 'devLoss' | 'trainAccuracy' | 'devAccuracy' | 'trainRmse' | 'devRmse';

export const OVERLAY_METRICS: ReadonlyArray<{ key: OverlayMetric; label: string; log: boolean }> = [
  { key: 'trainLoss', label: 'Training loss', log: true },
  { key: 'devLoss', label: 'Dev loss', log: true },
  { key: 'trainAccuracy', label: 'Training accuracy', log: false },
  { key: 'devAccuracy', label: 'Dev accuracy', log: false },
  { key: 'trainRmse', label: 'Training RMSE', log: false },
  { key: 'devRmse', label: 'Dev RMSE', log: false },
];

export const MIN_OVERLAY = 2;
export const MAX_OVERLAY = 4;

/** uPlot-shaped data: [epochs, ...one series per run]; NaN and non-positive values on a log axis become null. */
export function overlayData(
  runs: ReadonlyArray<{ history: readonly EpochMetrics[] }>,
  metric: OverlayMetric,
  log: boolean,
): Array<Array<number | null>> {
  const epochs = new Set<number>();
  for (const r of runs) for (const h of r.history) epochs.add(h.epoch);
  const xs = [...epochs].sort((a, b) => a - b);
  const index = new Map(xs.map((e, i) => [e, i]));
  const series = runs.map((r) => {
    const ys: Array<number | null> = new Array<number | null>(xs.length).fill(null);
    for (const h of r.history) {
      const v = h[metric];
      ys[index.get(h.epoch) as number] = Number.isFinite(v) && (!log || v > 0) ? v : null;
    }
    return ys;
  });
  return [xs, ...series];
}

/** True when a metric has at least one value in one of the runs (accuracy is NaN for regression, say). */
export function hasMetric(
  runs: ReadonlyArray<{ history: readonly EpochMetrics[] }>,
  metric: OverlayMetric,
): boolean {
  return runs.some((r) => r.history.some((h) => Number.isFinite(h[metric])));
}
