// Plain judgements the course teaches: the gradient check verdict and the bias/variance hint.

export type GradVerdict = 'right' | 'suspicious' | 'wrong';

import {
  GRADCHECK_RIGHT as GRAD_RIGHT,
  GRADCHECK_WRONG as GRAD_WRONG,
} from '../../../workers/core/types.ts';
import { t } from '../i18n/i18n.svelte.ts';

export { GRAD_RIGHT, GRAD_WRONG };

/** Verdict for one relative difference ||g - g_approx|| / (||g|| + ||g_approx||). NaN is wrong. */
export function gradVerdict(relativeDifference: number): GradVerdict {
  if (!Number.isFinite(relativeDifference)) return 'wrong';
  if (relativeDifference < GRAD_RIGHT) return 'right';
  if (relativeDifference > GRAD_WRONG) return 'wrong';
  return 'suspicious';
}

/** The verdict in a sentence, in the page's language, naming the thresholds. */
export function gradVerdictText(v: GradVerdict): string {
  return t('learn.grad.verdictText', {
    verdict: v,
    right: sci(GRAD_RIGHT, 0),
    wrong: sci(GRAD_WRONG, 0),
  });
}

/** Formats a small positive number as 1.23e-9. */
export function sci(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(digits);
}

export type FitDiagnosis =
  'high-bias' | 'high-variance' | 'high-bias-and-variance' | 'good' | 'unknown';

export interface FitHint {
  diagnosis: FitDiagnosis;
  /** What the numbers say, plainly. */
  message: string;
  /** What to try next. */
  advice: string;
}

export interface FitInput {
  /** Final training error: 1 - accuracy for classification, or the training loss for regression. */
  trainError: number;
  /** Final dev error, in the same unit. */
  devError: number;
  /** What error a good model could reach (human level / Bayes error proxy); 0 by default. */
  baseError?: number;
  /** Thresholds on (train - base) and (dev - train); defaults suit errors as fractions 0..1. */
  biasThreshold?: number;
  varianceThreshold?: number;
  /** Words for the numbers: 'error' (classification) or 'loss' (regression). */
  unit?: 'error' | 'loss';
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The course's reading of train and dev errors: a big train error is high bias, a big gap is high variance. */
export function fitHint(input: FitInput): FitHint {
  const { trainError, devError } = input;
  const base = input.baseError ?? 0;
  const biasT = input.biasThreshold ?? 0.05;
  const varT = input.varianceThreshold ?? 0.05;
  const unit = input.unit ?? 'error';
  if (!Number.isFinite(trainError) || !Number.isFinite(devError)) {
    return {
      diagnosis: 'unknown',
      message: 'Train both curves first: the hint needs a final train and dev value.',
      advice: 'Press "Run comparison" and wait for the runs to finish.',
    };
  }
  const fmt = unit === 'error' ? pct : (x: number) => x.toFixed(4);
  const bias = trainError - base;
  const gap = devError - trainError;
  const highBias = bias > biasT;
  const highVar = gap > varT;
  const numbers = `Train ${unit} ${fmt(trainError)}, dev ${unit} ${fmt(devError)} (gap ${fmt(gap)}).`;
  if (highBias && highVar)
    return {
      diagnosis: 'high-bias-and-variance',
      message: `${numbers} High bias and high variance: the network fits the training data poorly and does worse still on new data.`,
      advice:
        'First fight the bias: a bigger network (more units or layers) or longer training; then add L2, dropout or more data for the gap.',
    };
  if (highBias)
    return {
      diagnosis: 'high-bias',
      message: `${numbers} High bias (underfitting): even the training data is not fitted well.`,
      advice:
        'Try a bigger network (more units or layers), longer training, or a better learning rate; less regularization helps too.',
    };
  if (highVar)
    return {
      diagnosis: 'high-variance',
      message: `${numbers} High variance (overfitting): the training data is fitted much better than the dev data.`,
      advice:
        'Try more L2 (a larger lambda), dropout (keep probability below 1), or more training data.',
    };
  return {
    diagnosis: 'good',
    message: `${numbers} Low bias and low variance: the train and dev ${unit}s are both small and close.`,
    advice: 'This is a good fit. Check the test set once, at the very end.',
  };
}
