// What an epoch's end decides, beside its history row: the epoch watch's verdict (a new best epoch is
// kept, the rollback copy refreshed), the rollback to the best finite parameters with the doctor's
// diagnosis when a run diverges, and, when a run ends with early stopping on, the best epoch's
// parameters put back. Parameters are copied in place over the block: nothing is allocated.
import type { BufferOffsets, SessionPlan } from './plan.ts';
import { diagnoseDivergence } from './diverge.ts';
import type { EpochWatch, WatchVerdict } from './watch.ts';
import { CTRL, type Divergence, type DivergenceKind, type TrainConfig } from './types.ts';

/** What these read of a planned trainer. */
export interface EndContext {
  readonly heap: Float32Array;
  readonly buf: BufferOffsets;
  readonly plan: SessionPlan;
  readonly ctrl: Int32Array;
  readonly watch: EpochWatch;
  readonly config: TrainConfig;
  readonly featureMaxAbs: ArrayLike<number>;
  readonly featureNames: readonly string[];
}

/** The watch's verdict on `epoch` (its mean training loss and dev loss). Unless it diverged, the
 *  parameters become the rollback copy, and a new best epoch's are kept. */
export function judgeEpoch(
  t: EndContext,
  epoch: number,
  trainLoss: number,
  devLoss: number,
): WatchVerdict {
  const h = t.heap,
    o = t.buf;
  const verdict = t.watch.check(epoch, trainLoss, devLoss);
  if (verdict === 'blowup' || verdict === 'plateau') return verdict;
  h.copyWithin(o.backup, o.params, o.params + t.plan.paramCount);
  if (verdict === 'best') {
    t.watch.keep(h, o.params);
    Atomics.store(t.ctrl, CTRL.BEST_EPOCH, epoch);
  }
  return verdict;
}

/** Rolls back to the best finite parameters (the best epoch's, else the rollback copy, taken at the
 *  end of `backupEpoch`) and says why the run diverged with `loss` at `epoch`, batch `step` (0: at
 *  the epoch's end). */
export function rollBack(
  t: EndContext,
  kind: DivergenceKind,
  loss: number,
  epoch: number,
  step: number,
  backupEpoch: number,
): Divergence {
  const h = t.heap,
    o = t.buf,
    w = t.watch;
  if (w.bestEpoch > 0) w.restoreInto(h, o.params);
  else h.copyWithin(o.params, o.backup, o.backup + t.plan.paramCount);
  Atomics.add(t.ctrl, CTRL.PARAMS_VERSION, 1);
  return diagnoseDivergence({
    kind,
    loss,
    epoch,
    step,
    learningRate: t.config.learningRate,
    baseline: w.baseline,
    restoredEpoch: w.bestEpoch > 0 ? w.bestEpoch : backupEpoch,
    featureMaxAbs: t.featureMaxAbs,
    featureNames: t.featureNames,
  });
}

/** The epoch a run that ends after `lastEpoch` keeps: the best one with early stopping on (once
 *  there is one), else the last. */
export function keptEpoch(w: EpochWatch, lastEpoch: number): number {
  return w.keepsBest && w.bestEpoch > 0 ? w.bestEpoch : lastEpoch;
}

/** The run ended after `lastEpoch`: with early stopping on, the best epoch's parameters come back. */
export function keepBest(t: EndContext, lastEpoch: number): void {
  if (keptEpoch(t.watch, lastEpoch) === lastEpoch) return;
  t.watch.restoreInto(t.heap, t.buf.params);
  Atomics.add(t.ctrl, CTRL.PARAMS_VERSION, 1);
}
