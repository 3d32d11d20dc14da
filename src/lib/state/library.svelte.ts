// The Library: saved runs, models and datasets on this device. It opens the store and follows its
// events. Its lists (search, sort, rename, delete with undo, the overlay's runs) come from
// LibraryLists (library-lists.svelte.ts); export and import are its `files`
// (library-files.svelte.ts); recording the run that trains (its checkpoints, its end) and resuming or
// replaying a run are the RunRecorder's (run-recorder.svelte.ts), connected here. Runs and models are
// distinct: a run keeps its last weights (its model); "Keep as model", Predict and Export model make a
// named model of them. The runs are shown grouped by dataset, and the run that trains follows the
// training area (its status and epoch change in the same frame).
import { openLabStore, type LabStore, type StoreEvent } from '../../../workers/store/store.ts';
import type { DatasetRecord, ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import { StoreError, UNAVAILABLE_MESSAGE } from '../../../workers/store/errors.ts';
import { recoverInterrupted } from '../../../workers/store/runs.ts';
import { listDatasets } from '../../../workers/store/datasets.ts';
import { i18n, t } from '../i18n/i18n.svelte.ts';
import { LibraryFiles, type Save } from './library-files.svelte.ts';
import { LibraryLists } from './library-lists.svelte.ts';
import {
  groupKey,
  groupRuns,
  keptModelOf,
  liveStatus,
  progressSummary,
  type RunGroup,
} from './library-views.ts';
import { MAX_OVERLAY } from './run-overlay.ts';
import type { DataLink } from './data-link.ts';
import {
  RunRecorder,
  type RunSummary,
  type TrainingLink,
  type TrainingSnapshot,
} from './run-recorder.svelte.ts';
import type { RunSaving } from './run-saving.svelte.ts';

export type { DataLink, RunSummary, TrainingLink, TrainingSnapshot };

/** The run that trains before its first checkpoint made it a saved run: shown at once. */
export interface LiveCard {
  name: string;
  status: RunRecord['status'];
  summary: string;
}

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
    say: (text) => (this.notice = text),
  });
  #unsubscribe: (() => void) | null = null;
  /** The stored datasets (known from the start, so runs continue and replay on them). */
  datasets = $state.raw<DatasetRecord[]>([]);
  /** Groups the user opened (true) or closed (false); otherwise only the first group is open. */
  openGroups = $state<Record<string, boolean>>({});

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
  start(): Promise<void> {
    this.opening ??= this.#start();
    return this.opening;
  }

  async #start(): Promise<void> {
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
      if (store.inMemory) this.banner = i18n.msg(UNAVAILABLE_MESSAGE);
      this.#unsubscribe = store.subscribe((e) => this.#onEvent(e));
      const interrupted = await recoverInterrupted(store);
      await this.refresh();
      // The training area shows the newest run a closed tab cut short, with its curves.
      const newest = this.runs.find((r) => interrupted.includes(r.id));
      const training = this.#training;
      if (newest && training?.markInterrupted && training.state === 'idle')
        training.markInterrupted(newest.history, newest.task);
    } catch (e) {
      this.banner = i18n.msg(e instanceof StoreError ? e.msg : UNAVAILABLE_MESSAGE);
    } finally {
      this.ready = true;
    }
  }

  /** Reloads the runs and models, and the stored datasets. */
  override async refresh(): Promise<void> {
    await super.refresh();
    const store = this.store;
    if (!store) return;
    try {
      this.datasets = await listDatasets(store);
    } catch (e) {
      this.fail(e);
    }
  }

  #onEvent(e: StoreEvent): void {
    if (e.type === 'version-change' || e.type === 'blocked') this.banner = i18n.msg(e.message);
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

  /** Whether the run that trains is still saved; `storage.full` is the storage-full alert. */
  get storage(): RunSaving {
    return this.#recorder.storage;
  }

  /** Storage full: the run goes on, nothing more of it is saved (no more alerts). */
  keepTrainingUnsaved(): void {
    this.#recorder.keepTrainingUnsaved();
  }

  /** Storage full: the run stops; what was saved stays. */
  stopUnsaved(): void {
    this.#recorder.stopUnsaved();
  }

  /** A run that trains without saving is saved again from its next checkpoint (room was made). */
  resumeSaving(): void {
    this.#recorder.storage.resume();
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

  /** Keeps a run's model (its last saved weights) as a named model (the run's name); a model already
   *  kept from the same weights is reused. Returns its id. */
  async saveModelFromRun(runId: string): Promise<string | undefined> {
    return this.guard(async (s) => {
      const { model, created } = await this.#recorder.saveModelFromRun(s, runId, (run) =>
        keptModelOf(this.models, run),
      );
      if (created) {
        const run = this.runs.find((r) => r.id === runId);
        this.notice = t('runs.kept', { run: run?.name ?? model.name, name: model.name });
        await this.refresh();
      }
      return model.id;
    });
  }

  /** Exports the model of a run (kept as a named model first). */
  async exportModelFromRun(runId: string, save: Save): Promise<void> {
    const id = await this.saveModelFromRun(runId);
    if (id) await this.files.exportModel(id, save);
  }

  /** The named model kept from a run's current weights, if any. */
  keptModel(run: RunRecord): ModelRecord | undefined {
    return keptModelOf(this.models, run);
  }

  /** Continues an interrupted (or stopped) run from its last checkpoint, on its own data (loaded
   *  from storage when other data is loaded). */
  async resume(runId: string): Promise<void> {
    await this.guard((s) => this.#recorder.resume(s, runId));
  }

  /** Trains again with the same seed, data and configuration (a new run), on the run's own data. */
  async replay(runId: string): Promise<void> {
    await this.guard((s) => this.#recorder.replay(s, runId));
  }

  // ------------------------------------------------------------------ what the lists show

  /** The status a run's card shows: the training area's for the run it trains, else the stored one. */
  statusOf(run: RunRecord): RunRecord['status'] {
    const tr = this.#training;
    return (run.id === this.recordingId && tr && liveStatus(tr.state)) || run.status;
  }

  /** Where a run got to, as its card says it: the training area's counters for the run it trains. */
  summaryOf(run: RunRecord): string {
    const tr = this.#training;
    if (run.id === this.recordingId && tr && liveStatus(tr.state) && tr.epoch !== undefined)
      return progressSummary(tr.epoch, run.config.epochs, tr.latest ?? run.history.at(-1));
    const last = run.history.at(-1);
    return progressSummary(last?.epoch ?? 0, run.config.epochs, last, run.final);
  }

  /** The run that trains before it is saved (its first checkpoint comes within seconds), or after
   *  its end until the end is written: null when the list already shows it. */
  get liveCard(): LiveCard | null {
    const tr = this.#training;
    const id = this.recordingId;
    if (!tr || !this.store || (id && this.runs.some((r) => r.id === id))) return null;
    const status = liveStatus(tr.state);
    if (!status) return null;
    if (status !== 'running' && (tr.summary == null || tr.summary === this.#recorder.ended))
      return null;
    const epochs = tr.runConfig?.epochs ?? 0;
    return {
      name: t('runs.live.name', {
        dataset: this.#data?.sourceName ?? tr.dataset?.targetName ?? '',
      }),
      status,
      summary: progressSummary(tr.epoch ?? 0, epochs, tr.latest),
    };
  }

  /** The runs shown (the filtered runs' first pages) grouped by dataset, named after the stored
   *  datasets. */
  get groups(): RunGroup[] {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup built per read, not state
    const names = new Map(this.datasets.map((d) => [d.hash, d.name]));
    return groupRuns(this.visibleRuns, names, this.filteredRuns);
  }

  /** Whether a group's runs are shown: the user's choice, else open for the first group and for the
   *  group of the run that trains. */
  isOpen(g: RunGroup, index: number): boolean {
    const chosen = this.openGroups[g.key];
    if (chosen !== undefined) return chosen;
    return index === 0 || g.runs.some((r) => r.id === this.recordingId);
  }

  toggleGroup(g: RunGroup, index: number): void {
    this.openGroups = { ...this.openGroups, [g.key]: !this.isOpen(g, index) };
  }

  /** Compares the group's newest runs (up to 4) in one click. */
  compareGroup(key: string): void {
    // The group as listed: a search narrows it.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup built per call, not state
    const listed = new Set(this.filteredRuns.map((r) => r.id));
    const runs = this.runs.filter((r) => groupKey(r) === key && listed.has(r.id));
    this.selected = runs.slice(0, MAX_OVERLAY).map((r) => r.id);
  }

  /** Whether closing the page now would lose a run's end being written. */
  get saving(): boolean {
    return this.#recorder.saving;
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#recorder.dispose();
    void this.store?.close();
  }
}
