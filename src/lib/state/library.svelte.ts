// The Library: saved runs, models and datasets on this device. It opens the store and follows its
// events, and links to the training session that records runs (checkpoints every 2 s, the end of a
// run), resumes and replays them. Its lists (search, sort, rename, delete with undo, the overlay's
// runs) come from LibraryLists (library-lists.svelte.ts); export and import are its `files`
// (library-files.svelte.ts).
import { openLabStore, type LabStore, type StoreEvent } from '../../../workers/store/store.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import type {
  EpochMetrics,
  SerializedNetwork,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { StoreError, UNAVAILABLE_MESSAGE } from '../../../workers/store/errors.ts';
import {
  claimRun,
  finishRun,
  getCheckpoint,
  getRun,
  recoverInterrupted,
  resumePoint,
  saveCheckpoint,
  startRun,
} from '../../../workers/store/runs.ts';
import { saveModel } from '../../../workers/store/models.ts';
import { getDataset, putDataset } from '../../../workers/store/datasets.ts';
import { LibraryFiles } from './library-files.svelte.ts';
import { LibraryLists } from './library-lists.svelte.ts';
import type { DataLink } from './data-link.ts';

export type { DataLink };

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

  /** Re-reads one run (cheaper than the whole list every 2 s while training). */
  async #refreshRun(store: LabStore, id: string): Promise<void> {
    const run = await getRun(store, id);
    if (!run) return;
    const i = this.runs.findIndex((r) => r.id === id);
    this.runs = i < 0 ? [run, ...this.runs] : this.runs.map((r) => (r.id === id ? run : r));
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
        this.fail(e);
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
      this.fail(e);
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
      this.fail(e);
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
    await this.guard(async (s) => {
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
    await this.guard(async (s) => {
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
    await this.guard(async (s) => {
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

  dispose(): void {
    this.#unsubscribe?.();
    this.#rec.release?.();
    void this.store?.close();
  }
}
