// uPlot loads on first use: its code is not part of the page's first load (the shell's budget), and
// the first chart waits a moment for it. A chart mounts once it has arrived, unless disposed of first.
import type uPlot from 'uplot';

let lib: Promise<typeof uPlot> | null = null;

export function loadUplot(): Promise<typeof uPlot> {
  return (lib ??= import('uplot').then((m) => m.default));
}

/** Mounts a chart into `el` once uPlot is loaded (`data` is read then); `ready` gets the chart and may
 *  return its own clean-up. Returns the disposer (safe before the chart exists). */
export function mountPlot(
  el: HTMLElement,
  options: uPlot.Options,
  data: () => uPlot.AlignedData,
  ready?: (plot: uPlot) => (() => void) | void,
): () => void {
  let plot: uPlot | null = null;
  let cleanup: (() => void) | void;
  let gone = false;
  void loadUplot().then((U) => {
    if (gone) return;
    plot = new U(options, data(), el);
    cleanup = ready?.(plot);
  });
  return () => {
    gone = true;
    cleanup?.();
    plot?.destroy();
  };
}
