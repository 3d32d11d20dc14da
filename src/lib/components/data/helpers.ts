// Small helpers for the Data area's views: histogram bars, file drags, and the area's words and
// numbers in the user's language.
import { DROP_REASONS, type DropReason, type Histogram } from '../../../../workers/data/types.ts';
import { TABLE_SAMPLES } from '../../../../workers/data/samples.ts';
import { i18n, t } from '../../i18n/i18n.svelte.ts';
import type { MessageKey } from '../../i18n/keys.ts';

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

/** A wide file's health table shows its first columns (and the target's row) until asked for all:
 *  tens or hundreds of rows, each with a type menu and a histogram, are slow to draw and to read. */
export const HEALTH_FIRST_ROWS = 12;
/** Up to this many columns the table always shows them all (hiding 1 to 4 rows would not pay). */
export const HEALTH_ALL_ROWS = 16;

/** The rows the health table shows: every column when asked or when there are few, otherwise the
 *  first HEALTH_FIRST_ROWS and the target's row wherever it is; `hidden` counts the others. */
export function healthRows<C extends { name: string }>(
  columns: readonly C[],
  showAll: boolean,
  target: string | null,
): { shown: C[]; hidden: number } {
  if (showAll || columns.length <= HEALTH_ALL_ROWS) return { shown: [...columns], hidden: 0 };
  const shown = columns.filter((c, i) => i < HEALTH_FIRST_ROWS || c.name === target);
  return { shown, hidden: columns.length - shown.length };
}

/** Files in a drag: true when the drag carries at least one file. */
export function dragHasFiles(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}

export { problemText } from '../../state/data-problem.ts';

/** Why a column is not a feature, in the user's language (recipes stored before the reason codes hold
 *  an English phrase, shown as it is). */
export function droppedReason(reason: string): string {
  return (DROP_REASONS as readonly string[]).includes(reason)
    ? t(`data.dropped.${reason as DropReason}`)
    : reason;
}

/** A statistic in a table cell: 4 significant digits in the locale's way ("3,142" in German), an
 *  exponent for very large or small values, '' for NaN. */
export function formatStat(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3))
    return i18n.number(v, { notation: 'scientific', maximumFractionDigits: 2 });
  return i18n.number(v, { maximumSignificantDigits: 4 });
}

const UNITS = ['kilobyte', 'megabyte', 'gigabyte'] as const;

/** Bytes with one decimal always (a progress line keeps its width): "1.5 MB", "150,3 MB". */
export function progressBytes(n: number): string {
  if (n < 1024) return i18n.number(n, { style: 'unit', unit: 'byte', unitDisplay: 'short' });
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return i18n.number(v, {
    style: 'unit',
    unit: UNITS[u],
    unitDisplay: 'short',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
}

/** A built-in sample's title, description or licence in the user's language. */
export function sampleText(id: string, part: 'title' | 'description' | 'licence'): string {
  const key = `data.sample.${id}.${part}` as MessageKey;
  const s = t(key);
  return s === key ? (TABLE_SAMPLES.find((x) => x.id === id)?.[part] ?? id) : s;
}
