// uPlot loads on first use: its code is not part of the page's first load (the shell's budget), and
// the first chart waits a moment for it. A chart mounts once it has arrived, unless disposed of first.
import type uPlot from 'uplot';
import { onIdle } from '../state/idle.ts';

let lib: Promise<typeof uPlot> | null = null;

export function loadUplot(): Promise<typeof uPlot> {
  return (lib ??= import('uplot').then((m) => m.default));
}

/** Mounts a chart into `el` once uPlot is loaded (`data` is read then); `ready` gets the chart and may
 *  return its own clean-up. Returns the disposer (safe before the chart exists).
 *
 *  With `warm`, a throwaway chart with the same options draws placeholder points once while the page
 *  is idle: the first drawing of real data would otherwise run uPlot's scale, axis and path code for
 *  the first time (40-90 ms of CPU under a 4x throttle) in the middle of a run. */
export function mountPlot(
  el: HTMLElement,
  options: uPlot.Options,
  data: () => uPlot.AlignedData,
  ready?: (plot: uPlot) => (() => void) | void,
  warm = false,
): () => void {
  let plot: uPlot | null = null;
  let cleanup: (() => void) | void;
  let gone = false;
  void loadUplot().then((U) => {
    if (gone) return;
    const p = (plot = new U(options, data(), el));
    cleanup = ready?.(p);
    if (warm) onIdle(() => !gone && warmUp(U, options, data().length - 1), 5000);
  });
  return () => {
    gone = true;
    cleanup?.();
    plot?.destroy();
  };
}

/** Placeholder data in the chart's shape: 3 points per series. */
function placeholder(series: number): uPlot.AlignedData {
  return [[1, 2, 3], ...Array.from({ length: series }, () => [0.3, 0.2, 0.1])];
}

/** Draws placeholder points on a chart that is never shown (uPlot's batch draws at once, not in a
 *  microtask), then drops it. Its hooks are left out: they belong to the chart on the page. */
function warmUp(U: typeof uPlot, options: uPlot.Options, series: number): void {
  const throwaway = new U(
    { ...options, hooks: {} },
    placeholder(series),
    document.createElement('div'),
  );
  throwaway.batch(() => throwaway.setData(placeholder(series), true));
  throwaway.destroy();
}
