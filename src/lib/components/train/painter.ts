// Redraw scheduling for the heavier live views: requests are coalesced, a draw runs at most every
// `interval` ms (the interval grows with the measured cost of a draw, so a big network keeps the main
// thread free), and the last request is never lost (a trailing draw follows).

export interface Painter {
  request(): void;
  cancel(): void;
  /** Draws done so far. */
  readonly draws: number;
}

export interface PainterOptions {
  /** Shortest gap between draws, ms. */
  minInterval?: number;
  /** Longest gap between draws, ms. */
  maxInterval?: number;
  /** The gap is at least this many times the last draw's duration. */
  costFactor?: number;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => unknown;
  unschedule?: (handle: unknown) => void;
}

export function throttledPainter(draw: () => void, opts: PainterOptions = {}): Painter {
  const minInterval = opts.minInterval ?? 100;
  const maxInterval = opts.maxInterval ?? 1000;
  const costFactor = opts.costFactor ?? 6;
  const now = opts.now ?? (() => performance.now());
  const schedule = opts.schedule ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const unschedule =
    opts.unschedule ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let last = -Infinity;
  let interval = minInterval;
  let pending: unknown = null;
  let draws = 0;

  const run = () => {
    pending = null;
    const t0 = now();
    try {
      draw();
    } finally {
      const t1 = now();
      draws++;
      last = t1;
      interval = Math.min(maxInterval, Math.max(minInterval, (t1 - t0) * costFactor));
    }
  };

  return {
    request() {
      if (pending !== null) return;
      const wait = last + interval - now();
      pending = schedule(run, Math.max(0, wait));
    },
    cancel() {
      if (pending !== null) unschedule(pending);
      pending = null;
    },
    get draws() {
      return draws;
    },
  };
}
