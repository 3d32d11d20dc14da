// Column storage while a file is read: numbers in a Float64Array (NaN = missing or not a number) and,
// while it is worth it, dictionary codes in a Uint16Array. No array of strings per cell.
import type { MissingToken } from './types.ts';
import { hashString, isMissing, isOverflow, parseNumber, readsAsMissing } from './values.ts';

export const MISSING16 = 0xffff;
export const MISSING32 = 0xffffffff;
/** A column of numbers keeps its dictionary only up to this many distinct values. */
export const NUMERIC_DICT_LIMIT = 1000;
/** A text column keeps its dictionary up to this many distinct values, then only hashes. */
export const TEXT_DICT_LIMIT = 20000;

export type ColumnMode = 'dict' | 'numeric-only' | 'hashed';

/** The stored cells of one column. */
export interface StoredColumn {
  name: string;
  originalName: string | null;
  length: number;
  /** The numbers, NaN where missing or not a number; EMPTY (length 0) when the column holds no number at
   * all (categorical text), so such a column costs no 8 bytes per row. Read cells with numAt(). */
  num: Float64Array;
  mode: ColumnMode;
  /** dict mode: code per row into `labels` (MISSING16 = missing); hashed mode: Uint32 hash per row. */
  codes: Uint16Array | Uint32Array | null;
  labels: string[];
  counts: number[];
  missing: number;
  numericCount: number;
  /** Non-missing cells that are not numbers (including overflow such as 1e400). */
  nonNumeric: number;
  overflow: number;
  nonNumericSamples: Array<{ row: number; value: string }>;
  /** Cells that look like missing values, as written ('' = empty), with counts; `asValue`: this column
   * reads the token as a value (it is counted among the values, not in `missing`). */
  missingTokens: MissingToken[];
}

const EMPTY = new Float64Array(0);

/** The number in a cell, NaN when missing, not a number, or the column holds no numbers. */
export function numAt(col: StoredColumn, row: number): number {
  return col.num.length === 0 ? NaN : col.num[row];
}

function grow<T extends Float64Array | Uint16Array | Uint32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const cap = Math.max(need, Math.ceil(a.length * 1.5) + 16);
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

function trim<T extends Float64Array | Uint16Array | Uint32Array>(a: T, length: number): T {
  const spare = a.length - length;
  return (spare > (length >> 4) + 4096 ? a.slice(0, length) : a.subarray(0, length)) as T;
}

export class ColumnBuilder implements StoredColumn {
  length = 0;
  num: Float64Array = EMPTY;
  /** Rows the arrays can hold before growing. */
  capacity: number;
  mode: ColumnMode = 'dict';
  codes: Uint16Array | Uint32Array | null;
  labels: string[] = [];
  counts: number[] = [];
  missing = 0;
  numericCount = 0;
  nonNumeric = 0;
  overflow = 0;
  nonNumericSamples: Array<{ row: number; value: string }> = [];
  missingTokens: MissingToken[] = [];
  private dict: Map<string, number> | null = new Map();
  /** Missing-looking cells seen so far, by token as written. */
  private tokenCounts = new Map<string, number>();

  constructor(
    public name: string,
    public originalName: string | null,
    capacity: number,
    private readonly decimalComma: boolean,
    /** Missing-value tokens this column reads as values (never the empty cell). */
    private readonly valueTokens: ReadonlySet<string> | null = null,
  ) {
    this.capacity = Math.max(16, capacity);
    this.codes = new Uint16Array(this.capacity);
  }

