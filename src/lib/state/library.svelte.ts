// The Library: saved runs, models and datasets on this device. Holds the lists, search and sort,
// rename, delete with undo, the runs chosen for the overlay and export/import. Recording the run that
// trains (its checkpoints, its end, its model) and resuming or replaying a run are the RunRecorder's
// (run-recorder.svelte.ts); the Library connects it and delegates.
import { openLabStore, type LabStore, type StoreEvent } from '../../../workers/store/store.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import type { HealthReport, Recipe } from '../../../workers/data/types.ts';
import { StoreError, UNAVAILABLE_MESSAGE } from '../../../workers/store/errors.ts';
import {
  deleteRun,
  getCheckpoint,
  getRun,
  listRuns,
  recoverInterrupted,
  renameRun,
  restoreRun,
  type DeletedRun,
} from '../../../workers/store/runs.ts';
import {
  deleteModel,
  getModel,
  listModels,
  renameModel,
  restoreModel,
} from '../../../workers/store/models.ts';
import {
  exportEverything,
  lessonFile,
  modelFile,
  readImportFile,
  runFile,
  safeFileName,
  storeImport,
  toJson,
  type ImportReport,
  type ImportedLesson,
} from '../../../workers/store/files.ts';
import { ImportError } from '../../../workers/store/validate.ts';
import { toTfjsLayers } from '../../../workers/store/tfjs.ts';
import { filterModels, filterRuns, type SortKey } from '../components/library/sorting.ts';
import { MAX_OVERLAY } from '../components/library/overlay.ts';
import {
  RunRecorder,
  type DataLink,
  type RunSummary,
  type TrainingLink,
  type TrainingSnapshot,
} from './run-recorder.svelte.ts';

export type { DataLink, RunSummary, TrainingLink, TrainingSnapshot };

interface Undo {
  label: string;
  restore: () => Promise<unknown>;
}

