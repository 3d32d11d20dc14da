// The health report: per column statistics, an inferred type and a small histogram, from stored columns.
import { MISSING32, type StoredColumn } from './columns.ts';
import type { Table } from './parse.ts';
import { msg, type Msg } from '../messages/index.ts';
import type { ColumnReport, ColumnType, HealthReport } from './types.ts';
import { booleanPair } from './values.ts';

const HIST_BINS = 16;
/** A column is numeric when at least this share of its non-missing values are numbers. */
export const NUMERIC_SHARE = 0.9;
/** Rows needed before "unique on every row" means an identifier. */
const ID_MIN_ROWS = 20;

function countDistinctSorted(a: Float64Array | Uint32Array): number {
  if (a.length === 0) return 0;
  a.sort();
  let n = 1;
  for (let i = 1; i < a.length; i++) if (a[i] !== a[i - 1]) n++;
  return n;
}

interface NumStats {
  min: number;
  max: number;
  mean: number;
  std: number;
  allIntegers: boolean;
  count: number;
}

export function numericStats(num: Float64Array): NumStats {
  let count = 0,
    mean = 0,
    m2 = 0,
    min = Infinity,
    max = -Infinity,
    allIntegers = true;
  for (let i = 0; i < num.length; i++) {
    const v = num[i];
    if (v !== v) continue;
    count++;
    const d = v - mean; // Welford: stable for large files
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
    if (allIntegers && !Number.isInteger(v)) allIntegers = false;
  }
  if (count === 0) return { min: NaN, max: NaN, mean: NaN, std: NaN, allIntegers: false, count };
  return { min, max, mean, std: Math.sqrt(m2 / count), allIntegers, count };
}

function histogram(
  num: Float64Array,
  min: number,
  max: number,
): { min: number; max: number; counts: number[] } {
  const counts = new Array<number>(HIST_BINS).fill(0);
  const width = max - min;
  for (let i = 0; i < num.length; i++) {
    const v = num[i];
    if (v !== v) continue;
    const b = width > 0 ? Math.min(HIST_BINS - 1, Math.floor(((v - min) / width) * HIST_BINS)) : 0;
    counts[b]++;
  }
  return { min, max, counts };
}

function uniqueCount(col: StoredColumn): number | null {
  if (col.mode === 'dict') return col.labels.length;
  if (col.mode === 'hashed') {
    const codes = col.codes as Uint32Array;
    const present = new Uint32Array(col.length - col.missing);
    let k = 0;
    for (let i = 0; i < codes.length; i++) if (codes[i] !== MISSING32) present[k++] = codes[i];
    return countDistinctSorted(present.subarray(0, k));
  }
  if (col.nonNumeric > 0) return null; // numbers plus some text we did not keep
  const present = new Float64Array(col.numericCount);
  let k = 0;
  for (let i = 0; i < col.num.length; i++) if (col.num[i] === col.num[i]) present[k++] = col.num[i];
  return countDistinctSorted(present);
}

function topValues(col: StoredColumn): Array<{ value: string; count: number }> {
  if (col.mode !== 'dict') return [];
  const order = col.counts
    .map((c, i) => i)
    .sort((a, b) => col.counts[b] - col.counts[a] || (col.labels[a] < col.labels[b] ? -1 : 1));
  return order.slice(0, 5).map((i) => ({ value: col.labels[i], count: col.counts[i] }));
}

