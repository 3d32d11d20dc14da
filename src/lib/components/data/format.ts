// Small pure helpers for the Data area's views.
import type { Histogram } from '../../../../workers/data/types.ts';

/** A number for a table cell: 4 significant digits, '' for NaN. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

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

export const DELIMITER_LABELS: Record<string, string> = {
  auto: 'Detect',
  ',': 'Comma (,)',
  ';': 'Semicolon (;)',
  '\t': 'Tab',
};
export const TYPE_LABELS: Record<string, string> = {
  numeric: 'number',
  categorical: 'category',
  boolean: 'yes/no',
  id: 'ID-like',
  constant: 'constant',
  text: 'free text',
};
export const TASK_LABELS: Record<string, string> = {
  binary: 'Binary classification',
  multiclass: 'Multi-class classification',
  regression: 'Regression (a number)',
};
