// The two features a 2-D view of the data shows first: the numeric inputs that tell the target apart
// best on the training split, scored one at a time. Classes: a one-way analysis of variance (the
// spread of the class means over the spread within the classes); regression: |Pearson r| with the
// target. One-hot and yes/no columns are used only when fewer than two numeric inputs exist (two
// 0/1 columns put every point on four spots).
import { classIndices } from '../core/metrics.ts';
import type { PreparedDataset } from './prepared.ts';

/** How well one feature (row f of the features x examples matrix) separates the target. */
function score(ds: PreparedDataset, f: number, classOf: Int32Array | null): number {
  const { m, x, y } = ds.train;
  const row = f * m;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += x[row + i];
  mean /= m;
  if (!classOf) {
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    let my = 0;
    for (let i = 0; i < m; i++) my += y[i];
    my /= m;
    for (let i = 0; i < m; i++) {
      const dx = x[row + i] - mean;
      const dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxx > 0 && syy > 0 ? Math.abs(sxy) / Math.sqrt(sxx * syy) : 0;
  }
  const k = Math.max(2, ds.classLabels.length);
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    sums[classOf[i]] += x[row + i];
    counts[classOf[i]]++;
  }
  let between = 0;
  let within = 0;
  for (let c = 0; c < k; c++)
    if (counts[c] > 0) between += counts[c] * (sums[c] / counts[c] - mean) ** 2;
  for (let i = 0; i < m; i++) {
    const c = classOf[i];
    within += (x[row + i] - sums[c] / counts[c]) ** 2;
  }
  if (between === 0) return 0;
  return within > 0 ? between / within : Number.MAX_VALUE;
}

/** The default pair of axes (feature indices, in the columns' order). `numeric[f]` says whether
 * feature f comes from a numeric column. */
export function informativeAxes(
  ds: PreparedDataset,
  numeric: readonly boolean[],
): [number, number] {
  const n = ds.featureNames.length;
  if (n < 2) return [0, 0];
  if (ds.train.m < 2) return [0, 1];
  const classOf =
    ds.task === 'regression'
      ? null
      : classIndices(ds.train.y, ds.task === 'multiclass' ? ds.classLabels.length : 1, ds.train.m);
  const ranked = Array.from({ length: n }, (_, f) => ({
    f,
    numeric: numeric[f] === true,
    score: score(ds, f, classOf),
  })).sort((a, b) => Number(b.numeric) - Number(a.numeric) || b.score - a.score || a.f - b.f);
  const [a, b] = [ranked[0].f, ranked[1].f];
  return a < b ? [a, b] : [b, a];
}