export interface LibraryOptions {
  /** Called after a write, to refresh the storage estimate in the header. */
  onStorageChange?: () => void;
  /** Called once after the first save (default: navigator.storage.persist()). */
  onFirstWrite?: () => void;
  /** Opens the store (tests pass one over fake-indexeddb). */
  open?: () => Promise<LabStore>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Library {
  store = $state.raw<LabStore | null>(null);
  ready = $state(false);
  /** Storage works only in memory (IndexedDB refused): shown as a banner. */
  inMemory = $state(false);
  /** A lasting problem with storage (another tab updated the app, storage unavailable...). */
  banner = $state<string | null>(null);
  /** The last failure, in words a student understands (role="alert"). */
  error = $state<string | null>(null);
  /** The last success worth saying (role="status"). */
  notice = $state<string | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  models = $state.raw<ModelRecord[]>([]);
  query = $state('');
  sort = $state<SortKey>('newest');
  /** Runs chosen for the overlay chart (2 to 4). */
  selected = $state<string[]>([]);
  undo = $state.raw<Undo | null>(null);
  /** The last lesson pack opened (its note is shown as text). */
  lesson = $state.raw<ImportedLesson | null>(null);

  #opts: LibraryOptions;
  #training: TrainingLink | null = null;
  #data: DataLink | null = null;
  #recorder = new RunRecorder({
    store: () => this.store,
    fail: (e) => this.#fail(e),
    refresh: () => this.refresh(),
    showRun: (run) => this.#showRun(run),
  });
  #unsubscribe: (() => void) | null = null;

  constructor(opts: LibraryOptions = {}) {
    this.#opts = opts;
  }

  get filteredRuns(): RunRecord[] {
    return filterRuns(this.runs, this.query, this.sort);
  }

  get filteredModels(): ModelRecord[] {
    return filterModels(this.models, this.query, this.sort);
  }

  get selectedRuns(): RunRecord[] {
    return this.selected
      .map((id) => this.runs.find((r) => r.id === id))
      .filter((r): r is RunRecord => !!r);
  }

  get interruptedRuns(): RunRecord[] {
    return this.runs.filter((r) => r.status === 'interrupted');
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

  async refresh(): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const [runs, models] = await Promise.all([listRuns(store), listModels(store)]);
      this.runs = runs;
      this.models = models;
      this.selected = this.selected.filter((id) => runs.some((r) => r.id === id));
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Puts one re-read run in the list (cheaper than the whole list at every checkpoint). */
  #showRun(run: RunRecord): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    this.runs = i < 0 ? [run, ...this.runs] : this.runs.map((r) => (r.id === run.id ? run : r));
  }

  #fail(e: unknown): void {
    this.error = message(e);
  }

  async #guard<T>(fn: (store: LabStore) => Promise<T>): Promise<T | undefined> {
    const store = this.store;
    if (!store) {
      this.error = this.banner ?? UNAVAILABLE_MESSAGE;
      return undefined;
    }
    this.error = null;
    try {
      return await fn(store);
    } catch (e) {
      this.#fail(e);
      return undefined;
    }
  }

  // ------------------------------------------------------------------ list actions

  async renameRun(id: string, name: string): Promise<void> {
    await this.#guard(async (s) => {
      const given = await renameRun(s, id, name);
      if (given !== name.trim())
        this.notice = `That name was taken; the run is now called "${given}".`;
      await this.refresh();
    });
  }

  async renameModel(id: string, name: string): Promise<void> {
    await this.#guard(async (s) => {
      const given = await renameModel(s, id, name);
      if (given !== name.trim())
        this.notice = `That name was taken; the model is now called "${given}".`;
      await this.refresh();
    });
  }

  async deleteRun(id: string): Promise<void> {
    if (id === this.#recorder.recordingId) {
      this.error = 'This run is training now. Stop it first, then delete it.';
      return;
    }
    await this.#guard(async (s) => {
      const gone: DeletedRun | null = await deleteRun(s, id);
      if (gone) {
        this.undo = {
          label: `Deleted run "${gone.run.name}".`,
          restore: () => restoreRun(s, gone),
        };
        this.selected = this.selected.filter((x) => x !== id);
      }
      await this.refresh();
    });
  }

  async deleteModel(id: string): Promise<void> {
    await this.#guard(async (s) => {
      const gone = await deleteModel(s, id);
      if (gone)
        this.undo = {
          label: `Deleted model "${gone.name}".`,
          restore: () => restoreModel(s, gone),
        };
      await this.refresh();
    });
  }

  async undoDelete(): Promise<void> {
    const u = this.undo;
    if (!u) return;
    this.undo = null;
    await this.#guard(async () => {
      await u.restore();
      this.notice = 'Restored.';
      await this.refresh();
    });
  }

  dismissUndo(): void {
    this.undo = null;
  }

  /** Adds or removes a run from the overlay (at most 4). */
  toggleSelected(id: string): void {
    if (this.selected.includes(id)) this.selected = this.selected.filter((x) => x !== id);
    else if (this.selected.length >= MAX_OVERLAY)
      this.error = `At most ${MAX_OVERLAY} runs can be compared at once: untick one first.`;
    else this.selected = [...this.selected, id];
  }

  // ------------------------------------------------------------------ recording runs (RunRecorder)

  /** The run being recorded now (its id), if any. */
  get recordingId(): string | null {
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
    await this.#guard(async (s) => {
      const m = await this.#recorder.saveModelFromRun(s, runId);
      this.notice = `Saved model "${m.name}".`;
      await this.refresh();
    });
  }

  /** Continues an interrupted (or stopped) run from its last checkpoint. */
  async resume(runId: string): Promise<void> {
    await this.#guard((s) => this.#recorder.resume(s, runId));
  }

  /** Trains again with the same seed, data and configuration (a new run). */
  async replay(runId: string): Promise<void> {
    await this.#guard(async (s) => {
      const notice = await this.#recorder.replay(s, runId);
      if (notice) this.notice = notice;
    });
  }

  // ------------------------------------------------------------------ export and import

  async exportModel(
    id: string,
    save: (data: BlobPart, name: string, type?: string) => void,
  ): Promise<void> {
    await this.#guard(async (s) => {
      const m = await getModel(s, id);
      if (!m) throw new Error('This model no longer exists.');
      save(toJson(modelFile(m)), safeFileName(m.name, 'model.json'));
    });
  }

  async exportTfjs(
    id: string,
    save: (data: BlobPart, name: string, type?: string) => void,
  ): Promise<void> {
    await this.#guard(async (s) => {
      const m = await getModel(s, id);
      if (!m) throw new Error('This model no longer exists.');
      const base = safeFileName(m.name, 'weights.bin');
      const e = toTfjsLayers(m.network, base);
      save(JSON.stringify(e.modelJson), safeFileName(m.name, 'tfjs.json'));
      save(e.weights, base, 'application/octet-stream');
    });
  }

  async exportRun(
    id: string,
    save: (data: BlobPart, name: string, type?: string) => void,
  ): Promise<void> {
    await this.#guard(async (s) => {
      const run = await getRun(s, id);
      if (!run) throw new Error('This run no longer exists.');
      save(toJson(runFile(run, await getCheckpoint(s, id))), safeFileName(run.name, 'run.json'));
    });
  }

  async exportAll(save: (data: BlobPart, name: string, type?: string) => void): Promise<void> {
    await this.#guard(async (s) => {
      const backup = await exportEverything(s);
      save(toJson(backup), `backprop-lab-backup-${backup.exportedAt.slice(0, 10)}.json`);
    });
  }

  /** Whether a lesson pack can be made now: a dropped file is loaded (generated samples have no file). */
  get canMakeLesson(): boolean {
    return !!this.#data?.file;
  }

  /** A lesson pack: the loaded file's bytes, its data settings, the training settings and a note. */
  async exportLesson(
    title: string,
    note: string,
    save: (data: BlobPart, name: string, type?: string) => void,
  ): Promise<void> {
    this.error = null;
    const data = this.#data;
    if (!data?.file) {
      this.error =
        'Drop the CSV file for the lesson in the Data area first (a generated sample has no file to pack).';
      return;
    }
    try {
      const bytes = await data.file.arrayBuffer();
      const cfg = this.#training?.form.config ?? null;
      const file = lessonFile({
        title: title.trim() || 'Lesson',
        note,
        dataset: {
          name: data.sourceName ?? 'data.csv',
          type: data.file.type || 'text/csv',
          bytes,
          summary: null,
        },
        recipeSettings: data.recipe ? $state.snapshot(data.recipe.settings) : null,
        config: cfg ? $state.snapshot(cfg) : null,
      });
      save(toJson(file), safeFileName(title || 'lesson', 'lesson.json'));
      this.notice = `Lesson pack "${title.trim() || 'Lesson'}" exported.`;
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Checks the size, reads, validates, then stores (all or nothing, never overwriting). */
  async importFile(file: File): Promise<ImportReport | undefined> {
    this.notice = null;
    return this.#guard(async (s) => {
      let report: ImportReport;
      try {
        const bundle = await readImportFile(file);
        report = await storeImport(s, bundle);
        if (bundle.lesson) {
          this.lesson = bundle.lesson;
          const form = this.#training?.form;
          if (bundle.lesson.config && form) {
            form.load(bundle.lesson.config);
            // The teacher's settings win over the suggestions made for new data.
            if ('touched' in form) form.touched = true;
          }
          if (this.#data?.loadFile) {
            const d = bundle.lesson.dataset;
            await this.#data.loadFile(new File([d.bytes.slice().buffer], d.name, { type: d.type }));
            if (bundle.lesson.recipeSettings && this.#data.useSettings)
              await this.#data.useSettings(bundle.lesson.recipeSettings);
          }
        }
      } catch (e) {
        if (e instanceof ImportError)
          throw new Error(`"${file.name}" was not imported: ${e.message}`, { cause: e });
        throw e;
      }
      const parts = [
        report.models.length
          ? `${report.models.length} model${report.models.length > 1 ? 's' : ''}`
          : '',
        report.runs.length ? `${report.runs.length} run${report.runs.length > 1 ? 's' : ''}` : '',
        report.datasets.length
          ? `${report.datasets.length} dataset${report.datasets.length > 1 ? 's' : ''}`
          : '',
      ].filter(Boolean);
      const renamed = report.renamed.map((r) => `"${r.from}" is saved as "${r.to}"`).join('; ');
      this.notice = `Imported ${parts.join(', ') || 'nothing new'} from "${file.name}".${renamed ? ` ${renamed} (the name was taken).` : ''}`;
      await this.refresh();
      return report;
    });
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#recorder.dispose();
    void this.store?.close();
  }
}

