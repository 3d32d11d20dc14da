// The checkpoints of the run being recorded, on their way into the library. Two ways:
// - the worker writes each one into the library's database itself (a library on disk): the page
//   hears a notice without the parameters, says where it goes (the run's record, made at the first
//   one, its whole history and time) and hears how the write ended; a big network's tens of MB never
//   cross to the page's main thread;
// - the page writes it (a library in this tab's memory, which the worker cannot reach): at most one
//   write in flight, and a newer snapshot replaces one still waiting.
// Either way a full disk stops the saving at once (RunSaving: one alert, no more writes tried).
import type { LabStore } from '../../../workers/store/store.ts';
import type { EpochMetrics } from '../../../workers/core/types.ts';
import { getRun, saveCheckpoint } from '../../../workers/store/runs.ts';
import { isQuotaError } from '../../../workers/store/errors.ts';
import { MessageError } from '../../../workers/messages/index.ts';
import type {
  CheckpointNotice,
  CheckpointTarget,
  CheckpointWritten,
} from '../../../workers/trainer/types.ts';
import type { CheckpointWriting } from '../engine/trainer-client.ts';
import type { RunSaving } from './run-saving.svelte.ts';
import type { RecorderHost, SeenCheckpoint, TrainingSnapshot } from './run-recorder-types.ts';

/** What the checkpoints need of the run recorder. */
export interface RecordingAccess {
  readonly host: RecorderHost;
  readonly storage: RunSaving;
  /** Runs `fn` after the recorder's writes in flight. */
  enqueue<T>(fn: () => Promise<T>): Promise<T>;
  /** The run's record id (the record is made at the first checkpoint). */
  ensureRun(store: LabStore, s: SeenCheckpoint): Promise<string>;
  /** The run's whole history and training time at this checkpoint. */
  history(s: SeenCheckpoint): EpochMetrics[];
  elapsed(s: SeenCheckpoint): number;
  /** The newest checkpoint seen (the end of the run records from it). */
  seen(s: SeenCheckpoint): void;
  runId(): string | null;
}

export class RunCheckpoints {
  readonly #r: RecordingAccess;
  #pending: TrainingSnapshot | null = null;
  #writing = false;

  constructor(r: RecordingAccess) {
    this.#r = r;
  }

  /** The worker writes checkpoints itself into a library on disk; null: they come whole to take(). */
  writing(): CheckpointWriting | null {
    const store = this.#r.host.store();
    if (!store || store.inMemory) return null;
    return {
      database: store.name,
      sink: { target: (n) => this.#target(n), written: (n, t, w) => this.#written(n, t, w) },
    };
  }

  /** A whole snapshot for the page to write. */
  take(s: TrainingSnapshot): void {
    this.#pending = s;
    this.#r.seen(s);
    if (this.#writing) return;
    this.#writing = true;
    void this.#r.enqueue(async () => {
      try {
        while (this.#pending) {
          const snap = this.#pending;
          this.#pending = null;
          await this.#write(snap);
        }
      } finally {
        this.#writing = false;
      }
    });
  }

  /** The recording ended: a snapshot still waiting is not written. */
  forget(): void {
    this.#pending = null;
  }

  /** Where the worker writes this checkpoint; null when it is not saved (the disk was full). */
  #target(n: CheckpointNotice): Promise<CheckpointTarget | null> {
    const r = this.#r;
    return r.enqueue(async () => {
      r.seen(n);
      const store = r.host.store();
      if (!store) return null;
      // Out of room: no more writes are tried (the student was told once, and chooses).
      if (!r.storage.saving) {
        r.storage.skipped();
        return null;
      }
      try {
        const runId = await r.ensureRun(store, n);
        return { runId, history: r.history(n), elapsedMs: r.elapsed(n) };
      } catch (e) {
        this.#failed(e);
        return null;
      }
    });
  }

  /** The worker wrote a checkpoint (or failed to): the lists and the other tabs hear of it. */
  async #written(n: CheckpointNotice, t: CheckpointTarget, w: CheckpointWritten): Promise<void> {
    if (!w.ok) {
      if (w.quota) this.#r.storage.outOfRoom(t.runId);
      else
        this.#r.host.fail(
          typeof w.error === 'string' ? new Error(w.error) : new MessageError(w.error),
        );
      return;
    }
    const store = this.#r.host.store();
    this.#r.storage.saved(t.history, t.history.at(-1)?.epoch ?? n.epoch);
    if (!store) return;
    store.announce(['runs', 'checkpoints']);
    await this.#shown(store, t.runId);
  }

  async #write(s: TrainingSnapshot): Promise<void> {
    const r = this.#r;
    const store = r.host.store();
    if (!store) return;
    if (!r.storage.saving) return r.storage.skipped();
    try {
      const id = await r.ensureRun(store, s);
      const history = r.history(s);
      const epoch = history.at(-1)?.epoch ?? 0;
      await saveCheckpoint(store, id, {
        history,
        network: s.network,
        epoch,
        elapsedMs: r.elapsed(s),
        trainerState: s.resume ?? null,
      });
      r.storage.saved(history, epoch);
      await this.#shown(store, id);
    } catch (e) {
      this.#failed(e);
    }
  }

  async #shown(store: LabStore, runId: string): Promise<void> {
    const run = await getRun(store, runId);
    if (run) this.#r.host.showRun(run);
  }

  #failed(e: unknown): void {
    if (isQuotaError(e)) this.#r.storage.outOfRoom(this.#r.runId());
    else this.#r.host.fail(e);
  }
}
