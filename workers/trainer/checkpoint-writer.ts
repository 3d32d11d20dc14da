// Checkpoints written by the trainer worker's side, straight into the lab's IndexedDB database: a big
// network's parameters (tens of MB) go to the checkpoint worker (workers/checkpoint.worker.ts) as
// transferred arrays, and IndexedDB clones them there, off both the page's main thread and the
// trainer's own thread (which keeps answering Pause and Stop). The page only hears a notice without
// them. It still owns the run's record: for each checkpoint it says where it goes (the run, its whole
// history, its training time) or that it is not saved, and hears how the write ended (saved, disk
// full, another failure).
//
// At most one write in flight: a checkpoint that comes while one is written waits, and a newer one
// replaces it (only the newest is worth writing). The promise returned for a checkpoint settles once
// it is written or replaced, so the end of a run (CheckpointClock.ended) waits for its last write.
import * as Comlink from 'comlink';
import { checkpointApi, failure, type SaveCheckpoint } from '../store/checkpoint-save.ts';
import { ownBuffers } from './transfer.ts';
import { MessageError, msg } from '../messages/index.ts';
import type { CheckpointApi } from '../checkpoint.worker.ts';
import type { CheckpointListener } from './checkpoints.ts';
import type { CheckpointNotice, CheckpointSink, TrainerSnapshot } from './types.ts';

/** The snapshot without its parameters and resume state: what crosses to the page. */
export function noticeOf(s: TrainerSnapshot): CheckpointNotice {
  const { network, resume: _resume, ...rest } = s;
  return { ...rest, spec: network.spec };
}

/** The checkpoint worker once started (`failed` rejects if it stops), or 'none': no worker can
 *  start here, or the one started failed, and checkpoints are written on this thread. */
let writer: { remote: Comlink.Remote<CheckpointApi>; failed: Promise<never> } | 'none' | null =
  null;

function checkpointWorker(): Exclude<typeof writer, 'none'> {
  if (writer === null) {
    if (typeof Worker === 'undefined') writer = 'none';
    else {
      const w = new Worker(new URL('../checkpoint.worker.ts', import.meta.url), {
        type: 'module',
        name: 'checkpoints',
      });
      const failed = new Promise<never>((_, reject) =>
        w.addEventListener('error', (e) => {
          e.preventDefault();
          writer = 'none';
          w.terminate();
          const detail = e.message || e.type;
          reject(new MessageError(msg('store.checkpointWorker.stopped', { detail })));
        }),
      );
      failed.catch(() => undefined);
      writer = { remote: Comlink.wrap<CheckpointApi>(w), failed };
    }
  }
  return writer === 'none' ? null : writer;
}

/** Saves into database `db` in the checkpoint worker, handing the arrays over (they are the
 *  snapshot's own copies); on this thread where no worker can start, or after it failed. */
export function workerSaver(db: string): SaveCheckpoint {
  return async (runId, cp) => {
    const w = checkpointWorker();
    if (!w) return checkpointApi.save(db, runId, cp);
    try {
      return await Promise.race([
        w.remote.save(db, runId, Comlink.transfer(cp, ownBuffers(cp))),
        w.failed,
      ]);
    } catch (e) {
      return failure(e);
    }
  };
}

/** A checkpoint listener for CheckpointClock that writes each checkpoint with `save` for `sink`. */
export function checkpointWriter(save: SaveCheckpoint, sink: CheckpointSink): CheckpointListener {
  let newest = 0;
  let chain: Promise<void> = Promise.resolve();

  async function write(s: TrainerSnapshot): Promise<void> {
    const notice = noticeOf(s);
    const target = await sink.target(notice);
    if (!target) return;
    const result = await save(target.runId, {
      history: target.history,
      network: s.network,
      epoch: target.history.at(-1)?.epoch ?? 0,
      elapsedMs: target.elapsedMs,
      trainerState: s.resume ?? null,
    });
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
