// Fitting one feature column of the recipe on the training rows: numbers (imputation, then
// standardization with the training mean and std), categories (one-hot by training frequency up to the
// cap, the rest "(other)") and yes/no pairs (one 0/1 input). A `DropReason` answer says why the
// column is left out.
import { MISSING16, type StoredColumn } from './columns.ts';
import type { DropReason, RecipeColumn, RecipeSettings } from './types.ts';
import { booleanPair } from './values.ts';

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export function fitNumeric(
  col: StoredColumn,
  train: Int32Array,
  settings: RecipeSettings,
): RecipeColumn | DropReason {
  if (col.num.length === 0) return 'no-numbers';
  const vals = new Float64Array(train.length);
  let k = 0;
  for (const r of train) {
    const v = col.num[r];
    if (v === v) vals[k++] = v;
  }
  if (k === 0) return 'no-training-numbers';
  const present = vals.subarray(0, k);
  let sum = 0;
  for (const v of present) sum += v;
  const impute = settings.numericImpute === 'median' ? median(present) : sum / k;
  let mean = 0;
  for (const r of train) {
    const v = col.num[r];
    mean += v === v ? v : impute;
  }
  mean /= train.length;
  let ss = 0;
  for (const r of train) {
    const v = col.num[r];
    const d = (v === v ? v : impute) - mean;
    ss += d * d;
  }
  const std = Math.sqrt(ss / train.length);
  if (!(std > 1e-12 * Math.max(1, Math.abs(mean)))) return 'same-training-value';
  return settings.standardize
    ? { name: col.name, kind: 'numeric', impute, mean, std }
    : { name: col.name, kind: 'numeric', impute, mean: 0, std: 1 };
}

export function fitCategorical(
  col: StoredColumn,
  train: Int32Array,
  settings: RecipeSettings,
): RecipeColumn | DropReason {
  if (col.mode !== 'dict') return 'too-many-categories';
  const codes = col.codes as Uint16Array;
  const counts = new Array<number>(col.labels.length).fill(0);
  let missing = 0;
  for (const r of train) {
    const c = codes[r];
    if (c === MISSING16) missing++;
    else counts[c]++;
  }
  const seen = counts.map((_, i) => i).filter((i) => counts[i] > 0);
  if (seen.length === 0) return 'no-training-values';
  seen.sort(
    (a, b) =>
      counts[b] - counts[a] ||
      (col.labels[a] < col.labels[b] ? -1 : col.labels[a] > col.labels[b] ? 1 : 0),
  );
  const cap = Math.max(1, Math.floor(settings.oneHotCap));
  const categories = seen.slice(0, cap).map((i) => col.labels[i]);
  const otherColumn = seen.length > cap;
  const missingColumn = settings.categoricalImpute === 'missing_category' && col.missing > 0;
  if (categories.length + (otherColumn ? 1 : 0) + (missingColumn && missing > 0 ? 1 : 0) < 2)
    return 'one-training-value';
  return {
    name: col.name,
    kind: 'categorical',
    categories,
    imputeCategory: categories[0],
    missingColumn,
    otherColumn,
  };
}

export function fitBoolean(
  col: StoredColumn,
  train: Int32Array,
  settings: RecipeSettings,
): RecipeColumn | DropReason {
  const pair = col.mode === 'dict' ? booleanPair(col.labels) : null;
  if (!pair) return fitCategorical(col, train, settings);
  const [negative, positive] = pair;
  const codes = col.codes as Uint16Array;
  let pos = 0,
    neg = 0;
  for (const r of train) {
    const c = codes[r];
    if (c === MISSING16) continue;
    if (col.labels[c].toLowerCase() === positive.toLowerCase()) pos++;
    else neg++;
  }
  if (pos === 0 || neg === 0) return 'one-training-value';
  return { name: col.name, kind: 'boolean', positive, negative, impute: pos > neg ? 1 : 0 };
}
