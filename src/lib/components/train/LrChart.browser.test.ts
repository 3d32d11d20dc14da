// The range test's chart in Chromium: the curve on a canvas, the suggested rate as a vertical line
// where that rate sits on the log axis (further right for a higher rate, absent when there is none),
// and a description in words with the numbers in the page's language.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import { loadUplot } from '../plot.ts';
import LrChart from './LrChart.svelte';
import { i18n } from '../../i18n/i18n.svelte.ts';
import type { LrRangeResult } from '../../../../workers/core/types.ts';

/** A range test's curve over 1e-6 .. 1: falls to its minimum at 0.1, then climbs. */
function result(suggested: number | null): LrRangeResult {
  const points = Array.from({ length: 61 }, (_, i) => {
    const lr = 1e-6 * Math.pow(10, i / 10);
    const d = Math.log10(lr) + 1;
    return { lr, loss: suggested === null ? 0.69 + 0.001 * (i % 2) : 0.2 + 0.05 * d * d };
  });
  return {
    optimizer: 'adam',
    points,
    suggested,
    minLr: suggested === null ? null : 0.1,
    minLoss: suggested === null ? null : 0.2,
    steps: points.length,
  };
}

let app: ReturnType<typeof mount> | null = null;
let host: HTMLDivElement | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  host?.remove();
});

beforeAll(() => i18n.use('en', false));

/** Mounts the chart and waits for uPlot (loaded on first use) and its first drawing (it commits after
 *  the current task). */
async function render(r: LrRangeResult): Promise<HTMLElement> {
  host = document.createElement('div');
  // Colours the test can find on the canvas: the curve green, the mark magenta.
  host.style.cssText = 'width: 480px; --pos: #00a000; --neg: #ff00ff;';
  document.body.append(host);
  app = mount(LrChart, { target: host, props: { result: r } });
  flushSync();
  await loadUplot();
  await new Promise(requestAnimationFrame);
  return host;
}

/** Canvas columns (in CSS pixels from the left) where an eighth of the height or more is the mark's colour. */
function markColumns(root: HTMLElement): number[] {
  const canvas = root.querySelector('canvas')!;
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const px = ctx.getImageData(0, 0, width, height).data;
  const cols: number[] = [];
  for (let x = 0; x < width; x++) {
    let n = 0;
    for (let y = 0; y < height; y++) {
      const i = (y * width + x) * 4;
      if (px[i] > 200 && px[i + 1] < 80 && px[i + 2] > 200) n++;
    }
    if (n > height / 8) cols.push(x / (width / canvas.clientWidth));
  }
  return cols;
}

describe('the learning-rate chart', () => {
  it('draws the curve and marks the suggested rate where it sits on the log axis', async () => {
    const low = markColumns(await render(result(1e-4)));
    expect(low.length).toBeGreaterThan(0);
    unmount(app!);
    host!.remove();
    const high = markColumns(await render(result(0.01)));
    expect(high.length).toBeGreaterThan(0);
    // Two decades further right: the same distance as 1e-6 .. 1e-4, a third of the axis (6 decades).
    const shift = Math.min(...high) - Math.min(...low);
    const plot = host!.querySelector<HTMLElement>('.u-over')!.clientWidth;
    expect(shift).toBeGreaterThan(plot / 3 - 4);
    expect(shift).toBeLessThan(plot / 3 + 4);
  });

  it('has no mark when no rate was found, and says so in words', async () => {
    const root = await render(result(null));
    expect(root.querySelector('canvas')).not.toBeNull();
    expect(markColumns(root)).toEqual([]);
    const label = root.querySelector('[role="img"]')!.getAttribute('aria-label')!;
    expect(label).toBe(
      'Loss against learning rate. A range test of 61 mini-batches tried learning rates from 0.000001 to 1; the loss did not go down at any of them.',
    );
  });

  it('describes the curve with the suggested rate and the range tried, in the page language', async () => {
    const root = await render(result(0.041));
    const img = root.querySelector('[role="img"]')!;
    expect(img.getAttribute('aria-label')).toBe(
      'Loss against learning rate. A range test of 61 mini-batches tried learning rates from 0.000001 to 1. The lowest loss, 0.2, came at 0.1; the suggested rate is 0.041, where the loss fell fastest.',
    );
    await i18n.use('de', false);
    flushSync();
    expect(img.getAttribute('aria-label')).toContain('die vorgeschlagene Rate ist 0,041');
    expect(root.querySelector('figcaption')!.textContent).toBe(
      'Verlust in Abhängigkeit von der Lernrate',
    );
    await i18n.use('en', false);
  });
});
