// The epoch watch: after every epoch it compares the training loss with the loss of a constant
// prediction and with its best (a finite blow-up, or a plateau above the constant prediction, is a
// divergence), keeps the parameters of the best epoch (lowest dev loss, or training loss without a
// dev split) and says when early stopping ends the run. No allocation after construction.
import type { Split } from './plan.ts';
import type { SplitData } from './train-input.ts';
import {
  BLOWUP_FACTOR,
  EARLY_STOP_MIN_DELTA,
  PLATEAU_EPOCHS,
  PLATEAU_MARGIN,
  type NetworkSpec,
  type OutputActivation,
  type TrainConfig,
  type WatchState,
} from './types.ts';

/** Probabilities are kept inside [CLAMP, 1 - CLAMP] so a class absent from training costs a finite loss. */
const CLAMP = 1e-7;

/**
 * Mean data loss, over the m examples of Y (rows x m, row-major), of the best constant prediction
 * learnt from the training targets (rows x mTrain): each output unit's share of positives (sigmoid,
 * binary cross-entropy summed over the units), the class shares (softmax, categorical cross-entropy)
 * or the mean (linear, 1/2 squared error summed over the units). The bar a network must beat.
 */
export function constantLoss(
  output: OutputActivation,
  rows: number,
  yTrain: ArrayLike<number>,
  mTrain: number,
  y: ArrayLike<number>,
  m: number,
): number {
  if (m === 0 || mTrain === 0) return NaN;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let mean = 0;
    for (let j = 0; j < mTrain; j++) mean += yTrain[i * mTrain + j];
    mean /= mTrain;
    const p = Math.min(1 - CLAMP, Math.max(CLAMP, mean));
    for (let j = 0; j < m; j++) {
      const v = y[i * m + j];
      if (output === 'linear') total += 0.5 * (mean - v) * (mean - v);
      else if (output === 'softmax') total -= v * Math.log(p);
      else total -= v * Math.log(p) + (1 - v) * Math.log(1 - p);
    }
  }
  return total / m;
}

/** What an epoch's end means: keep going (a new best or not), stop early, or a divergence. */
export type WatchVerdict = 'best' | 'go' | 'stop' | 'blowup' | 'plateau';

export interface WatchOptions {
  /** Float32 elements of the parameter block. */
  paramCount: number;
  /** Early stopping's patience in epochs (0: off). */
  patience: number;
  /** Mean training loss of the constant prediction (the bar for blow-ups and plateaus). */
  baseline: number;
  /** Whether a dev split is watched (else the training loss decides the best epoch, and early
   *  stopping is off: the training loss alone cannot tell overfitting). */
  dev: boolean;
  /** Whether blow-ups and plateaus count as divergence (off for a learning-rate range test). */
  divergence?: boolean;
}

export class EpochWatch {
  /** The best epoch's parameters (valid when bestEpoch > 0). */
  readonly best: Float32Array;
  readonly patience: number;
  readonly baseline: number;
  bestEpoch = 0;
  bestLoss = Infinity;
  sinceBest = 0;
  minTrainLoss = Infinity;
  plateau = 0;
  /** Early stopping ended the run. */
  stopped = false;
  private readonly dev: boolean;
  private readonly divergence: boolean;

  constructor(o: WatchOptions) {
    this.best = new Float32Array(o.paramCount);
    this.patience = o.dev ? Math.max(0, Math.floor(o.patience)) : 0;
    this.baseline = o.baseline;
    this.dev = o.dev;
    this.divergence = o.divergence ?? true;
  }

  /** Early stopping is on: a finished run keeps the best epoch's parameters. */
  get keepsBest(): boolean {
    return this.patience > 0;
  }

  reset(): void {
    this.bestEpoch = 0;
    this.bestLoss = Infinity;
    this.sinceBest = 0;
    this.minTrainLoss = Infinity;
    this.plateau = 0;
    this.stopped = false;
  }

