// The run recorder: keeps the run that is training in the library. It writes each checkpoint the
// trainer hands over (at most one write in flight; a newer snapshot replaces one still waiting), ends
// the run with its status and result, keeps the model of a completed run, and continues (resume) or
// repeats (replay) a saved run. The Library owns the lists and delegates these to it.
import type { PackedNetwork, PackedResumeState } from '../../../workers/core/packed.ts';
import type { LabStore } from '../../../workers/store/store.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import type {
  Divergence,
  EpochMetrics,
  ResumeState,
  SerializedNetwork,
  TestMetrics,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import {
  claimRun,
  finishRun,
  getCheckpoint,
  getRun,
  resumePoint,
  saveCheckpoint,
  startRun,
} from '../../../workers/store/runs.ts';
import { saveModel } from '../../../workers/store/models.ts';
import { getDataset, putDataset } from '../../../workers/store/datasets.ts';
import type { DataLink } from './data-link.ts';

/** Where training continues from: a saved network, its run's configuration and history, and the
 *  trainer's state for an exact continuation (null: an older checkpoint, the optimizer starts afresh). */
export interface ResumeFrom {
  network: SerializedNetwork;
  config: TrainConfig;
  history?: EpochMetrics[];
  /** Epochs completed at the checkpoint (the new rows are numbered on from it). */
  startEpoch?: number;
  resume?: ResumeState | null;
}

/** What the recorder needs from the training session (TrainingSession satisfies it). */
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
  resumeFrom(s: ResumeFrom): Promise<void>;
  markInterrupted?(history?: EpochMetrics[]): void;
}

/** A checkpoint as the trainer hands it over (a TrainerSnapshot satisfies it). */
export interface TrainingSnapshot {
  network: PackedNetwork;
  config: TrainConfig;
  /** This session's rows (a resumed run's rows are numbered on from its checkpoint). */
  history: EpochMetrics[];
  state: TrainingState;
  epoch: number;
  savedAt: number;
  /** Compute time of the run so far, ms. */
  elapsedMs?: number;
  /** What a resume needs besides the network to continue exactly (null after a divergence). */
  resume?: PackedResumeState | null;
}

export interface RunSummary {
  state: 'done' | 'stopped' | 'diverged';
  final: EpochMetrics | null;
  test: TestMetrics | null;
  divergence: Divergence | null;
  elapsedMs: number;
}

/** What the recorder uses of its library. */
export interface RecorderHost {
  store(): LabStore | null;
  /** Reports a failure in words a student understands. */
  fail(e: unknown): void;
  /** Reloads the lists. */
  refresh(): Promise<void>;
  /** Shows a run just written (cheaper than reloading every list at each checkpoint). */
  showRun(run: RunRecord): void;
}

interface Recording {
  runId: string | null;
  release: (() => void) | null;
  /** History saved before this session's part (a resumed run), and the epoch offset of the new rows. */
  base: EpochMetrics[];
  offset: number;
  /** Training time of the run before this session, when the trainer does not carry it on. */
  elapsedBase: number;
  latest: TrainingSnapshot | null;
}

const idle = (): Recording => ({
  runId: null,
  release: null,
  base: [],
  offset: 0,
  elapsedBase: 0,
  latest: null,
});

export class RunRecorder {
  /** The run being recorded now (its id), if any. */
  recordingId = $state<string | null>(null);

  #host: RecorderHost;
  #training: TrainingLink | null = null;
  #data: DataLink | null = null;
  #rec: Recording = idle();
  #queue: Promise<unknown> = Promise.resolve();
  #pending: TrainingSnapshot | null = null;
  #writing = false;

  constructor(host: RecorderHost) {
    this.#host = host;
  }

  /** Connects the training session: its checkpoints and run ends are saved from now on. */
  attach(training: TrainingLink, data: DataLink | null = null): void {
    this.#training = training;
    if (data) this.#data = data;
    training.onCheckpoint = (s) => this.#checkpoint(s);
    training.onRunEnd = (summary) => {
      void this.#enqueue(() => this.#end(summary));
    };
  }

  /** Connects the data session (the dataset and recipe recorded with each run). */
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

