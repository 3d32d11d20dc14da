// Writing a run's checkpoint into the lab's database, for the trainer worker: either in its own
// worker (workers/checkpoint.worker.ts, which the trainer worker starts), or on the calling thread
// where no worker can be started. A write never throws: how it ended (saved, disk full, another
// failure) comes back as a CheckpointWritten that the page can translate.
import { LabStore } from './store.ts';
import { saveCheckpoint, type CheckpointInput } from './runs.ts';
import { isQuotaError } from './errors.ts';
import { msgOf } from '../messages/index.ts';
import type { CheckpointWritten } from '../trainer/types.ts';

/** Writes one checkpoint of run `runId`, and says how the write ended. */
export type SaveCheckpoint = (runId: string, cp: CheckpointInput) => Promise<CheckpointWritten>;

/** How a failed write is told to the page: a message it can translate, else the error's text. */
export function failure(e: unknown): CheckpointWritten {
  const m = msgOf(e);
  return {
    ok: false,
    quota: isQuotaError(e),
    error: m ?? (e instanceof Error ? e.message : String(e)),
  };
}

const stores = new Map<string, LabStore>();

/** One connection per database name, kept open for the worker's life (it broadcasts nothing: the
 *  page announces the change to its lists and to other tabs when it hears of the write). */
export function storeNamed(db: string): LabStore {
  let s = stores.get(db);
  if (!s) {
    s = new LabStore({ name: db, broadcast: false, onFirstWrite: () => undefined });
    stores.set(db, s);
  }
  return s;
}

/** Saves checkpoints into `store` on this thread. */
export function checkpointSaver(store: LabStore): SaveCheckpoint {
  return async (runId, cp) => {
    try {
      await saveCheckpoint(store, runId, cp);
      return { ok: true };
    } catch (e) {
      return failure(e);
    }
  };
}

/** The checkpoint worker's API: one write into database `db`. */
export const checkpointApi = {
  save: (db: string, runId: string, cp: CheckpointInput): Promise<CheckpointWritten> =>
    checkpointSaver(storeNamed(db))(runId, cp),
};
