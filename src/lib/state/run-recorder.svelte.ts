// The run recorder: keeps the run that is training in the library. It writes each checkpoint the
// trainer hands over (at most one write in flight; a newer snapshot replaces one still waiting), ends
// the run with its status and result (its last weights are the run's model), keeps a run's model as a
// named model on request, and continues (resume) or repeats (replay) a saved run on its own data. The
// Library owns the lists and delegates these to it.
import type { LabStore } from '../../../workers/store/store.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import type { EpochMetrics } from '../../../workers/core/types.ts';
import {
  claimRun,
  finishRun,
  markInterrupted,
  getCheckpoint,
  getRun,
  resumePoint,
  startRun,
} from '../../../workers/store/runs.ts';
import { saveModel } from '../../../workers/store/models.ts';
import { tick } from 'svelte';
import { t } from '../i18n/i18n.svelte.ts';
import { MessageError, msg } from '../../../workers/messages/index.ts';
import type { DataLink } from './data-link.ts';
import { ensureRunData, storeRunData } from './run-data.ts';
import { isQuotaError } from '../../../workers/store/errors.ts';
import { RunSaving } from './run-saving.svelte.ts';
import { modelOfRun, runFinal } from './run-end.ts';

export type {
  ResumeFrom,
  TrainingLink,
  TrainingSnapshot,
  RunSummary,
  RecorderHost,
} from './run-recorder-types.ts';
import type {
  TrainingLink,
  RunSummary,
  RecorderHost,
  SeenCheckpoint,
} from './run-recorder-types.ts';
import { RunCheckpoints } from './run-checkpoints.ts';

interface Recording {
  runId: string | null;
  release: (() => void) | null;
  /** History saved before this session's part (a resumed run), and the epoch offset of the new rows. */
  base: EpochMetrics[];
  offset: number;
  /** Training time of the run before this session, when the trainer does not carry it on. */
  elapsedBase: number;
  latest: SeenCheckpoint | null;
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
  /** The summary of the last run whose end was written (the training area's is then in the list). */
  ended = $state.raw<unknown>(null);
  /** Whether the run that trains is still saved (a full disk stops it; the student chooses). */
  readonly storage = new RunSaving();

  #host: RecorderHost;
  #training: TrainingLink | null = null;
  #data: DataLink | null = null;
  #rec: Recording = idle();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #checkpoints: RunCheckpoints;
  /** A run's end is being written: closing the page now would lose it. */
  #ending = false;

