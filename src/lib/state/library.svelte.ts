// The Library: saved runs, models and datasets on this device. It opens the store and follows its
// events. Its lists (search, sort, rename, delete with undo, the overlay's runs) come from
// LibraryLists (library-lists.svelte.ts); export and import are its `files`
// (library-files.svelte.ts); recording the run that trains (its checkpoints, its end, its model) and
// resuming or replaying a run are the RunRecorder's (run-recorder.svelte.ts), connected here.
import { openLabStore, type LabStore, type StoreEvent } from '../../../workers/store/store.ts';
import type { RunRecord } from '../../../workers/store/schema.ts';
import { StoreError, UNAVAILABLE_MESSAGE } from '../../../workers/store/errors.ts';
import { recoverInterrupted } from '../../../workers/store/runs.ts';
import { LibraryFiles } from './library-files.svelte.ts';
import { LibraryLists } from './library-lists.svelte.ts';
import type { DataLink } from './data-link.ts';
import {
  RunRecorder,
  type RunSummary,
  type TrainingLink,
  type TrainingSnapshot,
} from './run-recorder.svelte.ts';

export type { DataLink, RunSummary, TrainingLink, TrainingSnapshot };

export interface LibraryOptions {
  /** Called after a write, to refresh the storage estimate in the header. */
  onStorageChange?: () => void;
  /** Called once after the first save (default: navigator.storage.persist()). */
  onFirstWrite?: () => void;
  /** Opens the store (tests pass one over fake-indexeddb). */
  open?: () => Promise<LabStore>;
}

export class Library extends LibraryLists {
  #opts: LibraryOptions;
  #training: TrainingLink | null = null;
  #data: DataLink | null = null;
  #recorder = new RunRecorder({
    store: () => this.store,
    fail: (e) => this.fail(e),
    refresh: () => this.refresh(),
    showRun: (run) => this.#showRun(run),
  });
  #unsubscribe: (() => void) | null = null;

  /** Export and import (model, run, lesson pack, backup). */
  readonly files = new LibraryFiles({
    guard: (fn) => this.guard(fn),
    say: (notice) => (this.notice = notice),
    fail: (error) => (this.error = error),
    refresh: () => this.refresh(),
    training: () => this.#training,
    data: () => this.#data,
  });

  constructor(opts: LibraryOptions = {}) {
    super();
    this.#opts = opts;
  }

  /** Opens storage, marks runs whose tab closed mid-training as interrupted, and loads the lists. */
  async start(): Promise<void> {
    try {
      const store = await (
        this.#opts.open ??
        (() =>
          openLabStore({
            onEvent: (e) => this.#onEvent(e),
            ...(this.#opts.onFirstWrite ? { onFirstWrite: this.#opts.onFirstWrite } : {}),
          }))
      )();
      this.store = store;
      this.inMemory = store.inMemory;
      if (store.inMemory) this.banner = UNAVAILABLE_MESSAGE;
      this.#unsubscribe = store.subscribe((e) => this.#onEvent(e));
      const interrupted = await recoverInterrupted(store);
      await this.refresh();
      // The training area shows the newest run a closed tab cut short, with its curves.
      const newest = this.runs.find((r) => interrupted.includes(r.id));
      const training = this.#training;
      if (newest && training?.markInterrupted && training.state === 'idle')
        training.markInterrupted(newest.history);
    } catch (e) {
      this.banner = e instanceof StoreError ? e.message : UNAVAILABLE_MESSAGE;
    } finally {
      this.ready = true;
    }
  }

  #onEvent(e: StoreEvent): void {
    if (e.type === 'version-change' || e.type === 'blocked') this.banner = e.message;
    if (e.type === 'changed' && e.remote) void this.refresh();
    if (e.type === 'changed' || e.type === 'first-write') this.#opts.onStorageChange?.();
  }

  /** Puts one re-read run in the list (cheaper than the whole list at every checkpoint). */
  #showRun(run: RunRecord): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    this.runs = i < 0 ? [run, ...this.runs] : this.runs.map((r) => (r.id === run.id ? run : r));
  }

  // ------------------------------------------------------------------ recording runs (RunRecorder)

  /** The run being recorded now (its id), if any. */
  override get recordingId(): string | null {
    return this.#recorder.recordingId;
  }

  /** Connects the training session: its checkpoints and run ends are saved here. */
  attachTraining(training: TrainingLink, data: DataLink | null = null): void {
    this.#training = training;
    if (data) this.#data = data;
    this.#recorder.attach(training, data);
  }

  /** Connects the data session (lesson packs, the dataset of each run). */
  attachData(data: DataLink): void {
    this.#data = data;
    this.#recorder.attachData(data);
  }

  get canReplay(): boolean {
    return this.#recorder.canReplay;
  }

  /** Saves a model from a run's checkpoint (a stopped or interrupted run). */
  async saveModelFromRun(runId: string): Promise<void> {
    await this.guard(async (s) => {
      const m = await this.#recorder.saveModelFromRun(s, runId);
      this.notice = `Saved model "${m.name}".`;
      await this.refresh();
    });
  }

  /** Continues an interrupted (or stopped) run from its last checkpoint. */
  async resume(runId: string): Promise<void> {
    await this.guard((s) => this.#recorder.resume(s, runId));
  }

  /** Trains again with the same seed, data and configuration (a new run). */
  async replay(runId: string): Promise<void> {
    await this.guard(async (s) => {
      const notice = await this.#recorder.replay(s, runId);
      if (notice) this.notice = notice;
    });
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#recorder.dispose();
    void this.store?.close();
  }
}
