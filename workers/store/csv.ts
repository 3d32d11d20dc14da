// CSV output that is safe to open in a spreadsheet: text cells that a spreadsheet would run as a
// formula (starting with =, +, -, @, tab or carriage return) get a leading apostrophe; numbers stay numbers.

export type Cell = string | number | boolean | null | undefined;

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, escaped against formula injection and quoted as RFC 4180 needs. */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  // A number written as text ("-3.5", "+2") is a number, not a formula: it stays as it is.
  if (FORMULA_START.test(s) && !NUMBER_TEXT.test(s.trim())) s = `'${s}`;
  if (/[",\n\r]/.test(s) || /^\s|\s$/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** A whole CSV document (CRLF line ends, as spreadsheets expect). */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}