  constructor(host: RecorderHost) {
    this.#host = host;
    this.#checkpoints = new RunCheckpoints({
      host,
      storage: this.storage,
      enqueue: (fn) => this.#enqueue(fn),
      ensureRun: (store, s) => this.#ensureRun(store, s),
      history: (s) => this.#history(s),
      elapsed: (s) => this.#elapsed(s),
      seen: (s) => void (this.#rec.latest = s),
      runId: () => this.#rec.runId,
    });
  }

  /** Connects the training session: its checkpoints and run ends are saved from now on. */
  attach(training: TrainingLink, data: DataLink | null = null): void {
    this.#training = training;
    if (data) this.#data = data;
    training.onCheckpoint = (s) => this.#checkpoints.take(s);
    training.checkpointWriting = () => this.#checkpoints.writing();
    training.onRunEnd = (summary) => this.#enqueue(() => this.#end(summary));
    training.onRunLost = () => void this.#enqueue(() => this.#lose());
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

  /** The run's whole history: the saved part of a resumed run, then this session's rows. The trainer
   * numbers a resumed part on from the checkpoint (kept as is); rows numbered from 1 are shifted. */
  #history(s: SeenCheckpoint): EpochMetrics[] {
    const { base, offset } = this.#rec;
    if (!offset && !base.length) return s.history;
    const numberedOn = s.history.length > 0 && s.history[0].epoch > offset;
    const shift = numberedOn ? 0 : offset;
    return [...base, ...s.history.map((h) => ({ ...h, epoch: h.epoch + shift }))];
  }

  /** Training time of the whole run at this snapshot. */
  #elapsed(s: SeenCheckpoint): number {
    return this.#rec.elapsedBase + (s.elapsedMs ?? s.history.at(-1)?.elapsedMs ?? 0);
  }

  async #ensureRun(store: LabStore, s: SeenCheckpoint): Promise<string> {
    if (this.#rec.runId) return this.#rec.runId;
    const ds = this.#training?.dataset ?? null;
    const data = this.#data;
    let datasetHash: string | null = null;
    try {
      datasetHash = await storeRunData(store, data);
    } catch (e) {
      if (isQuotaError(e)) throw e;
      this.#host.fail(e);
    }
    const { run, release } = await startRun(store, {
      config: s.config,
      datasetHash,
      datasetName: data?.sourceName ?? ds?.targetName ?? 'data',
      // Raw state (replaced, never changed in place): startRun clones it into the record.
      recipe: data?.recipe ?? null,
      spec: 'network' in s ? s.network.spec : s.spec,
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

  /** "Keep training without saving" (after a write failed for lack of room). */
  keepTrainingUnsaved(): void {
    this.storage.keepWithoutSaving();
  }

  /** "Stop" (after a write failed for lack of room): the run stops; what was saved stays. */
  stopUnsaved(): void {
    this.storage.keepWithoutSaving();
    this.#training?.stop?.();
  }

  /** The end of a run whose saving stopped for lack of room: its record is ended at its last saved
   *  checkpoint when there is room again (one try; its weights there are unchanged), else it stays
   *  as saved and shows as interrupted, as it will after a reload. Never a second alert. */
  async #endUnsaved(status: 'stopped' | 'interrupted'): Promise<void> {
    const saved = this.storage.savedEpoch;
    const history = this.storage.savedHistory;
    const id = this.#rec.runId;
    await this.#close(async (store) => {
      if (!id) return false;
      try {
        await finishRun(store, id, { status, history });
        return true;
      } catch (e) {
        if (!isQuotaError(e)) throw e;
        const run = await getRun(store, id);
        if (run) this.#host.showRun({ ...run, status: 'interrupted' });
        return false;
      }
    });
    this.#host.say?.(
      id ? t('runs.storageFull.ended', { epoch: saved }) : t('runs.storageFull.endedNothing'),
    );
  }

  /** Whether closing the page now would lose a run's end (it is being written). */
  get saving(): boolean {
    return this.#ending;
  }

  /** Ends the recording: `write` saves the run's last word (false: nothing to write), then the lists
   * reload; a failure is reported. Either way the lock goes and the next run gets a record of its own. */
  async #close(write: (store: LabStore) => Promise<boolean>): Promise<void> {
    const store = this.#host.store();
    const rec = this.#rec;
    try {
      if (store && (await write(store))) await this.#host.refresh();
    } catch (e) {
      this.#host.fail(e);
    } finally {
      rec.release?.();
      this.#rec = idle();
      this.#checkpoints.forget();
      this.recordingId = null;
      this.storage.reset();
    }
  }

  /** The worker died under the run: the run ends as interrupted at its last snapshot (checkpoint and
   * record agree, and it can continue). */
  async #lose(): Promise<void> {
    const rec = this.#rec;
    if (!rec.runId && !rec.latest) return;
    if (!this.storage.saving) return this.#endUnsaved('interrupted');
    await this.#close(async (store) => {
      const latest = rec.latest;
      // A checkpoint the worker wrote is the run's last word (its own newer one died with it).
      if (latest && !('network' in latest)) {
        if (!rec.runId) return false;
        await markInterrupted(store, rec.runId);
        return true;
      }
      const id = latest ? await this.#ensureRun(store, latest) : rec.runId;
      if (!id) return false;
      await finishRun(store, id, {
        status: 'interrupted',
        history: latest ? this.#history(latest) : rec.base,
        ...(latest ? { network: latest.network, trainerState: latest.resume ?? null } : {}),
        elapsedMs: latest ? this.#elapsed(latest) : rec.elapsedBase,
      });
      return true;
    });
  }

  async #end(summary: RunSummary): Promise<void> {
    const rec = this.#rec;
    this.#ending = true;
    if (!this.storage.saving) {
      await this.#endUnsaved('stopped');
      this.ended = summary;
      this.#ending = false;
      return;
    }
    await this.#close(async (store) => {
      const latest = rec.latest;
      if (!latest) return false;
      const id = await this.#ensureRun(store, latest);
      const final = runFinal(summary);
      const status = summary.state === 'done' ? 'completed' : summary.state;
      const diverged = summary.state === 'diverged';
      // The worker wrote the last checkpoint itself when the page heard only its notice.
      const whole = 'network' in latest && !diverged ? latest : null;
      await finishRun(store, id, {
        status,
        history: this.#history(latest),
        network: whole?.network,
        trainerState: whole?.resume ?? null,
        final,
        divergence: summary.divergence,
        elapsedMs: rec.elapsedBase + summary.elapsedMs,
      });
      return true;
    });
    this.ended = summary;
    this.#ending = false;
  }

  /** Keeps a run's model (its last saved weights) as a named model, after the writes in flight (the
   *  end of a run that just finished); `kept` is the model already kept from these weights, if any. */
  async saveModelFromRun(
    store: LabStore,
    runId: string,
    kept: (run: RunRecord) => ModelRecord | undefined = () => undefined,
  ): Promise<{ model: ModelRecord; created: boolean }> {
    return this.#enqueue(async () => {
      const run = await getRun(store, runId);
      const cp = await getCheckpoint(store, runId);
      if (!run || !cp) throw new Error(t('runs.error.noWeights'));
      const model = kept(run);
      if (model) return { model, created: false };
      return {
        model: await saveModel(store, modelOfRun(run, cp.network, cp.epoch)),
        created: true,
      };
    });
  }

  /** The training session, when it is free to start a run (writes of the last run done first). */
  async #free(action: string): Promise<TrainingLink> {
    await this.#queue;
    if (!this.#training) throw new Error(t('library.recorder.notReady'));
    const s = this.#training.state;
    if (s === 'running' || s === 'paused' || this.#rec.runId)
      throw new Error(t('runs.error.busy', { action }));
    return this.#training;
  }

  /** Makes the run's data the loaded data (its stored dataset, when another is loaded). */
  async #ensureData(store: LabStore, run: RunRecord, action: string): Promise<void> {
    const training = this.#training;
    await ensureRunData(
      { store, dataset: () => training?.dataset ?? null, data: this.#data, action, settle: tick },
      run,
    );
  }

  /** Continues an interrupted (or stopped) run from its last checkpoint: exactly where it was when
   *  the checkpoint holds the trainer's state, else from its weights with the optimizer afresh. */
  async resume(store: LabStore, runId: string): Promise<void> {
    const action = t('runs.action.continue');
    await this.#free(action);
    const point = await resumePoint(store, runId);
    if (point.remainingEpochs <= 0)
      throw new Error(
        t('runs.error.allEpochs', { run: point.run.name, epochs: point.run.config.epochs }),
      );
    await this.#ensureData(store, point.run, action);
    const training = await this.#free(action);
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
    this.storage.reset(point.history);
    // The card follows the training area from here (library.svelte.ts, liveStatus).
    this.recordingId = runId;
    await training.resumeFrom({
      network: point.network,
      config: point.run.config,
      history: point.history,
      startEpoch: point.epoch,
      resume: point.trainerState,
    });
  }

  /** Trains again with the same seed, data and configuration (a new run), on the run's own data:
   *  its stored dataset is loaded first when other data is loaded. */
  async replay(store: LabStore, runId: string): Promise<void> {
    const action = t('runs.action.replay');
    await this.#free(action);
    const run = await getRun(store, runId);
    if (!run) throw new MessageError(msg('store.run.gone'));
    await this.#ensureData(store, run, action);
    const training = await this.#free(action);
    training.form.load(run.config);
    await training.train();
  }

  /** Lets go of the run's lock (the page closes). */
  dispose(): void {
    this.#rec.release?.();
  }
}
