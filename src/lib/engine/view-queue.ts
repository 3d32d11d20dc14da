// The live views' jobs for the view worker, at a bounded rate: at most one job in flight, the newest
// request of a view replaces its older one still waiting, and the worker computes at most `share` of
// the time (after a job of d ms the next starts no sooner than d (1 - share) / share ms later), so the
// trainer keeps its cores. The parameters are attached when the layers change: views into the shared
// arena (the worker reads them live), or a copy without shared memory.
import type {
  GridJob,
  GridResult,
  PageLayer,
  ParamSource,
  PcaJob,
  PcaResult,
  ProjectionJob,
  ProjectionResult,
  ScatterJob,
  ScatterResult,
} from '../../../workers/view/types.ts';

/** What the queue needs of the view worker (the bridge's remote satisfies it). */
export interface ViewRunner {
  attach(source: ParamSource | null): Promise<void>;
  grid(job: GridJob): Promise<GridResult>;
  scatter(job: ScatterJob): Promise<ScatterResult>;
  pca(job: PcaJob): Promise<PcaResult>;
  projection(job: ProjectionJob): Promise<ProjectionResult>;
}

export type ViewWork = (
  | { kind: 'grid'; job: GridJob; done: (r: GridResult) => void }
  | { kind: 'scatter'; job: ScatterJob; done: (r: ScatterResult) => void }
  | { kind: 'pca'; job: PcaJob; done: (r: PcaResult) => void }
  | { kind: 'projection'; job: ProjectionJob; done: (r: ProjectionResult) => void }
) & {
  /** Told when the job failed (a one-off job asks again; a refresh just waits for the next). */
  failed?: () => void;
};

export interface ViewQueueOptions {
  /** Largest share of the wall clock the worker computes for the views (0..1]. */
  share?: number;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => unknown;
}

/** Where the worker reads the layers: the shared arena they view, or a copy. */
export function paramSource(layers: readonly PageLayer[]): ParamSource {
  const buffer = layers[0]?.W.buffer;
  const shared =
    typeof SharedArrayBuffer !== 'undefined' &&
    buffer instanceof SharedArrayBuffer &&
    layers.every((l) => l.W.buffer === buffer && l.b.buffer === buffer);
  if (shared)
    return {
      kind: 'shared',
      buffer: buffer as SharedArrayBuffer,
      layers: layers.map((l) => ({
        wOffset: l.W.byteOffset,
        bOffset: l.b.byteOffset,
        rows: l.rows,
        cols: l.cols,
        activation: l.activation,
      })),
    };
  return {
    kind: 'snapshot',
    layers: layers.map((l) => ({ ...l, W: l.W.slice(), b: l.b.slice() })),
  };
}

interface Waiting {
  /** The network the job reads (null: a job of the data alone, nothing attached). */
  layers: readonly PageLayer[] | null;
  work: ViewWork;
}

export class ViewQueue {
  readonly #runner: () => ViewRunner;
  readonly #share: number;
  readonly #now: () => number;
  readonly #schedule: (fn: () => void, ms: number) => unknown;
  readonly #waiting = new Map<string, Waiting>();
  #busy = false;
  #timer = false;
  #notBefore = -Infinity;
  #attached: readonly PageLayer[] | null = null;
  /** Jobs done so far (tests and the smoothness check read it). */
  jobs = 0;

  constructor(runner: () => ViewRunner, opts: ViewQueueOptions = {}) {
    this.#runner = runner;
    this.#share = Math.min(1, Math.max(0.01, opts.share ?? 0.3));
    this.#now = opts.now ?? (() => performance.now());
    this.#schedule = opts.schedule ?? ((fn, ms) => setTimeout(fn, ms));
  }

  /** Asks for a picture of the network `layers` for one view; replaces that view's waiting request.
   * A job of the data alone (`pca`) passes null. */
  request(view: string, layers: readonly PageLayer[] | null, work: ViewWork): void {
    this.#waiting.delete(view);
    this.#waiting.set(view, { layers, work });
    this.#pump();
  }

  /** Drops a view's waiting request (a job in flight still answers). */
  cancel(view: string): void {
    this.#waiting.delete(view);
  }

  /** Forgets the attached parameters (the worker was restarted). */
  detach(): void {
    this.#attached = null;
  }

  #pump(): void {
    if (this.#busy || this.#timer || this.#waiting.size === 0) return;
    const wait = this.#notBefore - this.#now();
    if (wait > 0) {
      this.#timer = true;
      this.#schedule(() => {
        this.#timer = false;
        this.#pump();
      }, wait);
      return;
    }
    const [view, next] = this.#waiting.entries().next().value as [string, Waiting];
    this.#waiting.delete(view);
    this.#busy = true;
    void this.#run(next).finally(() => {
      this.#busy = false;
      this.#pump();
    });
  }

  async #run({ layers, work }: Waiting): Promise<void> {
    const runner = this.#runner();
    const t0 = this.#now();
    let ms = 0;
    try {
      if (layers && this.#attached !== layers) {
        this.#attached = null;
        await runner.attach(paramSource(layers));
        this.#attached = layers;
      }
      ms = await this.#one(runner, work);
      this.jobs++;
    } catch {
      // A failed picture is skipped (the next request tries again, attaching afresh).
      this.#attached = null;
      work.failed?.();
      ms = this.#now() - t0;
    }
    this.#notBefore = this.#now() + (ms * (1 - this.#share)) / this.#share;
  }

  /** Runs one job, hands its result to the view; returns the worker's time. */
  async #one(runner: ViewRunner, work: ViewWork): Promise<number> {
    switch (work.kind) {
      case 'grid': {
        const r = await runner.grid(work.job);
        work.done(r);
        return r.ms;
      }
      case 'scatter': {
        const r = await runner.scatter(work.job);
        work.done(r);
        return r.ms;
      }
      case 'pca': {
        const r = await runner.pca(work.job);
        work.done(r);
        return r.ms;
      }
      case 'projection': {
        const r = await runner.projection(work.job);
        work.done(r);
        return r.ms;
      }
    }
  }
}
