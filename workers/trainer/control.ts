// Page-side reader and remote control of a training session's shared memory. The page builds a
// TrainerView from the SessionViews that `prepare()` returns and reads it every animation frame:
// no message per batch, no copy. Commands are flags set with Atomics (plus a notify so a paused
// trainer wakes at once). Works on a plain ArrayBuffer too, but then nothing is live: use poll().
import { viewArena, type ArenaViews } from '../core/arena.ts';
import { readHistoryRow } from '../core/control.ts';
import { CTRL, EPOCH_FIELDS, LIVE, STATES } from '../core/types.ts';
import type { SessionViews } from './types.ts';
import type { EpochMetrics, TrainingState } from '../core/types.ts';

export { CTRL, EPOCH_FIELDS, LIVE, STATES };

export class TrainerView {
  readonly views: SessionViews;
  readonly arena: ArenaViews;
  readonly ctrl: Int32Array;
  readonly shared: boolean;
  private readonly hist: Float64Array;
  private readonly live: Float64Array;

  constructor(views: SessionViews) {
    this.views = views;
    this.arena = viewArena(views.buffer, views.layout);
    this.ctrl = this.arena.i32('ctrl');
    this.hist = this.arena.f64('history');
    this.live = this.arena.f64('live');
    this.shared = views.shared;
  }

  get state(): TrainingState {
    return STATES[Atomics.load(this.ctrl, CTRL.STATE)] ?? 'idle';
  }
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
  get epochs(): number {
    return Atomics.load(this.ctrl, CTRL.EPOCHS);
  }
  get batchesPerEpoch(): number {
    return Atomics.load(this.ctrl, CTRL.BATCHES_PER_EPOCH);
  }
  get historyLength(): number {
    return Atomics.load(this.ctrl, CTRL.HISTORY_LEN);
  }
  get paramsVersion(): number {
    return Atomics.load(this.ctrl, CTRL.PARAMS_VERSION);
  }

  /** History rows [from, historyLength) as plain objects (small: one row per epoch). */
  history(from = 0): EpochMetrics[] {
    const n = this.historyLength;
    const out: EpochMetrics[] = [];
    for (let r = from; r < n; r++) out.push(readHistoryRow(this.hist, r));
    return out;
  }

  /** Data loss of the last mini-batch. */
  lastBatchLoss(): number {
    return this.live[LIVE.BATCH_LOSS];
  }

  /** LIVE views of W[l] (n_l x n_{l-1}) and b[l] (n_l x 1), l = 1..L. Read only; may be mid-update. */
  params(layer: number): { W: Float32Array; b: Float32Array; rows: number; cols: number } {
    const e = this.views.layout.buffers[`W${layer}`];
    if (!e)
      throw new Error(
        `The network has no layer ${layer} (layers are 1..${this.views.spec.hidden.length + 1}).`,
      );
    return {
      W: this.arena.f32(`W${layer}`),
      b: this.arena.f32(`b${layer}`),
      rows: e.rows,
      cols: e.cols,
    };
  }

  private command(slot: number, value: number): void {
    Atomics.store(this.ctrl, slot, value);
    Atomics.add(this.ctrl, CTRL.WAKE, 1);
    Atomics.notify(this.ctrl, CTRL.WAKE);
  }

  pause(): void {
    this.command(CTRL.PAUSE, 1);
  }
  resume(): void {
    this.command(CTRL.PAUSE, 0);
  }
  /** From 'paused': run one batch (default) or the rest of the current epoch, then pause again. */
  step(kind: 'batch' | 'epoch' = 'batch'): void {
    Atomics.store(this.ctrl, CTRL.PAUSE, 1);
    this.command(CTRL.STEP_REQ, kind === 'epoch' ? 2 : 1);
  }
  /** Acknowledged within one batch. */
  stop(): void {
    this.command(CTRL.STOP, 1);
  }
}

/** Sets a command flag on a control block directly (for code that holds only the Int32Array). */
export function sendCommand(
  ctrl: Int32Array,
  command: 'pause' | 'resume' | 'stop' | 'step-batch' | 'step-epoch',
): void {
  const set = (slot: number, v: number) => Atomics.store(ctrl, slot, v);
  switch (command) {
    case 'pause':
      set(CTRL.PAUSE, 1);
      break;
    case 'resume':
      set(CTRL.PAUSE, 0);
      break;
    case 'stop':
      set(CTRL.STOP, 1);
      break;
    case 'step-batch':
      set(CTRL.PAUSE, 1);
      set(CTRL.STEP_REQ, 1);
      break;
    case 'step-epoch':
      set(CTRL.PAUSE, 1);
      set(CTRL.STEP_REQ, 2);
      break;
  }
  Atomics.add(ctrl, CTRL.WAKE, 1);
  Atomics.notify(ctrl, CTRL.WAKE);
}
