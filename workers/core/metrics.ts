// Test-set metrics from the network's output A[L] (n_y x m, row-major) and the true Y (n_y x m),
// computed once, in the trainer worker, and shown by the page as they are. Pure functions:
// classification (accuracy, per-class precision and recall, confusion matrix) and regression (RMSE,
// MAE, R^2 in the original units of the target).
import type {
  ClassificationMetrics,
  RegressionMetrics,
  TargetScale,
  Task,
  TestMetrics,
} from './types.ts';

/** What the test metrics need of a dataset (a PreparedDataset satisfies it). */
export interface TestSplitInfo {
  task: Task;
  test: { m: number; y: Float32Array };
  classLabels: string[];
  targetScale: TargetScale | null;
}

/** Class index per example: argmax over the rows of a (n_y x m) matrix, or threshold 0.5 for one row. */
export function classIndices(a: ArrayLike<number>, ny: number, m: number): Int32Array {
  if (a.length < ny * m)
    throw new Error(`Expected ${ny} x ${m} = ${ny * m} values, got ${a.length}.`);
  const out = new Int32Array(m);
  if (ny === 1) {
    for (let i = 0; i < m; i++) out[i] = a[i] >= 0.5 ? 1 : 0;
    return out;
  }
  for (let i = 0; i < m; i++) {
    let best = 0;
    let bestV = a[i];
    for (let r = 1; r < ny; r++) {
      const v = a[r * m + i];
      if (v > bestV) {
        bestV = v;
        best = r;
      }
    }
    out[i] = best;
  }
  return out;
}

export function classificationMetrics(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): ClassificationMetrics {
  if (actual.length !== predicted.length)
    throw new Error(`${actual.length} actual labels but ${predicted.length} predictions.`);
  if (classes < 2) throw new Error(`A classification needs at least 2 classes, got ${classes}.`);
  const m = actual.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < m; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (!(a >= 0 && a < classes && p >= 0 && p < classes))
      throw new Error(
        `Example ${i + 1} has class ${a} / prediction ${p}, outside 0..${classes - 1}.`,
      );
    confusion[a][p]++;
    if (a === p) correct++;
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < classes; c++) {
    let predictedC = 0;
    let actualC = 0;
    for (let k = 0; k < classes; k++) {
      predictedC += confusion[k][c];
      actualC += confusion[c][k];
    }
    precision.push(predictedC === 0 ? Number.NaN : confusion[c][c] / predictedC);
    recall.push(actualC === 0 ? Number.NaN : confusion[c][c] / actualC);
    support.push(actualC);
  }
  return { accuracy: m === 0 ? Number.NaN : correct / m, confusion, precision, recall, support, m };
}

/** Metrics after mapping both series back to the original units (value * std + mean). */
export function regressionMetrics(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  scale: TargetScale | null = null,
): RegressionMetrics {
  if (actual.length !== predicted.length)
    throw new Error(`${actual.length} actual values but ${predicted.length} predictions.`);
  const m = actual.length;
  if (m === 0) return { rmse: Number.NaN, mae: Number.NaN, r2: Number.NaN, m };
  const s = scale?.std ?? 1;
  const mu = scale?.mean ?? 0;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += actual[i] * s + mu;
  mean /= m;
  let sse = 0;
  let sae = 0;
  let sst = 0;
  for (let i = 0; i < m; i++) {
    const y = actual[i] * s + mu;
    const e = y - (predicted[i] * s + mu);
    sse += e * e;
    sae += Math.abs(e);
    sst += (y - mean) * (y - mean);
  }
  return { rmse: Math.sqrt(sse / m), mae: sae / m, r2: sst === 0 ? Number.NaN : 1 - sse / sst, m };
}

/** Test metrics from the worker's predictions on the test split (regression predictions come in original units). */
export function computeTestMetrics(
  ds: TestSplitInfo,
  out: Float32Array,
  loss = Number.NaN,
): TestMetrics {
  const m = ds.test.m;
  const ny = Math.round(ds.test.y.length / Math.max(1, m));
  if (ds.task === 'regression') {
    const s = ds.targetScale ?? { mean: 0, std: 1 };
    const actual = new Float64Array(m);
    for (let i = 0; i < m; i++) actual[i] = ds.test.y[i] * s.std + s.mean;
    return { task: 'regression', loss, regression: regressionMetrics(actual, out.subarray(0, m)) };
  }
  const classes = ny === 1 ? 2 : ny;
  const labels =
    ds.classLabels.length === classes
      ? ds.classLabels
      : Array.from({ length: classes }, (_, i) => `class ${i}`);
  return {
    task: ds.task,
    loss,
    classification: classificationMetrics(
      classIndices(ds.test.y, ny, m),
      classIndices(out, ny, m),
      classes,
    ),
    labels,
  };
}
