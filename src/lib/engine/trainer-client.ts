// The training session's commands to the trainer worker, each with its time limit: the data is sent
// once per dataset, a run is prepared and started, and a page without shared memory sends pause, step
// and stop through Comlink (with shared memory they are flags in the control block: TrainerView).
import { proxy } from 'comlink';
import { trainer, withTimeout, type Trainer } from './bridge.ts';
import type {
  EpochMetrics,
  LrRangeResult,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import {
  memoryBudget,
  type PrepareOptions,
  type SessionViews,
  type TrainSummary,
  type TrainerSnapshot,
  type CheckpointSink,
} from '../../../workers/trainer/types.ts';

/** Time allowed for a command that is not a whole run (load, prepare, predict, snapshot). */
export const COMMAND_MS = 60_000;
/** Time allowed for a learning-rate range test (a few hundred mini-batches, sliced in the worker). */
export const RANGE_TEST_MS = 300_000;
const WHO = 'The training worker';

/** The arena bytes a run may take on this device (memoryBudget of navigator.deviceMemory). */
export function deviceBudget(): number {
  const nav = globalThis.navigator as { deviceMemory?: number } | undefined;
  return memoryBudget(nav?.deviceMemory);
}

/** Checkpoints the trainer worker writes into the lab's database (its name) itself, telling `sink`. */
export interface CheckpointWriting {
  database: string;
  sink: CheckpointSink;
}

/** The same writing for as long as `current()` holds: a run that is no longer the current one (the
 *  worker was reset under it) has no checkpoint saved and no write heard. */
export function whileCurrent(w: CheckpointWriting, current: () => boolean): CheckpointWriting {
  const { sink } = w;
  return {
    database: w.database,
    sink: {
      target: (n) => (current() ? sink.target(n) : null),
      written: (n, t, r) => (current() ? sink.written(n, t, r) : undefined),
    },
  };
}

export class TrainerClient {
  readonly #remote: () => Trainer;
  /** The dataset the worker holds (sent again only when it changes). */
  #loaded: PreparedDataset | null = null;
  /** A dataset on its way to the worker, sent when it was chosen (see preload). */
  #loading: { ds: PreparedDataset; done: Promise<boolean> } | null = null;

  /** `remote`: the bridge's trainer by default (tests may pass another). */
  constructor(remote: () => Trainer = trainer) {
    this.#remote = remote;
  }

  /** Sends the data if the worker does not hold it yet, then plans a run (from a checkpoint's
   * parameters and resume state if given). */
  async prepare(
    ds: PreparedDataset,
    cfg: TrainConfig,
    from?: PrepareOptions,
  ): Promise<SessionViews> {
    await this.#load(ds);
    const opts = { budgetBytes: deviceBudget(), ...from };
    return withTimeout(this.#remote().prepare(cfg, opts), COMMAND_MS, WHO);
  }

  /** A learning-rate range test for `cfg` on `ds` (sent first if the worker does not hold it); the
   * worker reports the mini-batches done and the rate reached to `onProgress` now and then. */
  async findLearningRate(
    ds: PreparedDataset,
    cfg: TrainConfig,
    onProgress?: (steps: number, lr: number) => void,
  ): Promise<LrRangeResult> {
    await this.#load(ds);
    return withTimeout(
      this.#remote().findLearningRate(cfg, onProgress ? proxy(onProgress) : undefined),
      RANGE_TEST_MS,
      WHO,
    );
  }

  /** Sends `ds` unless the worker holds it or it is already on its way (then waits for it). */
  async #load(ds: PreparedDataset): Promise<void> {
    const loading = this.#loading;
    if (this.#loaded === ds || (loading?.ds === ds && (await loading.done))) return;
    this.#loading = null;
    this.#loaded = null;
    await withTimeout(this.#remote().load(ds), COMMAND_MS, WHO);
    this.#loaded = ds;
  }

  /** Sends a dataset to the worker as soon as it is chosen, so that pressing Train copies nothing
   * (a 3,000 x 784 table is a 10 MB copy on the page). A failure is left to prepare, which sends it
   * again and reports. */
  preload(ds: PreparedDataset): void {
    if (this.#loaded === ds || this.#loading?.ds === ds) return;
    // From now on the worker may hold either dataset until this one has arrived.
    this.#loaded = null;
    const settle = (ok: boolean) => {
      if (this.#loading !== loading) return false;
      this.#loading = null;
      if (ok) this.#loaded = ds;
      return ok;
    };
    let sent: Promise<unknown>;
    try {
      sent = withTimeout(this.#remote().load(ds), COMMAND_MS, WHO);
    } catch (e) {
      sent = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    const loading = {
      ds,
      done: sent.then(
        () => settle(true),
        () => settle(false),
      ),
    };
    this.#loading = loading;
  }

  /** Runs the prepared session; resolves when the run ends (no time limit; a crash rejects it).
   * With `writer` (the lab's database on disk), the worker writes each checkpoint into it and tells
   * the writer; else it hands each checkpoint whole to `onCheckpoint` (top-level arguments: Comlink
   * cannot carry a callback nested in an options object). */
  start(
    onCheckpoint?: (s: TrainerSnapshot) => void,
    writer?: CheckpointWriting,
  ): Promise<TrainSummary> {
    return withTimeout(
      this.#remote().start(
        undefined,
        writer ? { writeTo: writer.database } : undefined,
        onCheckpoint ? proxy(onCheckpoint) : undefined,
        writer ? proxy(writer.sink) : undefined,
      ),
      0,
      WHO,
    );
  }

  /** The network's output A[L] (n_y x m) for inputs x (n_x x m) already through the recipe. */
  predict(x: Float32Array, m: number): Promise<Float32Array> {
    return withTimeout(this.#remote().predict(x, m), COMMAND_MS, WHO);
  }

  /** A plain copy of the current network and history. */
  snapshot(): Promise<TrainerSnapshot> {
    return withTimeout(this.#remote().snapshot(), COMMAND_MS, WHO);
  }

  /** Progress as a plain copy (for pages that cannot share memory). */
  poll(): Promise<{
    state: TrainingState;
    epoch: number;
    step: number;
    history: EpochMetrics[];
    bestEpoch?: number;
  }> {
    return this.#remote().poll();
  }

  /** Pause, resume, step or stop through Comlink (the path without shared memory). */
  command(cmd: 'pause' | 'resume' | 'step' | 'stop', kind?: 'batch' | 'epoch'): void {
    const r = this.#remote();
    void (cmd === 'step' ? r.step(kind) : r[cmd]());
  }

  /** The worker lost what it held (it crashed): send the data again next time. */
  forget(): void {
    this.#loaded = null;
  }
}
