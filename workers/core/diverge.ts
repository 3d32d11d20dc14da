// The divergence doctor: when the loss stops being a number, grows past a clear bound or stays above a
// constant prediction's, say why and what to change, as messages the page puts in the user's language
// (workers/messages). A column far from standardized is the usual cause; otherwise the learning rate
// is too high. The fix's rate is lower by LR_FALLBACK_FACTOR until a learning-rate range test (run by
// the trainer session on a copy of the weights) replaces it with a rate known to lower the loss.
import { BLOWUP_FACTOR, PLATEAU_EPOCHS, UNSCALED_FEATURE_LIMIT } from './types.ts';
import type { Divergence, DivergenceKind } from './types.ts';

/** Without a range test, the fix divides the learning rate by this. */
export const LR_FALLBACK_FACTOR = 10;

export interface DivergenceFacts {
  kind: DivergenceKind;
  /** The loss that went wrong (the batch's for nan/infinite, the epoch's training loss otherwise). */
  loss: number;
  /** 1-based epoch and batch of the run where it happened (batch 0: at the epoch's end). */
  epoch: number;
  step: number;
  learningRate: number;
  /** Mean training loss of the constant prediction. */
  baseline: number;
  /** The epoch whose parameters the run went back to. */
  restoredEpoch: number;
  /** max |x| of each training feature. */
  featureMaxAbs: ArrayLike<number>;
  featureNames: readonly string[];
}

/** Two significant digits, as a student would type the suggested learning rate. */
export const nice = (x: number) => Number(x.toPrecision(2));

/** The input column far from standardized, if any: its name and largest |value|. */
function unscaledColumn(f: DivergenceFacts): { column: string; value: number } | null {
  let worst = -1,
    worstV = 0;
  for (let i = 0; i < f.featureMaxAbs.length; i++)
    if (f.featureMaxAbs[i] > worstV) {
      worstV = f.featureMaxAbs[i];
      worst = i;
    }
  if (worstV <= UNSCALED_FEATURE_LIMIT) return null;
  return { column: f.featureNames[worst] ?? `#${worst + 1}`, value: nice(worstV) };
}

/** Message parameters must be finite numbers or text: NaN and Infinity travel as 0 (the kind says). */
const finite = (v: number) => (Number.isFinite(v) ? v : 0);

export function diagnoseDivergence(f: DivergenceFacts): Divergence {
  const { epoch, step, kind, restoredEpoch } = f;
  const how = {
    kind,
    epoch,
    loss: finite(nice(f.loss)),
    baseline: finite(nice(f.baseline)),
    epochs: PLATEAU_EPOCHS,
    factor: BLOWUP_FACTOR,
  };
  const rate = nice(f.learningRate / LR_FALLBACK_FACTOR);
  const col = unscaledColumn(f);
  const base = { epoch, step, kind, loss: f.loss, restoredEpoch };
  if (col)
    return {
      ...base,
      cause: { key: 'trainer.diverge.unscaled', params: { ...how, ...col } },
      fix: {
        label: { key: 'trainer.fix.standardize', params: { column: col.column, rate } },
        learningRate: rate,
      },
    };
  return {
    ...base,
    cause: { key: 'trainer.diverge.rate', params: { ...how, rate: f.learningRate } },
    fix: { label: { key: 'trainer.fix.lower', params: { rate } }, learningRate: rate },
  };
}

/** The same diagnosis with the fix's rate replaced by one a range test found to lower the loss. */
export function withTestedRate(d: Divergence, rate: number): Divergence {
  const column = d.cause.params?.column;
  return {
    ...d,
    fix: {
      ...d.fix,
      learningRate: rate,
      label:
        typeof column === 'string'
          ? { key: 'trainer.fix.standardizeTested', params: { column, rate } }
          : { key: 'trainer.fix.tested', params: { rate } },
    },
  };
}