/** The data session's parts the library reads (DatasetSession satisfies it). */
export interface DatasetSessionLike {
  readonly recipe: Recipe | null;
  readonly report: HealthReport | null;
  readonly source: { kind: string; name?: string } | null;
  loadFile(file: Blob & { name?: string }): Promise<void>;
  update(patch: Partial<import('../../../workers/data/types.ts').RecipeSettings>): Promise<void>;
}

/**
 * A DataLink over the data session. The session does not keep the dropped file, so its loadFile is
 * wrapped to remember the last one (the bytes of a run's dataset, stored once by content hash).
 */
export function dataLink(session: DatasetSessionLike): DataLink {
  let file: (Blob & { name?: string }) | null = null;
  const load = session.loadFile.bind(session);
  session.loadFile = (f: Blob & { name?: string }) => {
    file = f;
    return load(f);
  };
  return {
    get recipe() {
      return session.recipe;
    },
    get report() {
      return session.report;
    },
    get sourceName() {
      const s = session.source;
      return s && 'name' in s && s.name ? s.name : (session.report?.source ?? 'data');
    },
    get file() {
      return session.source?.kind === 'file' ? file : null;
    },
    loadFile: (f: File) => session.loadFile(f),
    useSettings: (settings: unknown) =>
      session.update(settings as Partial<import('../../../workers/data/types.ts').RecipeSettings>),
  };
}
