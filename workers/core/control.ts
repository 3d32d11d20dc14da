// The shared control block (Int32, Atomics) and the per-epoch history block (Float64) of a session.
// The trainer writes state/counters and reads the command flags; the page does the opposite.
import type { EpochMetrics, TrainingState } from './types.ts';

/** Int32 slots of the control block. */
export const CTRL = {
  /** TrainingState as an index into STATES. Written by the trainer. */
  STATE: 0,
  /** Epochs completed (counting a resumed checkpoint's epochs). */
  EPOCH: 1,
  /** Batches completed in the current epoch. */
  STEP: 2,
  /** Batches completed in the run. */
  TOTAL_STEPS: 3,
  /** Command: 1 = stop (acknowledged within one batch). */
  STOP: 4,
  /** Command: 1 = pause, 0 = run. */
  PAUSE: 5,
  /** Command: while paused, 1 = run one batch, 2 = run one epoch (the trainer clears it). */
  STEP_REQ: 6,
  /** Rows written in the history block (this run's epochs only). */
  HISTORY_LEN: 7,
  /** Epochs planned in all (config.epochs). */
  EPOCHS: 8,
  /** Batches per epoch. */
  BATCHES_PER_EPOCH: 9,
  /** Increments after every parameter update (live views can tell a new state). */
  PARAMS_VERSION: 10,
  /** Futex word: bumped (Atomics.add + notify) with every command so a paused trainer wakes. */
  WAKE: 11,
  /** Columns (m) of the last mini-batch (for the inspect panel). */
  LAST_COLS: 12,
} as const;
export const CTRL_SLOTS = 16;

/** Float64 slots of the live block. */
export const LIVE = {
  /** Data loss of the last mini-batch. */
  BATCH_LOSS: 0,
  /** Compute time of the run so far, ms. */
  ELAPSED_MS: 1,
} as const;
export const LIVE_SLOTS = 4;

export const STATES: readonly TrainingState[] = ['idle', 'running', 'paused', 'done', 'stopped', 'diverged', 'interrupted'];
export const stateCode = (s: TrainingState): number => STATES.indexOf(s);

/** Column order of a history row (one row per epoch, Float64). */
export const EPOCH_FIELDS = [
  'epoch', 'trainLoss', 'devLoss', 'trainAccuracy', 'devAccuracy', 'trainRmse', 'devRmse', 'examplesPerSecond', 'elapsedMs',
] as const satisfies readonly (keyof EpochMetrics)[];

export function readHistoryRow(history: Float64Array, row: number): EpochMetrics {
  const o = row * EPOCH_FIELDS.length;
  return {
    epoch: history[o], trainLoss: history[o + 1], devLoss: history[o + 2], trainAccuracy: history[o + 3],
    devAccuracy: history[o + 4], trainRmse: history[o + 5], devRmse: history[o + 6],
    examplesPerSecond: history[o + 7], elapsedMs: history[o + 8],
  };
}
