// A chart as a picture: the uPlot canvas drawn on the chart's own background with its title above and
// its legend below, as a PNG (for a download, the results zip and the printed report).

/** The figures of the charts on the page (CurveChart marks its figure with data-chart). */
export function chartFigures(root: ParentNode = document): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('figure[data-chart]'));
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/** The chart in `figure` drawn with its title and legend, or null when it has no canvas yet. */
export function chartCanvas(figure: HTMLElement): HTMLCanvasElement | null {
  const plot = figure.querySelector<HTMLCanvasElement>('canvas');
  if (!plot || plot.width === 0 || plot.height === 0) return null;
  // Device pixels per CSS pixel (uPlot sets the canvas's CSS width; it holds while the view is hidden).
  const scale =
    plot.width / Math.max(1, parseFloat(plot.style.width) || plot.clientWidth || plot.width);
  const pad = Math.round(12 * scale);
  const titleH = Math.round(28 * scale);
  const legendH = Math.round(26 * scale);
  const out = document.createElement('canvas');
  out.width = plot.width + 2 * pad;
  out.height = plot.height + titleH + legendH + 2 * pad;
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  const text = cssVar(figure, '--text', '#14202e');
  const font = cssVar(document.body, '--font', 'sans-serif');
  ctx.fillStyle = cssVar(figure, '--surface', '#ffffff');
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = text;
  ctx.textBaseline = 'middle';
  ctx.font = `600 ${Math.round(15 * scale)}px ${font}`;
  ctx.fillText(figure.dataset.title ?? '', pad, pad + titleH / 2);
  ctx.drawImage(plot, pad, pad + titleH);
  // The legend: each series' colour and dash, then its label.
  let x = pad;
  const y = pad + titleH + plot.height + legendH / 2;
  ctx.font = `${Math.round(13 * scale)}px ${font}`;
  for (const s of figure.querySelectorAll<HTMLElement>('[data-series]')) {
    ctx.strokeStyle = s.dataset.color ?? text;
    ctx.lineWidth = 2 * scale;
    ctx.setLineDash(s.dataset.dash ? [6 * scale, 3 * scale] : []);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 24 * scale, y);
    ctx.stroke();
    ctx.fillStyle = text;
    const label = s.dataset.series ?? '';
    ctx.fillText(label, x + 30 * scale, y);
    x += 30 * scale + ctx.measureText(label).width + 18 * scale;
  }
  return out;
}

/** The chart as PNG bytes, or null. */
export async function chartPng(figure: HTMLElement): Promise<Blob | null> {
  const c = chartCanvas(figure);
  if (!c) return null;
  return new Promise((resolve) => c.toBlob((b) => resolve(b), 'image/png'));
}

/** The chart as a PNG data URL (for an <img> in the printed report), or null. */
export function chartDataUrl(figure: HTMLElement): string | null {
  return chartCanvas(figure)?.toDataURL('image/png') ?? null;
}
