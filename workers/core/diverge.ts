// The divergence doctor: when a batch's loss is NaN or infinite, say why in plain words and what to
// change. A column far from standardized is the usual cause; otherwise the learning rate is too high.
import { UNSCALED_FEATURE_LIMIT, type Divergence } from './types.ts';

export interface DivergenceFacts {
  /** The batch loss that was not finite. */
  loss: number;
  /** 1-based epoch and batch of the run where it happened. */
  epoch: number;
  step: number;
  learningRate: number;
  /** max |x| of each training feature. */
  featureMaxAbs: ArrayLike<number>;
  featureNames: readonly string[];
}

/** Two significant digits, as a student would type the suggested learning rate. */
const nice = (x: number) => Number(x.toPrecision(2));

export function diagnoseDivergence(f: DivergenceFacts): Divergence {
  const { epoch, step, learningRate: lr } = f;
  const grew = Number.isNaN(f.loss)
    ? 'the loss became NaN (not a number)'
    : 'the loss grew to infinity';
  let worst = -1,
    worstV = 0;
  for (let i = 0; i < f.featureMaxAbs.length; i++)
    if (f.featureMaxAbs[i] > worstV) {
      worstV = f.featureMaxAbs[i];
      worst = i;
    }
  if (worstV > UNSCALED_FEATURE_LIMIT) {
    const name = f.featureNames[worst] ?? `feature ${worst + 1}`;
    return {
      epoch,
      step,
      cause: `Column ${name} is not scaled: its values reach ${nice(worstV)}, so ${grew} at epoch ${epoch}.`,
      fix: {
        label: `Standardize column ${name} in the recipe, or lower the learning rate to ${nice(lr / 10)}`,
        learningRate: nice(lr / 10),
      },
    };
  }
  return {
    epoch,
    step,
    cause: `The learning rate ${lr} is too high: ${grew} at epoch ${epoch}.`,
    fix: { label: `Halve the learning rate to ${nice(lr / 2)}`, learningRate: nice(lr / 2) },
  };
}
