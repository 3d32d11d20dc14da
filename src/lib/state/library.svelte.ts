// The Library: saved runs, models and datasets on this device. Holds the lists, search and sort,
// rename, delete with undo, the runs chosen for the overlay, export/import, and the link to the
// training session that records runs (checkpoints every 2 s, the end of a run) and resumes them.
import { openLabStore, type LabStore, type StoreEvent } from '../../../workers/store/store.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import type {
  EpochMetrics,
  SerializedNetwork,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { HealthReport, Recipe } from '../../../workers/data/types.ts';
import { StoreError, UNAVAILABLE_MESSAGE } from '../../../workers/store/errors.ts';
import {
  claimRun,
  deleteRun,
  finishRun,
  getCheckpoint,
  getRun,
  listRuns,
  recoverInterrupted,
  renameRun,
  restoreRun,
  resumePoint,
  saveCheckpoint,
  startRun,
  type DeletedRun,
} from '../../../workers/store/runs.ts';
import {
  deleteModel,
  getModel,
  listModels,
  renameModel,
  restoreModel,
  saveModel,
} from '../../../workers/store/models.ts';
import { getDataset, putDataset } from '../../../workers/store/datasets.ts';
import {
  exportEverything,
  lessonFile,
  modelFile,
  runFile,
  safeFileName,
  toJson,
} from '../../../workers/store/file-export.ts';
import {
  readImportFile,
  storeImport,
  type ImportReport,
  type ImportedLesson,
} from '../../../workers/store/file-import.ts';
import { ImportError } from '../../../workers/store/validate.ts';
import { toTfjsLayers } from '../../../workers/store/tfjs.ts';
import { filterModels, filterRuns, type SortKey } from './library-lists.ts';
import { MAX_OVERLAY } from './run-overlay.ts';

/** What the library needs from the training session (TrainingSession satisfies it). */
export interface TrainingLink {
  onCheckpoint: ((s: TrainingSnapshot) => void) | null;
  onRunEnd: ((summary: RunSummary, config: TrainConfig) => void) | null;
  readonly dataset: PreparedDataset | null;
  readonly state: TrainingState;
  readonly form: {
    load(c: TrainConfig): void;
    readonly config?: TrainConfig | null;
    touched?: boolean;
  };
  train(): Promise<void>;
  resumeFrom(s: {
    network: SerializedNetwork;
    config: TrainConfig;
    history?: EpochMetrics[];
  }): Promise<void>;
  markInterrupted?(history?: EpochMetrics[]): void;
}

/** What the library needs from the data session (all optional: the library works without it). */
export interface DataLink {
  readonly recipe?: Recipe | null;
  /** The name of the loaded file or sample. */
  readonly sourceName?: string;
  /** The original bytes of a dropped file (null for a generated sample). */
  readonly file?: Blob | null;
  readonly report?: HealthReport | null;
  /** Loads a file (a lesson pack's dataset, a replay's data) as if it were dropped. */
  loadFile?(file: File): Promise<unknown>;
  /** Applies data settings (target, recipe choices) from a lesson pack, after loadFile. */
  useSettings?(settings: unknown): Promise<unknown> | void;
}

export interface TrainingSnapshot {
  network: SerializedNetwork;
  config: TrainConfig;
  history: EpochMetrics[];
  state: TrainingState;
  epoch: number;
  savedAt: number;
}

export interface RunSummary {
  state: 'done' | 'stopped' | 'diverged';
  final: EpochMetrics | null;
  test: import('../../../workers/core/types.ts').TestMetrics | null;
  divergence: import('../../../workers/core/types.ts').Divergence | null;
  elapsedMs: number;
}

