// What the live views show of the data itself: class labels of the examples, a few hundred examples
// projected on the two chosen features, and the held values and ranges of the features (computed on
// the page from the prepared data, once per dataset and pair of features).
import type { PreparedDataset } from '../../../../workers/data/prepared.ts';

/** Class index per example from Y (n_y x m): argmax of one-hot rows, or the 0/1 row. */
export function labelsOf(y: Float32Array, ny: number, m: number): Uint8Array {
  const out = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    if (ny === 1) out[i] = y[i] >= 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let r = 1; r < ny; r++) if (y[r * m + i] > y[best * m + i]) best = r;
      out[i] = best;
    }
  }
  return out;
}

export interface Points {
  x: Float32Array;
  y: Float32Array;
  label: Uint8Array;
  /** Actual regression target (standardized, like Y). */
  value: Float32Array;
  count: number;
}

/** At most `max` examples of a split, evenly strided, projected on features fx, fy. */
export function samplePoints(
  split: { m: number; x: Float32Array; y: Float32Array },
  ny: number,
  fx: number,
  fy: number,
  max: number,
): Points {
  const m = split.m;
  const count = Math.min(m, max);
  const stride = count > 0 ? m / count : 1;
  const labels = labelsOf(split.y, ny, m);
  const p: Points = {
    x: new Float32Array(count),
    y: new Float32Array(count),
    label: new Uint8Array(count),
    value: new Float32Array(count),
    count,
  };
  for (let q = 0; q < count; q++) {
    const i = Math.floor(q * stride);
    p.x[q] = split.x[fx * m + i];
    p.y[q] = split.x[fy * m + i];
    p.label[q] = labels[i];
    p.value[q] = split.y[i];
  }
  return p;
}

/** Per-feature medians of X (n_x x m), from at most `sample` evenly strided examples (exact when m <= sample). */
export function featureMedians(
  x: ArrayLike<number>,
  nx: number,
  m: number,
  sample = 501,
): Float64Array {
  const out = new Float64Array(nx);
  if (m === 0) return out;
  const count = Math.min(m, sample);
  const stride = m / count;
  const buf = new Float64Array(count);
  for (let f = 0; f < nx; f++) {
    let n = 0;
    for (let q = 0; q < count; q++) {
      const v = x[f * m + Math.floor(q * stride)];
      if (Number.isFinite(v)) buf[n++] = v;
    }
    const s = buf.subarray(0, n).sort();
    out[f] = n === 0 ? 0 : n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
  return out;
}

/** Min and max of feature f over X (n_x x m), widened by `margin` of the span on each side. */
export function featureRange(
  x: ArrayLike<number>,
  m: number,
  f: number,
  margin = 0.08,
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const v = x[f * m + i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (hi - lo < 1e-9) return [lo - 1, hi + 1];
  const pad = (hi - lo) * margin;
  return [lo - pad, hi + pad];
}

const medianCache = new WeakMap<PreparedDataset, Float64Array>();

/** Per-feature medians of a dataset's training split, computed once per dataset. */
export function datasetMedians(data: PreparedDataset): Float64Array {
  let m = medianCache.get(data);
  if (!m) {
    m = featureMedians(data.train.x, data.featureNames.length, data.train.m);
    medianCache.set(data, m);
  }
  return m;
}
