// The hand-off from the data pipeline to the engine: a design matrix per split, in shared memory.
import type { Task } from '../core/types.ts';

export interface PreparedSplit {
  /** Number of examples m. */
  m: number;
  /** X of shape (n_x, m), row-major: feature f of example i is x[f * m + i]. */
  x: Float32Array;
  /** Y of shape (n_y, m), row-major: one-hot rows for multiclass (n_y = classes), one 0/1 row for
   * binary, one row of (standardized) values for regression. */
  y: Float32Array;
}

export interface PreparedDataset {
  task: Task;
  targetName: string;
  /** Names of the n_x features after the recipe (one-hot columns named `column=value`). */
  featureNames: string[];
  /** The user's class labels, in the order of Y's rows (binary: [negative, positive]); [] for regression. */
  classLabels: string[];
  /** Regression targets are standardized for training; predictions are mapped back with this. */
  targetScale: { mean: number; std: number } | null;
  /** The two features a 2-D view shows first (informativeAxes in axes.ts); absent: the first two. */
  axes?: [number, number];
  train: PreparedSplit;
  dev: PreparedSplit;
  test: PreparedSplit;
}
