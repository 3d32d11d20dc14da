// The one owner of the view worker (the live views' grids): spawns it lazily, wraps it with Comlink,
// and when it dies rejects the calls in flight (Comlink never rejects calls to a dead worker) and
// starts afresh on the next call. `liveViews` is the queue every live view sends its jobs to.
import * as Comlink from 'comlink';
import type { ViewApi } from '../../../workers/view.worker.ts';
import { ViewQueue, type ViewRunner } from './view-queue.ts';

let worker: Worker | null = null;
let remote: Comlink.Remote<ViewApi> | null = null;
/** Rejecters of calls in flight, so a crash ends them at once. */
const inFlight = new Set<(err: Error) => void>();

function call<T>(f: (r: Comlink.Remote<ViewApi>) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    inFlight.add(reject);
    f(viewWorker()).then(
      (v) => {
        inFlight.delete(reject);
        resolve(v);
      },
      (e: unknown) => {
        inFlight.delete(reject);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The view worker, started on first use. */
export function viewWorker(): Comlink.Remote<ViewApi> {
  if (remote) return remote;
  worker = new Worker(new URL('../../../workers/view.worker.ts', import.meta.url), {
    type: 'module',
    name: 'view',
  });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    const err = new Error(`The live views' worker stopped (${e.message || 'script error'}).`);
    for (const reject of [...inFlight]) reject(err);
    inFlight.clear();
    terminateViewWorker();
  });
  remote = Comlink.wrap<ViewApi>(worker);
  return remote;
}

/** Stops the view worker; the next job starts a new one (and attaches the parameters again). */
export function terminateViewWorker(): void {
  if (remote) remote[Comlink.releaseProxy]();
  worker?.terminate();
  worker = null;
  remote = null;
  liveViews.detach();
}

const runner: ViewRunner = {
  attach: (source) => call((r) => r.attach(source)),
  grid: (job) => call((r) => r.grid(job)),
  scatter: (job) => call((r) => r.scatter(job)),
};

/** The live views' jobs: one in flight, at most 30% of a core. */
export const liveViews = new ViewQueue(() => runner, { share: 0.3 });