/** Our typing rules, in order: constant, boolean, numeric (maybe an integer ID), then text kinds. */
export function inferType(
  col: StoredColumn,
  unique: number | null,
  stats: NumStats,
): { type: ColumnType; reason: Msg } {
  const present = col.length - col.missing;
  if (present === 0) return { type: 'constant', reason: msg('reading.type.allMissing') };
  if (unique === 1) return { type: 'constant', reason: msg('reading.type.constant') };
  if (col.mode === 'dict' && unique === 2 && booleanPair(col.labels))
    return { type: 'boolean', reason: msg('reading.type.boolean') };
  const numericShare = col.numericCount / present;
  const everyRowUnique =
    unique !== null && unique === present && present === col.length && col.length >= ID_MIN_ROWS;
  if (numericShare >= NUMERIC_SHARE) {
    if (everyRowUnique && stats.allIntegers && isCounting(col.num))
      return {
        type: 'id',
        reason: msg('reading.type.counting'),
      };
    return {
      type: 'numeric',
      reason:
        col.nonNumeric > 0
          ? msg('reading.type.mostlyNumbers', { count: col.nonNumeric })
          : msg('reading.type.numbers'),
    };
  }
  if (col.mode === 'hashed' || unique === null) {
    return longText(col)
      ? { type: 'text', reason: msg('reading.type.longTexts') }
      : { type: 'id', reason: msg('reading.type.nameLike') };
  }
  if (everyRowUnique) {
    return longText(col)
      ? { type: 'text', reason: msg('reading.type.longUnique') }
      : { type: 'id', reason: msg('reading.type.idLike') };
  }
  if (longText(col) && unique > present / 2)
    return { type: 'text', reason: msg('reading.type.longTexts') };
  return { type: 'categorical', reason: msg('reading.type.categories', { count: unique }) };
}

/** Sorted whole numbers with a steady step (1, 2, 3 ... or 1001, 1002 ...): an ID, not a measurement. */
function isCounting(num: Float64Array): boolean {
  const sorted = Float64Array.from(num).sort();
  if (sorted.length < 2) return false;
  const step = sorted[1] - sorted[0];
  if (step <= 0) return false;
  let irregular = 0;
  for (let i = 2; i < sorted.length; i++) if (sorted[i] - sorted[i - 1] !== step) irregular++;
  return irregular <= sorted.length * 0.05;
}

function longText(col: StoredColumn): boolean {
  if (col.mode !== 'dict') return true;
  let len = 0,
    spaces = 0;
  const n = Math.min(col.labels.length, 500);
  for (let i = 0; i < n; i++) {
    len += col.labels[i].length;
    if (col.labels[i].includes(' ')) spaces++;
  }
  return n > 0 && len / n > 25 && spaces / n > 0.5;
}

export function columnReport(col: StoredColumn, index: number): ColumnReport {
  const stats = numericStats(col.num);
  const unique = uniqueCount(col);
  const { type, reason } = inferType(col, unique, stats);
  const present = col.length - col.missing;
  const mostlyNumeric = present > 0 && col.numericCount / present >= NUMERIC_SHARE;
  return {
    index,
    name: col.name,
    originalName: col.originalName,
    inferredType: type,
    typeReason: reason,
    rows: col.length,
    missing: col.missing,
    unique,
    numericCount: col.numericCount,
    invalidCount: mostlyNumeric ? col.nonNumeric : 0,
    invalidSamples: mostlyNumeric ? col.nonNumericSamples : [],
    allIntegers: stats.allIntegers,
    min: stats.min,
    max: stats.max,
    mean: stats.mean,
    std: stats.std,
    histogram: stats.count > 0 ? histogram(col.num, stats.min, stats.max) : null,
    top: topValues(col),
    categoriesKnown: col.mode === 'dict',
    booleanLike: col.mode === 'dict' && booleanPair(col.labels) !== null,
    missingTokens: col.missingTokens.map((t) => ({ ...t })),
  };
}

export function buildReport(table: Table): HealthReport {
  return {
    source: table.source,
    bytes: table.bytes,
    encoding: table.encoding,
    delimiter: table.delimiter,
    decimalComma: table.decimalComma,
    rows: table.rows,
    columns: table.columns.map((c, i) => columnReport(c, i)),
    preview: table.preview,
    notices: table.notices,
    skippedRows: table.skippedRows,
    skippedRowCount: table.skippedRowCount,
  };
}
