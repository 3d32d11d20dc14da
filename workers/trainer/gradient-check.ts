// The gradient check of a prepared run: float64 central differences on its current parameters, on
// its first training examples, without dropout (core/network.ts does the maths).
import { gradientCheck, type GradientCheckResult } from '../core/network.ts';
import type { PlannedTrainer } from '../core/train.ts';

export interface GradientCheckOptions {
  /** Training examples used (default 8). */
  examples?: number;
  epsilon?: number;
  /** Big layers are checked on this many evenly spaced parameters (default 64). */
  maxPerLayer?: number;
}

export function checkGradients(
  t: PlannedTrainer,
  opts: GradientCheckOptions = {},
): GradientCheckResult {
  const { X, Y, m } = t.trainColumns(opts.examples ?? 8);
  const spec = { ...t.spec, hidden: t.spec.hidden.map((h) => ({ ...h, keepProb: 1 })) };
  return gradientCheck(
    spec,
    t.params(),
    { rows: spec.inputs, cols: m, data: X },
    { rows: spec.outputs, cols: m, data: Y },
    {
      lambda: t.config.lambda,
      epsilon: opts.epsilon,
      maxPerLayer: opts.maxPerLayer ?? 64,
    },
  );
}
