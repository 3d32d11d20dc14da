// Numbers for people: readouts, table cells, one-line summaries, byte counts, build stamps. Pure;
// the views and the state classes share them.

/** A number for a readout: bare, no units, a few significant digits; "" for NaN. */
export function formatMetric(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '' : String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** A number for a table cell: 4 significant digits, '' for NaN. */
export function formatCell(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** A value in a one-line summary: 3 decimals (an exponent below 0.01), '–' when there is none. */
export function formatBrief(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) < 0.01 && v !== 0 ? v.toExponential(2) : v.toFixed(3);
}

/** Bytes in binary units: "512 B", "1.5 KB", "20 MB"; '?' for nonsense. Without `decimals`, one
 * decimal below 10 and none above; with it, always that many (a progress line keeps its width). */
export function formatBytes(n: number, decimals?: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = decimals ?? (v < 10 ? 1 : 0);
  return `${v.toFixed(digits)} ${units[i]}`;
}

/** A build stamp as people read it: an ISO date becomes "2026-11-25 15:29 UTC"; anything else as is. */
export function formatVersion(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/.exec(v);
  return m ? `${m[1]} ${m[2]} UTC` : v;
}