  /**
   * The end of `epoch` with its training loss (the running mean over its batches) and dev loss.
   * Divergence first: a training loss above BLOWUP_FACTOR x min(best, constant) and above the
   * constant prediction's is a blow-up; PLATEAU_EPOCHS epochs in a row above PLATEAU_MARGIN x the
   * constant's without a new lowest training loss are a plateau. Otherwise 'best' (the caller then calls keep()), 'go', or
   * 'stop' when `patience` epochs passed without a better monitored loss.
   */
  check(epoch: number, trainLoss: number, devLoss: number): WatchVerdict {
    const base = this.baseline;
    // A target the constant prediction fits exactly (one example, or all equal) gives no bar.
    const watched = Number.isFinite(base) && base > 0 && this.divergence;
    if (watched) {
      const ref = Math.min(this.minTrainLoss, base);
      if (trainLoss > BLOWUP_FACTOR * ref && trainLoss > base) return 'blowup';
    }
    // A slow but steady descent sets a new lowest training loss every epoch: never a plateau.
    const lower = trainLoss < this.minTrainLoss;
    if (lower) this.minTrainLoss = trainLoss;
    if (watched && trainLoss > PLATEAU_MARGIN * base && !lower) {
      if (++this.plateau >= PLATEAU_EPOCHS) return 'plateau';
    } else this.plateau = 0;
    const loss = this.dev ? devLoss : trainLoss;
    const better = Number.isFinite(loss) && loss < this.bestLoss * (1 - EARLY_STOP_MIN_DELTA);
    if (better) {
      this.bestLoss = loss;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      return 'best';
    }
    this.sinceBest++;
    if (this.patience > 0 && this.sinceBest >= this.patience) {
      this.stopped = true;
      return 'stop';
    }
    return 'go';
  }

  /** Keeps the parameters (P floats of heap at `offset`) as the best epoch's. */
  keep(heap: Float32Array, offset: number): void {
    const b = this.best;
    for (let i = 0; i < b.length; i++) b[i] = heap[offset + i];
  }

  /** Puts the best epoch's parameters back into heap at `offset`. */
  restoreInto(heap: Float32Array, offset: number): void {
    heap.set(this.best, offset);
  }

  /** A plain copy of the state after `epochs` epochs and `batch` batches of the next; the best
   *  parameters are left out when they are the parameters themselves (right after the best epoch). */
  state(epochs: number, batch: number): WatchState {
    const current = batch === 0 && this.bestEpoch === epochs;
    return {
      bestEpoch: this.bestEpoch,
      bestLoss: Number.isFinite(this.bestLoss) ? this.bestLoss : null,
      bestParams: this.bestEpoch > 0 && !current ? Array.from(this.best) : null,
      sinceBest: this.sinceBest,
      minTrainLoss: Number.isFinite(this.minTrainLoss) ? this.minTrainLoss : null,
      plateau: this.plateau,
      stopped: this.stopped,
    };
  }

  /** Restores a state taken with state(); `params` fills the best copy when the state left it out. */
  restore(s: WatchState, heap: Float32Array, params: number): void {
    this.bestEpoch = s.bestEpoch;
    this.bestLoss = s.bestLoss ?? Infinity;
    this.sinceBest = s.sinceBest;
    this.minTrainLoss = s.minTrainLoss ?? Infinity;
    this.plateau = s.plateau;
    this.stopped = s.stopped;
    if (s.bestParams) this.best.set(s.bestParams);
    else if (s.bestEpoch > 0) this.keep(heap, params);
  }
}

/** The watch of a run on these splits: early stopping with the config's patience (watching the dev
 *  loss, off without a dev split), blow-ups and plateaus measured against the constant prediction's
 *  training loss (`divergence` false: not watched). */
export function createWatch(
  spec: NetworkSpec,
  config: TrainConfig,
  splits: Record<Split, SplitData>,
  paramCount: number,
  divergence: boolean,
): EpochWatch {
  const { y, m } = splits.train;
  return new EpochWatch({
    paramCount,
    patience: config.patience ?? 0,
    baseline: constantLoss(spec.output, spec.outputs, y, m, y, m),
    dev: splits.dev.m > 0,
    divergence,
  });
}
