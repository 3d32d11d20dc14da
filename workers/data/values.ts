// Our own strict rules for what a cell means: missing, a number, or text. Used when reading a file and
// again when a recipe is applied to new rows, so both paths agree exactly.

/** Cells read as missing (any case), in every column: empty, NA, N/A, NaN, null, ?, -, . and #N/A. A
 * column can read a non-empty one as a value instead (`ParseOptions.valueTokens`). */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', '?', '-', '.', '#n/a']);

/** Is this (already trimmed) cell one of the missing-value tokens? */
export function isMissing(trimmed: string): boolean {
  return trimmed.length <= 4 && MISSING.has(trimmed.toLowerCase());
}

/** The missing-value tokens that `column` reads as values (the empty cell never is one), or null. */
export function valueTokenSet(
  list: ReadonlyArray<{ column: string; token: string }> | undefined,
  column: string,
): ReadonlySet<string> | null {
  const mine = (list ?? []).filter((v) => v.column === column && v.token !== '');
  return mine.length ? new Set(mine.map((v) => v.token)) : null;
}

/** Is this (trimmed) cell missing in a column that reads the tokens `asValue` as values? */
export function readsAsMissing(trimmed: string, asValue: ReadonlySet<string> | null): boolean {
  return isMissing(trimmed) && !(trimmed !== '' && asValue !== null && asValue.has(trimmed));
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const COMMA_NUMBER = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number, or NaN when the cell is not a number by our rules. `1e400` (overflow), `Infinity`,
 * `0x10`, `1,234` (with a comma separator) and `12abc` are not numbers. With `decimalComma`, `3,5` is 3.5. */
export function parseNumber(trimmed: string, decimalComma: boolean): number {
  if (trimmed.length === 0) return NaN;
  let s = trimmed;
  if (!NUMBER.test(s)) {
    if (!decimalComma || !COMMA_NUMBER.test(s)) return NaN;
    s = s.replace(',', '.');
  }
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

/** True when the text has the shape of a number whose value does not fit in a double (e.g. `1e400`). */
export function isOverflow(trimmed: string, decimalComma: boolean): boolean {
  const s = decimalComma ? trimmed.replace(',', '.') : trimmed;
  return NUMBER.test(s) && !Number.isFinite(Number(s));
}

const BOOLEAN_PAIRS: Array<[string, string]> = [
  ['false', 'true'],
  ['no', 'yes'],
  ['n', 'y'],
  ['f', 't'],
  ['0', '1'],
];

/** If these distinct values (at most two, case-insensitive) are a yes/no pair, returns [negative, positive] as written. */
export function booleanPair(values: string[]): [string, string] | null {
  if (values.length === 0 || values.length > 2) return null;
  const lower = values.map((v) => v.toLowerCase());
  for (const [neg, pos] of BOOLEAN_PAIRS) {
    if (lower.every((v) => v === neg || v === pos)) {
      if (values.length === 1) return null;
      return lower[0] === neg ? [values[0], values[1]] : [values[1], values[0]];
    }
  }
  return null;
}

/** Order class labels the way a person expects: numbers by value, a yes/no pair negative first, else alphabetical. */
export function orderLabels(labels: string[]): string[] {
  const pair = booleanPair(labels);
  if (pair) return pair;
  const nums = labels.map((l) => parseNumber(l.trim(), true));
  if (nums.every((v) => !Number.isNaN(v))) {
    return labels
      .map((l, i) => ({ l, v: nums[i] }))
      .sort((a, b) => a.v - b.v || (a.l < b.l ? -1 : 1))
      .map((e) => e.l);
  }
  return [...labels].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** 32-bit FNV-1a of a string, never 0xffffffff (that code means missing). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h >>>= 0;
  return h === 0xffffffff ? 0xfffffffe : h;
}
