// Numbers for the page's readouts (bare, so tests and screen readers read them as numbers).

/** A number for a readout: bare, no units, a few significant digits; "" for NaN. */
export function formatMetric(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '' : String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}