interface Recording {
  runId: string | null;
  release: (() => void) | null;
  /** History saved before this session's part (a resumed run), and the epoch offset of the new rows. */
  base: EpochMetrics[];
  offset: number;
  elapsedBase: number;
  latest: TrainingSnapshot | null;
}

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
  /** The run being recorded now (its id), if any. */
  recordingId = $state<string | null>(null);

  #opts: LibraryOptions;
  #training: TrainingLink | null = null;
  #data: DataLink | null = null;
  #rec: Recording = {
    runId: null,
    release: null,
    base: [],
    offset: 0,
    elapsedBase: 0,
    latest: null,
  };
  #queue: Promise<unknown> = Promise.resolve();
  #pending: TrainingSnapshot | null = null;
  #writing = false;
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

  /** Re-reads one run (cheaper than the whole list every 2 s while training). */
  async #refreshRun(store: LabStore, id: string): Promise<void> {
    const run = await getRun(store, id);
    if (!run) return;
    const i = this.runs.findIndex((r) => r.id === id);
    this.runs = i < 0 ? [run, ...this.runs] : this.runs.map((r) => (r.id === id ? run : r));
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
    if (id === this.#rec.runId) {
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

  // ------------------------------------------------------------------ recording runs

  /** Connects the training session: its checkpoints and run ends are saved here. */
  attachTraining(training: TrainingLink, data: DataLink | null = null): void {
    this.#training = training;
    if (data) this.#data = data;
    training.onCheckpoint = (s) => this.#checkpoint(s);
    training.onRunEnd = (summary, config) => {
      void this.#enqueue(() => this.#end(summary, config));
    };
  }

  /** Connects the data session (lesson packs, the dataset of each run). */
  attachData(data: DataLink): void {
    this.#data = data;
  }

  get canReplay(): boolean {
    return this.#training !== null;
  }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.#queue.then(fn, fn);
    this.#queue = p.catch(() => undefined);
    return p;
  }

  /** At most one checkpoint write in flight; a newer snapshot replaces one still waiting. */
  #checkpoint(s: TrainingSnapshot): void {
    this.#pending = s;
    this.#rec.latest = s;
    if (this.#writing) return;
    this.#writing = true;
    void this.#enqueue(async () => {
      try {
        while (this.#pending) {
          const snap = this.#pending;
          this.#pending = null;
          await this.#writeCheckpoint(snap);
        }
      } finally {
        this.#writing = false;
      }
    });
  }

  /** The run's whole history: the saved part of a resumed run, then this session's rows. The trainer may
   * number a resumed part from 1 (shifted here) or on from the checkpoint (kept as is). */
  #history(s: TrainingSnapshot): EpochMetrics[] {
    const { base, offset } = this.#rec;
    if (!offset && !base.length) return s.history;
    const numberedOn = s.history.length > 0 && s.history[0].epoch > offset;
    const shift = numberedOn ? 0 : offset;
    return [...base, ...s.history.map((h) => ({ ...h, epoch: h.epoch + shift }))];
  }

  async #ensureRun(s: TrainingSnapshot): Promise<string | null> {
    if (this.#rec.runId) return this.#rec.runId;
    const store = this.store;
    if (!store) return null;
    const ds = this.#training?.dataset ?? null;
    const data = this.#data;
    let datasetHash: string | null = null;
    if (data?.file) {
      try {
        datasetHash = (
          await putDataset(store, {
            name: data.sourceName ?? 'data.csv',
            bytes: data.file,
            summary: data.report ? $state.snapshot(data.report) : null,
            type: data.file.type || 'text/csv',
          })
        ).hash;
      } catch (e) {
        this.#fail(e);
      }
    }
    const recipe = data?.recipe ? $state.snapshot(data.recipe) : null;
    const { run, release } = await startRun(store, {
      config: s.config,
      datasetHash,
      datasetName: data?.sourceName ?? ds?.targetName ?? 'data',
      recipe,
      spec: s.network.spec,
      task: ds?.task ?? null,
      targetName: ds?.targetName ?? '',
      featureNames: ds ? [...ds.featureNames] : [],
      classLabels: ds ? [...ds.classLabels] : [],
      targetScale: ds?.targetScale ? { ...ds.targetScale } : null,
    });
    this.#rec.runId = run.id;
    this.#rec.release = release;
    this.recordingId = run.id;
    return run.id;
  }

  async #writeCheckpoint(s: TrainingSnapshot): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const id = await this.#ensureRun(s);
      if (!id) return;
      const history = this.#history(s);
      await saveCheckpoint(store, id, {
        history,
        network: s.network,
        epoch: history.at(-1)?.epoch ?? 0,
        elapsedMs: this.#rec.elapsedBase + (s.history.at(-1)?.elapsedMs ?? 0),
      });
      await this.#refreshRun(store, id);
    } catch (e) {
      this.#fail(e);
    }
  }

  async #end(summary: RunSummary, _config: TrainConfig): Promise<void> {
    const store = this.store;
    const rec = this.#rec;
    try {
      if (!store) return;
      const latest = rec.latest;
      if (!latest) return;
      const id = await this.#ensureRun(latest);
      if (!id) return;
      const history = this.#history(latest);
      const final: Record<string, number> = {};
      const t = summary.test;
      if (t) {
        final.testLoss = t.loss;
        if (t.task === 'regression') {
          final.testRmse = t.regression.rmse;
          final.testR2 = t.regression.r2;
        } else final.testAccuracy = t.classification.accuracy;
      }
      const status = summary.state === 'done' ? 'completed' : summary.state;
      const run = await finishRun(store, id, {
        status,
        history,
        network: summary.state === 'diverged' ? undefined : latest.network,
        final,
        divergence: summary.divergence,
        elapsedMs: rec.elapsedBase + summary.elapsedMs,
      });
      if (status === 'completed') await this.#saveModel(store, run, latest.network);
      await this.refresh();
    } catch (e) {
      this.#fail(e);
    } finally {
      rec.release?.();
      this.#rec = { runId: null, release: null, base: [], offset: 0, elapsedBase: 0, latest: null };
      this.recordingId = null;
    }
  }

  async #saveModel(
    store: LabStore,
    run: RunRecord,
    network: SerializedNetwork,
  ): Promise<ModelRecord> {
    return saveModel(store, {
      name: run.name,
      network,
      recipe: run.recipe,
      task: run.task,
      targetName: run.targetName,
      featureNames: run.featureNames,
      classLabels: run.classLabels,
      targetScale: run.targetScale,
      metrics: run.final ?? {},
      runId: run.id,
      datasetHash: run.datasetHash,
    });
  }

  /** Saves a model from a run's checkpoint (a stopped or interrupted run). */
  async saveModelFromRun(runId: string): Promise<void> {
    await this.#guard(async (s) => {
      const run = await getRun(s, runId);
      const cp = await getCheckpoint(s, runId);
      if (!run || !cp)
        throw new Error('This run has no saved weights, so there is no model to keep.');
      const m = await this.#saveModel(s, run, cp.network);
      this.notice = `Saved model "${m.name}".`;
      await this.refresh();
    });
  }

  /** Continues an interrupted (or stopped) run from its last checkpoint. */
  async resume(runId: string): Promise<void> {
    const training = this.#training;
    if (!training) {
      this.error = 'Training is not ready yet. Wait a moment and try again.';
      return;
    }
    await this.#guard(async (s) => {
      const point = await resumePoint(s, runId);
      const ds = training.dataset;
      if (!ds || ds.featureNames.length !== point.network.spec.inputs) {
        throw new Error(
          `Load the data of "${point.run.name}" (${point.run.datasetName || 'its dataset'}) in the Data area first, then press Resume again.`,
        );
      }
      if (point.remainingEpochs <= 0)
        throw new Error(
          `"${point.run.name}" already trained all its ${point.run.config.epochs} epochs.`,
        );
      const release = await claimRun(s, runId);
      this.#rec = {
        runId,
        release,
        base: point.history,
        offset: point.epoch,
        elapsedBase: point.run.timings.elapsedMs,
        latest: null,
      };
      this.recordingId = runId;
      await this.refresh();
      await training.resumeFrom({
        network: point.network,
        config: { ...point.run.config, epochs: point.remainingEpochs },
        history: point.history,
      });
    });
  }

  /** Trains again with the same seed, data and configuration (a new run). */
  async replay(runId: string): Promise<void> {
    const training = this.#training;
    if (!training) {
      this.error = 'Training is not ready yet. Wait a moment and try again.';
      return;
    }
    await this.#guard(async (s) => {
      const run = await getRun(s, runId);
      if (!run) throw new Error('This run no longer exists.');
      const ds = training.dataset;
      const sameData =
        ds &&
        ds.featureNames.length === run.featureNames.length &&
        ds.featureNames.every((f, i) => f === run.featureNames[i]) &&
        ds.targetName === run.targetName;
      if (!sameData) {
        const stored = run.datasetHash ? await getDataset(s, run.datasetHash) : undefined;
        if (stored && this.#data?.loadFile) {
          await this.#data.loadFile(new File([stored.file], stored.name, { type: stored.type }));
          this.notice = `Loaded "${stored.name}" in the Data area. Choose the same target and settings, then press Replay again.`;
          return;
        }
        throw new Error(
          `Load the data of "${run.name}" (${run.datasetName || 'its dataset'}) in the Data area first, then press Replay again.`,
        );
      }
      training.form.load(run.config);
      await training.train();
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
    this.#rec.release?.();
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
