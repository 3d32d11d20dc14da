// The page's reader and remote control of a training session's shared memory. Built from the
// SessionViews that the trainer's `prepare()` returns, it is read every animation frame: no message
// per batch, no copy. Commands are flags set with Atomics, plus a notify so a paused trainer wakes at
// once. The layout (CTRL, LIVE, STATES, EPOCH_FIELDS) is the plain data of workers/core/types.ts, the
// same the trainer writes with. On a plain ArrayBuffer (no isolation) nothing here moves: the page
// polls the worker instead.
import {
  CTRL,
  EPOCH_FIELDS,
  LIVE,
  STATES,
  type EpochMetrics,
  type TrainingState,
} from '../../../workers/core/types.ts';
import type { SessionViews } from '../../../workers/trainer/types.ts';
import type { PageLayer } from '../../../workers/view/types.ts';

/** Live W[l] (n_l x n_{l-1}, row-major) and b[l] (n_l x 1) of one layer, with its activation (what
 * the page's live views draw): the view worker's PageLayer. */
export type LiveLayer = PageLayer;

type Kind = 'f32' | 'i32' | 'f64';

export class TrainerView {
  readonly views: SessionViews;
  readonly ctrl: Int32Array;
  readonly shared: boolean;
  readonly #history: Float64Array;
  readonly #live: Float64Array;

  constructor(views: SessionViews) {
    this.views = views;
    this.shared = views.shared;
    this.ctrl = this.#view('ctrl', 'i32', Int32Array);
    this.#history = this.#view('history', 'f64', Float64Array);
    this.#live = this.#view('live', 'f64', Float64Array);
  }

  get state(): TrainingState {
    return STATES[Atomics.load(this.ctrl, CTRL.STATE)] ?? 'idle';
  }
  /** Epochs completed (counting a resumed checkpoint's epochs). */
  get epoch(): number {
    return Atomics.load(this.ctrl, CTRL.EPOCH);
  }
  /** Batches completed in the current epoch. */
  get batchInEpoch(): number {
    return Atomics.load(this.ctrl, CTRL.STEP);
  }
  get totalSteps(): number {
    return Atomics.load(this.ctrl, CTRL.TOTAL_STEPS);
  }
  /** Epochs planned in all. */
  get epochs(): number {
    return Atomics.load(this.ctrl, CTRL.EPOCHS);
  }
  get batchesPerEpoch(): number {
    return Atomics.load(this.ctrl, CTRL.BATCHES_PER_EPOCH);
  }
  /** Rows in the history block (this run's epochs). */
  get historyLength(): number {
    return Atomics.load(this.ctrl, CTRL.HISTORY_LEN);
  }
  /** Threads the run trains on since its thread trial (0: none yet). */
  get threads(): number {
    return Atomics.load(this.ctrl, CTRL.THREADS);
  }
  /** The epoch of the best dev loss so far (0 before any); with early stopping on, the one kept. */
  get bestEpoch(): number {
    return Atomics.load(this.ctrl, CTRL.BEST_EPOCH);
  }
  /** Increments after every parameter update. */
  get paramsVersion(): number {
    return Atomics.load(this.ctrl, CTRL.PARAMS_VERSION);
  }

  /** History rows [from, historyLength) as plain objects, field by field in EPOCH_FIELDS order. */
  history(from = 0): EpochMetrics[] {
    const n = this.historyLength;
    const width = EPOCH_FIELDS.length;
    const out: EpochMetrics[] = [];
    for (let r = from; r < n; r++) {
      const row = {} as EpochMetrics;
      EPOCH_FIELDS.forEach((field, i) => (row[field] = this.#history[r * width + i]));
      out.push(row);
    }
    return out;
  }

  /** Data loss of the last mini-batch. */
  lastBatchLoss(): number {
    return this.#live[LIVE.BATCH_LOSS];
  }

  /** Live views of W[l] and b[l], l = 1..L. Read only; may be mid-update. */
  params(layer: number): { W: Float32Array; b: Float32Array; rows: number; cols: number } {
    const e = this.views.layout.buffers[`W${layer}`];
    if (!e)
      throw new Error(
        `The network has no layer ${layer} (layers are 1..${this.views.spec.hidden.length + 1}).`,
      );
    return {
      W: this.#view(`W${layer}`, 'f32', Float32Array),
      b: this.#view(`b${layer}`, 'f32', Float32Array),
      rows: e.rows,
      cols: e.cols,
    };
  }

  pause(): void {
    this.#command(CTRL.PAUSE, 1);
  }
  resume(): void {
    this.#command(CTRL.PAUSE, 0);
  }
  /** From 'paused': run one batch (default) or the rest of the current epoch, then pause again. */
  step(kind: 'batch' | 'epoch' = 'batch'): void {
    Atomics.store(this.ctrl, CTRL.PAUSE, 1);
    this.#command(CTRL.STEP_REQ, kind === 'epoch' ? 2 : 1);
  }
  /** Acknowledged within one batch. */
  stop(): void {
    this.#command(CTRL.STOP, 1);
  }

  #command(slot: number, value: number): void {
    Atomics.store(this.ctrl, slot, value);
    Atomics.add(this.ctrl, CTRL.WAKE, 1);
    Atomics.notify(this.ctrl, CTRL.WAKE);
  }

  /** A typed view of one buffer of the session's layout (checked by name and kind). */
  #view<T>(
    name: string,
    kind: Kind,
    Type: new (b: ArrayBufferLike, offset: number, length: number) => T,
  ): T {
    const e = this.views.layout.buffers[name];
    if (!e) throw new Error(`The training session has no buffer "${name}".`);
    if (e.kind !== kind) throw new Error(`Buffer "${name}" is ${e.kind}, not ${kind}.`);
    return new Type(this.views.buffer, e.offset, e.rows * e.cols);
  }
}
