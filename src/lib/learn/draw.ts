// Canvas drawing for the maths panels: heatmaps of matrices, histograms and small line charts.
// The colour maths and the scales are pure and tested; the draw* functions only paint.
import type { Histogram } from '../../../workers/labs/types.ts';

export type RGB = [number, number, number];

const NEG: RGB = [209, 70, 31];
const POS: RGB = [31, 111, 209];
const MID: RGB = [236, 238, 242];

/** Diverging colour: negative values orange-red, positive blue, zero pale grey; |v| >= maxAbs saturates. */
export function divergingColor(v: number, maxAbs: number): RGB {
  if (!Number.isFinite(v)) return [0, 0, 0];
  const t = maxAbs > 0 ? Math.min(1, Math.abs(v) / maxAbs) : 0;
  const end = v < 0 ? NEG : POS;
  return [0, 1, 2].map((k) => Math.round(MID[k] + (end[k] - MID[k]) * t)) as RGB;
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m;
}

export interface Range {
  min: number;
  max: number;
}

/** Y range of several series; log scale uses only positive values. Never returns an empty range. */
export function seriesRange(series: ArrayLike<number>[], log: boolean): Range {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series)
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (!Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  if (min === Infinity) return log ? { min: 0.1, max: 1 } : { min: 0, max: 1 };
  if (min === max) return log ? { min: min / 2, max: max * 2 } : { min: min - 0.5, max: max + 0.5 };
  return { min, max };
}

/** Pixel y of value v in a plot of height h (top = max). */
export function yPixel(v: number, r: Range, h: number, log: boolean): number {
  const f = log
    ? (Math.log10(v) - Math.log10(r.min)) / (Math.log10(r.max) - Math.log10(r.min))
    : (v - r.min) / (r.max - r.min);
  return h - f * h;
}

function css(c: RGB): string {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** A (rows, cols) row-major matrix as coloured cells; `highlightCol` outlines one column (an example). */
export function drawHeatmap(
  ctx: CanvasRenderingContext2D,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  width: number,
  height: number,
  highlightCol: number | null = null,
): void {
  ctx.clearRect(0, 0, width, height);
  if (rows === 0 || cols === 0) return;
  const scale = maxAbs(values);
  const cw = width / cols;
  const ch = height / rows;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      ctx.fillStyle = css(divergingColor(values[r * cols + c], scale));
      ctx.fillRect(c * cw, r * ch, Math.ceil(cw), Math.ceil(ch));
    }
  if (highlightCol !== null && highlightCol >= 0 && highlightCol < cols) {
    ctx.strokeStyle = '#b35c00';
    ctx.lineWidth = 2;
    ctx.strokeRect(highlightCol * cw + 1, 1, Math.max(2, cw - 2), height - 2);
  }
}

/** Bars of a histogram, with the zero line when zero is inside the range. */
export function drawHistogram(
  ctx: CanvasRenderingContext2D,
  h: Histogram,
  width: number,
  height: number,
  color: string,
): void {
  ctx.clearRect(0, 0, width, height);
  const peak = Math.max(1, ...h.counts);
  const bw = width / h.counts.length;
  ctx.fillStyle = color;
  h.counts.forEach((c, i) => {
    const bh = (c / peak) * (height - 2);
    ctx.fillRect(i * bw + 0.5, height - bh, Math.max(1, bw - 1), bh);
  });
  if (h.min < 0 && h.max > 0) {
    const x = ((0 - h.min) / (h.max - h.min)) * width;
    ctx.strokeStyle = '#888';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, height);
    ctx.stroke();
  }
}

export interface Series {
  values: ArrayLike<number>;
  color: string;
  dashed?: boolean;
}

/** Line chart of several series over the same x (epochs). */
export function drawCurves(
  ctx: CanvasRenderingContext2D,
  series: Series[],
  width: number,
  height: number,
  log: boolean,
): Range {
  ctx.clearRect(0, 0, width, height);
  const r = seriesRange(
    series.map((s) => s.values),
    log,
  );
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const pad = 4;
  const h = height - 2 * pad;
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [5, 4] : []);
    ctx.beginPath();
    let started = false;
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (!Number.isFinite(v) || (log && v <= 0)) {
        started = false;
        continue;
      }
      const x = (i / (n - 1)) * width;
      const y = pad + yPixel(v, r, h, log);
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
  return r;
}

/** A fixed palette for the four lab variants. */
export const VARIANT_COLORS = ['#d1461f', '#8a5a00', '#1f6fd1', '#18794e'];