  /** Make room for `n` more rows (one allocation per growth step, not per cell). */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.capacity) return;
    this.capacity = Math.max(need, Math.ceil(this.capacity * 1.5) + 16);
    if (this.num.length) this.num = grow(this.num, this.capacity);
    if (this.codes) this.codes = grow(this.codes, this.capacity);
  }

  /** Adds one raw cell; `row` is the spreadsheet row number (for messages). Call reserve() first. */
  push(raw: string, row: number): void {
    const i = this.length++;
    const v =
      raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32)
        ? raw.trim()
        : raw;
    if (isMissing(v)) {
      this.tokenCounts.set(v, (this.tokenCounts.get(v) ?? 0) + 1);
      if (!readsAsMissing(v, this.valueTokens)) return this.pushValue(v, i, row);
      if (this.num.length) this.num[i] = NaN;
      this.missing++;
      if (this.codes) this.codes[i] = this.mode === 'hashed' ? MISSING32 : MISSING16;
      return;
    }
    this.pushValue(v, i, row);
  }

  private pushValue(v: string, i: number, row: number): void {
    const x = parseNumber(v, this.decimalComma);
    if (x === x && this.num.length === 0) {
      // First number in this column: from now on it keeps a number per row.
      this.num = new Float64Array(this.capacity);
      this.num.fill(NaN, 0, i);
    }
    if (this.num.length) this.num[i] = x;
    if (Number.isNaN(x)) {
      this.nonNumeric++;
      if (isOverflow(v, this.decimalComma)) this.overflow++;
      if (this.nonNumericSamples.length < 5)
        this.nonNumericSamples.push({ row, value: v.length > 40 ? v.slice(0, 40) + '…' : v });
    } else this.numericCount++;
    if (this.mode === 'dict') {
      const dict = this.dict as Map<string, number>;
      let code = dict.get(v);
      if (code === undefined) {
        code = this.labels.length;
        dict.set(v, code);
        this.labels.push(v);
        this.counts.push(0);
      }
      this.counts[code]++;
      (this.codes as Uint16Array)[i] = code;
      if (this.nonNumeric === 0 && this.labels.length > NUMERIC_DICT_LIMIT) this.dropDictionary();
      else if (this.labels.length > TEXT_DICT_LIMIT) this.toHashes();
    } else if (this.mode === 'hashed') {
      (this.codes as Uint32Array)[i] = hashString(v);
    }
  }

  /** Only numbers from now on: the dictionary is not worth its memory. */
  private dropDictionary(): void {
    this.mode = 'numeric-only';
    this.codes = null;
    this.dict = null;
    this.labels = [];
    this.counts = [];
  }

  /** Too many distinct strings to keep: keep a 32-bit hash per row (enough to count distinct values). */
  private toHashes(): void {
    const old = this.codes as Uint16Array;
    const hashes = new Uint32Array(this.capacity);
    const labelHash = this.labels.map(hashString);
    for (let r = 0; r < this.length; r++)
      hashes[r] = old[r] === MISSING16 ? MISSING32 : labelHash[old[r]];
    this.codes = hashes;
    this.mode = 'hashed';
    this.dict = null;
    this.labels = [];
    this.counts = [];
  }

  /** Trims the arrays to their length and forgets the dictionary map: a view when the spare room is
   * small, else an exact copy, so that storage grown by need keeps no more than 1/16 unused. */
  finish(): StoredColumn {
    if (this.num.length) this.num = trim(this.num, this.length);
    if (this.codes) this.codes = trim(this.codes, this.length);
    this.capacity = this.length;
    this.dict = null;
    this.missingTokens = [...this.tokenCounts]
      .map(([token, count]) => ({
        token,
        count,
        asValue: !readsAsMissing(token, this.valueTokens),
      }))
      .sort((a, b) => b.count - a.count || (a.token < b.token ? -1 : 1));
    return this;
  }
}

/** Builds a stored column from plain values (synthetic sets, tests). */
export function columnFromValues(
  name: string,
  values: ArrayLike<number | string>,
  decimalComma = false,
  valueTokens: ReadonlySet<string> | null = null,
): StoredColumn {
  const b = new ColumnBuilder(name, null, values.length, decimalComma, valueTokens);
  for (let i = 0; i < values.length; i++) b.push(String(values[i]), i + 2);
  return b.finish();
}

/** The string a stored cell holds, or null when missing (dict mode exactly; numeric-only mode as the number). */
export function cellText(col: StoredColumn, row: number): string | null {
  if (col.mode === 'dict') {
    const c = (col.codes as Uint16Array)[row];
    return c === MISSING16 ? null : col.labels[c];
  }
  const v = numAt(col, row);
  return Number.isNaN(v) ? null : String(v);
}
