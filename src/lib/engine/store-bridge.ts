// The store worker's bridge (workers/store.worker.ts) through its WorkerOwner: imports and exports of
// files run there, so a big backup never holds the page. Started on first use; a crash rejects the
// calls in flight with a clear error and the next call starts a fresh worker.
import * as Comlink from 'comlink';
import type { StoreApi } from '../../../workers/store.worker.ts';
import type { FileJobs } from '../../../workers/store/api.ts';
import { registerMessageErrors } from '../../../workers/messages/comlink.ts';
import { MessageError } from '../../../workers/messages/index.ts';
import { WorkerOwner } from './worker-owner.ts';

registerMessageErrors();

const owner = new WorkerOwner<StoreApi>({
  spawn: () =>
    new Worker(new URL('../../../workers/store.worker.ts', import.meta.url), {
      type: 'module',
      name: 'store',
    }),
  crashed: (detail) => new MessageError({ key: 'store.worker.crashed', params: { detail } }),
  name: 'The file worker',
});

/** A call with no time limit (a big backup takes a while), ended by a crash. */
function guarded<T>(call: (w: Comlink.Remote<StoreApi>) => Promise<T>): Promise<T> {
  return owner.call(call(owner.remote()), 0, 'The file worker');
}

/** The file jobs, run in the store worker. */
export const workerJobs: FileJobs = {
  importFile: (db, file, onProgress) =>
    guarded((w) => w.importFile(db, file, onProgress ? Comlink.proxy(onProgress) : undefined)),
  cancelImport: () => {
    if (owner.running) void owner.remote().cancelImport();
  },
  exportModel: (db, id) => guarded((w) => w.exportModel(db, id)),
  exportRun: (db, id) => guarded((w) => w.exportRun(db, id)),
  exportBackup: (db) => guarded((w) => w.exportBackup(db)),
  exportLesson: (input) => guarded((w) => w.exportLesson(input)),
};
