// A chart mounted with `warm` draws placeholder points on a throwaway chart while the page is idle:
// the drawing happens (axis labels on a canvas that is not in the page), the throwaway never joins
// the page, and the chart on the page keeps its own empty data, scales and hooks.
import { afterEach, describe, expect, it } from 'vitest';
import type uPlot from 'uplot';
import { loadUplot, mountPlot } from './plot.ts';

let dispose: (() => void) | null = null;
let host: HTMLDivElement | null = null;
const fillText = CanvasRenderingContext2D.prototype.fillText;
afterEach(() => {
  dispose?.();
  dispose = null;
  host?.remove();
  CanvasRenderingContext2D.prototype.fillText = fillText;
});

const idle = () => new Promise<void>((r) => requestIdleCallback(() => r(), { timeout: 2000 }));

async function mounted(warm: boolean) {
  host = document.createElement('div');
  document.body.append(host);
  const offPage: string[] = [];
  CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number) {
    if (!this.canvas.isConnected) offPage.push(text);
    fillText.call(this, text, x, y);
  };
  let draws = 0;
  let plot: uPlot | null = null;
  const options: uPlot.Options = {
    width: 300,
    height: 150,
    // Counts drawings with points: the page chart has none, so only the placeholder would count.
    hooks: { draw: [(u) => void (u.data[0].length > 0 && draws++)] },
    scales: { x: { time: false } },
    series: [{}, { stroke: 'blue' }, { stroke: 'red' }],
  };
  dispose = mountPlot(
    host,
    options,
    () => [[], [], []],
    (p) => void (plot = p),
    warm,
  );
  await loadUplot();
  await idle();
  await idle();
  await new Promise((r) => requestAnimationFrame(r));
  return { offPage, draws: () => draws, plot: plot as uPlot | null };
}

describe('mountPlot', () => {
  it('with warm, draws placeholder points off the page and leaves the page chart as it was', async () => {
    const m = await mounted(true);
    expect(m.offPage.length).toBeGreaterThan(0);
    expect(m.offPage).toContain('2');
    expect(document.querySelectorAll('.uplot')).toHaveLength(1);
    expect(m.plot!.data[0]).toHaveLength(0);
    expect(m.plot!.scales.x.min ?? null).toBeNull();
    expect(m.draws()).toBe(0);
  });

  it('without warm, draws nothing off the page', async () => {
    const m = await mounted(false);
    expect(m.offPage).toEqual([]);
    expect(document.querySelectorAll('.uplot')).toHaveLength(1);
  });
});
