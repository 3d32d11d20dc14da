// Checkpoints written by the trainer worker itself, straight into the lab's IndexedDB database: a big
// network's parameters (tens of MB) are cloned into the store here, off the page's main thread, and
// the page only hears a notice without them. The page still owns the run's record: for each
// checkpoint it says where it goes (the run, its whole history, its training time) or that it is not
// saved, and hears how the write ended (saved, disk full, another failure).
//
// At most one write in flight: a checkpoint that comes while one is written waits, and a newer one
// replaces it (only the newest is worth writing). The promise returned for a checkpoint settles once
// it is written or replaced, so the end of a run (CheckpointClock.ended) waits for its last write.
import { LabStore } from '../store/store.ts';
import { saveCheckpoint } from '../store/runs.ts';
import { isQuotaError } from '../store/errors.ts';
import { msgOf } from '../messages/index.ts';
import type { CheckpointListener } from './checkpoints.ts';
import type {
  CheckpointNotice,
  CheckpointSink,
  CheckpointWritten,
  TrainerSnapshot,
} from './types.ts';

/** The snapshot without its parameters and resume state: what crosses to the page. */
export function noticeOf(s: TrainerSnapshot): CheckpointNotice {
  const { network, resume: _resume, ...rest } = s;
  return { ...rest, spec: network.spec };
}

/** How a failed write is told to the page: a message it can translate, else the error's text. */
function failure(e: unknown): CheckpointWritten {
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

/** A checkpoint listener for CheckpointClock that writes each checkpoint into `store` for `sink`. */
export function checkpointWriter(store: LabStore, sink: CheckpointSink): CheckpointListener {
  let newest = 0;
  let chain: Promise<void> = Promise.resolve();

  async function write(s: TrainerSnapshot): Promise<void> {
    const notice = noticeOf(s);
    const target = await sink.target(notice);
    if (!target) return;
    let result: CheckpointWritten = { ok: true };
    try {
      await saveCheckpoint(store, target.runId, {
        history: target.history,
        network: s.network,
        epoch: target.history.at(-1)?.epoch ?? 0,
        elapsedMs: target.elapsedMs,
        trainerState: s.resume ?? null,
      });
    } catch (e) {
      result = failure(e);
    }
    await sink.written(notice, target, result);
  }

  return (s) => {
    const n = ++newest;
    // A checkpoint replaced while it waited is dropped; a failing page callback must not stop the
    // next checkpoints.
    chain = chain.then(() => (n === newest ? write(s) : undefined)).catch(() => undefined);
    return chain;
  };
}
