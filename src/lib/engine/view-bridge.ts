// The view worker (the live views' grids) through its WorkerOwner: started lazily, a crash rejects
// the calls in flight and the next call starts a fresh worker. `liveViews` is the queue every live
// view sends its jobs to.
import type { ViewApi } from '../../../workers/view.worker.ts';
import { ViewQueue, type ViewRunner } from './view-queue.ts';
import { WorkerOwner } from './worker-owner.ts';

const owner = new WorkerOwner<ViewApi>({
  spawn: () =>
    new Worker(new URL('../../../workers/view.worker.ts', import.meta.url), {
      type: 'module',
      name: 'view',
    }),
  crashed: (detail) => new Error(`The live views' worker stopped (${detail}).`),
  name: "The live views' worker",
});
// A new worker holds no parameters: the queue attaches them again with the next job.
owner.onCrash(() => liveViews.detach());

/** Stops the view worker; the next job starts a new one (and attaches the parameters again). */
export function terminateViewWorker(): void {
  owner.terminate();
  liveViews.detach();
}

const runner: ViewRunner = {
  attach: (source) => owner.call(owner.remote().attach(source), 0, "The live views' worker"),
  grid: (job) => owner.call(owner.remote().grid(job), 0, "The live views' worker"),
  scatter: (job) => owner.call(owner.remote().scatter(job), 0, "The live views' worker"),
  pca: (job) => owner.call(owner.remote().pca(job), 0, "The live views' worker"),
  projection: (job) => owner.call(owner.remote().projection(job), 0, "The live views' worker"),
};

/** The live views' jobs: one in flight, at most 30% of a core. */
export const liveViews = new ViewQueue(() => runner, { share: 0.3 });
