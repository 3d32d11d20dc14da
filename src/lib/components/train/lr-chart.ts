// The range test's chart, view side: its series for uPlot, the suggested rate's vertical line and
// label, and the words that describe the chart to a screen reader (numbers in the page's language).
import type { LrRangeResult } from '../../../../workers/core/types.ts';
import { i18n, t } from '../../i18n/i18n.svelte.ts';

/** A rate, a loss: three significant digits in the page's language. */
export const short = (v: number): string => i18n.number(v, { maximumSignificantDigits: 3 });
/** A rate the form holds: as exact as the field ("0.041", "0.0125"), in the page's language. */
export const rate = (v: number): string => i18n.number(v, { maximumSignificantDigits: 6 });

/** uPlot's columns: learning rates (x) and the smoothed loss (y). */
export function lrSeries(r: LrRangeResult): [number[], number[]] {
  return [r.points.map((p) => p.lr), r.points.map((p) => p.loss)];
}

/** What the chart shows, in words: the rates tried, the lowest loss and the suggestion. */
export function lrSummary(r: LrRangeResult): string {
  const first = r.points[0]?.lr ?? 0;
  const last = r.points.at(-1)?.lr ?? 0;
  const range = { steps: r.steps, min: short(first), max: short(last) };
  if (r.suggested === null || r.minLr === null || r.minLoss === null)
    return t('train.lr.summaryNone', range);
  return t('train.lr.summary', {
    ...range,
    minLoss: short(r.minLoss),
    minLr: short(r.minLr),
    rate: rate(r.suggested),
  });
}

/** The plot's part of a uPlot instance the mark needs (device pixels). */
export interface MarkTarget {
  ctx: CanvasRenderingContext2D;
  bbox: { left: number; top: number; width: number; height: number };
  valToPos(v: number, scale: string, canvasPixels: boolean): number;
}

/** How the mark looks: its colour, the label's background and font, device pixels per CSS pixel. */
export interface MarkStyle {
  color: string;
  background: string;
  font: string;
  scale: number;
}

/** Draws a dashed vertical line at learning rate `at` across the plot, labelled `label` at its top
 * (on the side with room, on the chart's background so the curve never hides it). */
export function drawMark(u: MarkTarget, at: number, label: string, style: MarkStyle): void {
  const { color, background, font, scale } = style;
  const { ctx, bbox } = u;
  const x = Math.round(u.valToPos(at, 'x', true));
  if (!(x >= bbox.left && x <= bbox.left + bbox.width)) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * scale;
  ctx.setLineDash([5 * scale, 4 * scale]);
  ctx.beginPath();
  ctx.moveTo(x, bbox.top);
  ctx.lineTo(x, bbox.top + bbox.height);
  ctx.stroke();
  ctx.font = `600 ${Math.round(12 * scale)}px ${font}`;
  ctx.textBaseline = 'top';
  const w = ctx.measureText(label).width;
  const gap = 4 * scale;
  const right = x + gap + w <= bbox.left + bbox.width;
  const left = right ? x + gap : Math.max(bbox.left, x - gap - w);
  const size = 12 * scale;
  ctx.fillStyle = background;
  ctx.fillRect(left - gap / 2, bbox.top + gap / 2, w + gap, size + gap);
  ctx.fillStyle = color;
  ctx.textAlign = 'left';
  ctx.fillText(label, left, bbox.top + gap);
  ctx.restore();
}