  /** The run's whole history: the saved part of a resumed run, then this session's rows. The trainer
   * numbers a resumed part on from the checkpoint (kept as is); rows numbered from 1 are shifted. */
  #history(s: TrainingSnapshot): EpochMetrics[] {
    const { base, offset } = this.#rec;
    if (!offset && !base.length) return s.history;
    const numberedOn = s.history.length > 0 && s.history[0].epoch > offset;
    const shift = numberedOn ? 0 : offset;
    return [...base, ...s.history.map((h) => ({ ...h, epoch: h.epoch + shift }))];
  }

  /** Training time of the whole run at this snapshot. */
  #elapsed(s: TrainingSnapshot): number {
    return this.#rec.elapsedBase + (s.elapsedMs ?? s.history.at(-1)?.elapsedMs ?? 0);
  }

  async #ensureRun(store: LabStore, s: TrainingSnapshot): Promise<string> {
    if (this.#rec.runId) return this.#rec.runId;
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
        this.#host.fail(e);
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
    const store = this.#host.store();
    if (!store) return;
    try {
      const id = await this.#ensureRun(store, s);
      const history = this.#history(s);
      await saveCheckpoint(store, id, {
        history,
        network: s.network,
        epoch: history.at(-1)?.epoch ?? 0,
        elapsedMs: this.#elapsed(s),
        trainerState: s.resume ?? null,
      });
      const run = await getRun(store, id);
      if (run) this.#host.showRun(run);
    } catch (e) {
      this.#host.fail(e);
    }
  }

  async #end(summary: RunSummary): Promise<void> {
    const store = this.#host.store();
    const rec = this.#rec;
    try {
      const latest = rec.latest;
      if (!store || !latest) return;
      const id = await this.#ensureRun(store, latest);
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
      const diverged = summary.state === 'diverged';
      const run = await finishRun(store, id, {
        status,
        history: this.#history(latest),
        network: diverged ? undefined : latest.network,
        trainerState: diverged ? null : (latest.resume ?? null),
        final,
        divergence: summary.divergence,
        elapsedMs: rec.elapsedBase + summary.elapsedMs,
      });
      if (status === 'completed') await this.#saveModel(store, run, latest.network);
      await this.#host.refresh();
    } catch (e) {
      this.#host.fail(e);
    } finally {
      rec.release?.();
      this.#rec = idle();
      this.recordingId = null;
    }
  }

  async #saveModel(store: LabStore, run: RunRecord, network: PackedNetwork): Promise<ModelRecord> {
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

  /** Keeps a model from a run's checkpoint (a stopped or interrupted run). */
  async saveModelFromRun(store: LabStore, runId: string): Promise<ModelRecord> {
    const run = await getRun(store, runId);
    const cp = await getCheckpoint(store, runId);
    if (!run || !cp)
      throw new Error('This run has no saved weights, so there is no model to keep.');
    return this.#saveModel(store, run, cp.network);
  }

  #link(): TrainingLink {
    if (!this.#training) throw new Error('Training is not ready yet. Wait a moment and try again.');
    return this.#training;
  }

  /** Continues an interrupted (or stopped) run from its last checkpoint: exactly where it was when
   *  the checkpoint holds the trainer's state, else from its weights with the optimizer afresh. */
  async resume(store: LabStore, runId: string): Promise<void> {
    const training = this.#link();
    const point = await resumePoint(store, runId);
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
    const release = await claimRun(store, runId);
    this.#rec = {
      runId,
      release,
      base: point.history,
      offset: point.epoch,
      // An exact resume carries the run's training time on; an older checkpoint starts it at 0.
      elapsedBase: point.trainerState ? 0 : point.run.timings.elapsedMs,
      latest: null,
    };
    this.recordingId = runId;
    await this.#host.refresh();
    await training.resumeFrom({
      network: point.network,
      config: point.run.config,
      history: point.history,
      startEpoch: point.epoch,
      resume: point.trainerState,
    });
  }

  /** Trains again with the same seed, data and configuration (a new run). Returns a notice when the
   *  run's data had to be loaded first. */
  async replay(store: LabStore, runId: string): Promise<string | undefined> {
    const training = this.#link();
    const run = await getRun(store, runId);
    if (!run) throw new Error('This run no longer exists.');
    const ds = training.dataset;
    const sameData =
      ds &&
      ds.featureNames.length === run.featureNames.length &&
      ds.featureNames.every((f, i) => f === run.featureNames[i]) &&
      ds.targetName === run.targetName;
    if (!sameData) {
      const stored = run.datasetHash ? await getDataset(store, run.datasetHash) : undefined;
      if (stored && this.#data?.loadFile) {
        await this.#data.loadFile(new File([stored.file], stored.name, { type: stored.type }));
        return `Loaded "${stored.name}" in the Data area. Choose the same target and settings, then press Replay again.`;
      }
      throw new Error(
        `Load the data of "${run.name}" (${run.datasetName || 'its dataset'}) in the Data area first, then press Replay again.`,
      );
    }
    training.form.load(run.config);
    await training.train();
    return undefined;
  }

  /** Lets go of the run's lock (the page closes). */
  dispose(): void {
    this.#rec.release?.();
  }
}
