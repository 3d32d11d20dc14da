// Small pure helpers for the Data area's views: histogram bars, file drags (words and numbers are in
// state/format.ts).
import type { Histogram } from '../../../../workers/data/types.ts';

/** Bars of a histogram as SVG rectangles in a width x height box. */
export function histogramBars(
  h: Histogram,
  width: number,
  height: number,
): Array<{ x: number; y: number; w: number; h: number }> {
  const max = Math.max(1, ...h.counts);
  const w = width / h.counts.length;
  return h.counts.map((c, i) => {
    const bh = c === 0 ? 0 : Math.max(1, (c / max) * height);
    return { x: i * w, y: height - bh, w: Math.max(0.5, w - 1), h: bh };
  });
}

/** Files in a drag: true when the drag carries at least one file. */
export function dragHasFiles(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}
