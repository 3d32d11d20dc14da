// Predicting a whole CSV file with a saved model, streamed: the file is read like an import
// (readCsv: encoding, delimiter, decimal comma, quotes), its rows are predicted in batches as they come,
// and the result is written as CSV text (the input columns as they were, then the predictions;
// formula-like text escaped) into Blobs of about 1 MiB as it grows, so the text never piles up and
// the final Blob only joins them. Only the first rows are kept as values.
import { csvCell, type Cell } from '../../store/csv.ts';
import type { ModelRecord } from '../../store/schema.ts';
import { readCsv, type ParseHooks, type RecordSink } from '../parse.ts';
import type { ParseOptions } from '../types.ts';
import { inputColumns, Predictor, PredictStop, type NotANumber } from './model.ts';
import {
  PREDICT_FILE_LIMIT_BYTES,
  SHOWN_ROWS,
  type PredictedRow,
  type PredictionBatch,
  type PredictProblem,
  type PredictResult,
} from './types.ts';

/** Rows predicted together: one forward pass per batch. */
const BATCH_ROWS = 2048;
/** CSV text is moved into a Blob every time this many characters have piled up. */
const BLOB_CHARS = 1 << 20;
/** Cells that are not numbers listed by name in the notice (the count says how many in all). */
const LISTED_NOT_NUMBERS = 5;

function fail(
  code: PredictProblem['code'],
  message: string,
  rows?: number[],
): { ok: false; problem: PredictProblem } {
  return { ok: false, problem: rows ? { code, message, rows } : { code, message } };
}

function line(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',');
}

function rowList(rows: number[]): string {
  const shown = rows.slice(0, 10).join(', ');
  return rows.length > 10 ? `${shown} and more` : shown;
}

/** Everything one reading of the file builds (a new one if the file is read again as Windows-1252). */
class BatchSink {
  header: string[] = [];
  /** The CSV so far: Blobs of about BLOB_CHARS, then the text not yet in one. */
  readonly parts: Blob[] = [];
  #text: string[] = [];
  #chars = 0;
  readonly shown: PredictedRow[] = [];
  readonly notices: string[] = [];
  readonly notNumbers: NotANumber[] = [];
  notNumberCount = 0;
  rows = 0;
  #batch: string[][] = [];
  #rowNumbers: number[] = [];
  #decimalComma = false;

  constructor(
    private readonly predictor: Predictor,
    private readonly name: string,
  ) {}

  /** The file's header: the model's columns must be there (some may miss when a recipe fills them in). */
  start(names: string[], decimalComma: boolean): void {
    const needed = inputColumns(this.predictor.model).map((c) => c.name);
    const missing = needed.filter((n) => !names.includes(n));
    if (missing.length === needed.length)
      throw new PredictStop(
        'no-columns',
        `"${this.name}" has none of the columns this model needs (${needed.slice(0, 8).join(', ')}). Check the header row.`,
      );
    if (missing.length && !this.predictor.recipe)
      throw new PredictStop(
        'no-columns',
        `"${this.name}" has no column ${missing.map((n) => `"${n}"`).join(', ')}, which this model needs. Add ${missing.length > 1 ? 'them' : 'it'} with a number on every row and try again.`,
      );
    if (missing.length)
      this.notices.push(
        `Columns missing from "${this.name}" were treated as empty (filled in as in training): ${missing.join(', ')}.`,
      );
    this.header = names;
    this.#decimalComma = decimalComma;
    this.#write(line([...names, ...this.predictor.header]) + '\r\n');
  }

  add(fields: string[], row: number): void {
    this.#batch.push(fields);
    this.#rowNumbers.push(row);
    if (this.#batch.length >= BATCH_ROWS) this.flush();
  }

  /** Predicts the rows waiting and appends their CSV lines. */
  flush(): void {
    const rows = this.#batch;
    if (rows.length === 0) return;
    const numbers = this.#rowNumbers;
    const at = (i: number) => numbers[i];
    const p = this.predictor;
    const preds = p.predict(rows, this.header, at, this.#decimalComma);
    const bad = p.notNumbers(rows, this.header, at, this.#decimalComma);
    this.notNumberCount += bad.length;
    for (const b of bad) if (this.notNumbers.length < LISTED_NOT_NUMBERS) this.notNumbers.push(b);
    const lines: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      lines.push(line([...rows[i], ...p.cells(preds[i])]));
      if (this.shown.length < SHOWN_ROWS) this.shown.push({ cells: rows[i], prediction: preds[i] });
    }
    this.#write(lines.join('\r\n') + '\r\n');
    this.rows += rows.length;
    this.#batch = [];
    this.#rowNumbers = [];
  }

  #write(text: string): void {
    this.#text.push(text);
    this.#chars += text.length;
    if (this.#chars >= BLOB_CHARS) this.#seal();
  }

  /** Moves the text written so far into a Blob. */
  #seal(): void {
    if (this.#text.length) this.parts.push(new Blob(this.#text));
    this.#text = [];
    this.#chars = 0;
  }

  /** The whole CSV (after the last flush). */
  csv(): Blob {
    this.#seal();
    return new Blob(this.parts, { type: 'text/csv' });
  }

  asSink(): RecordSink {
    return {
      header: (names, _originals, _capacity, decimalComma) => this.start(names, decimalComma),
      row: (fields, row) => this.add(fields, row),
    };
  }
}

/** Predicts every row of a CSV file. Bad input is an answer (`ok: false`) naming the rows. */
export async function predictFile(
  model: ModelRecord,
  blob: Blob,
  name: string,
  hooks: ParseHooks = {},
  options: Partial<ParseOptions> = {},
): Promise<PredictResult<{ batch: PredictionBatch }>> {
  if (blob.size > PREDICT_FILE_LIMIT_BYTES)
    return fail(
      'too-large',
      `"${name}" is ${(blob.size / 1048576).toFixed(1)} MB; prediction takes files up to ${PREDICT_FILE_LIMIT_BYTES / 1048576} MB. Split it into smaller files.`,
    );
  let predictor: Predictor;
  try {
    predictor = new Predictor(model);
  } catch (e) {
    return stopped(e, 'bad-model');
  }
  let sink: BatchSink | null = null;
  try {
    const read = await readCsv(blob, { ...options, minRows: 1 }, hooks, () => {
      sink = new BatchSink(predictor, name);
      return sink.asSink();
    });
    const s = sink as BatchSink | null;
    if (!read.ok)
      return fail(read.problem.code, problemMessage(read.problem, name, s), read.problem.rows);
    if (!s) return fail('empty-file', noRows(name));
    s.flush();
    const notices = [...read.notices, ...s.notices];
    if (s.notNumberCount > 0) notices.push(notNumbersNotice(s));
    return {
      ok: true,
      batch: {
        rows: s.rows,
        header: s.header,
        predictionHeader: predictor.header,
        shown: s.shown,
        csv: s.csv(),
        notices,
      },
    };
  } catch (e) {
    return stopped(e, 'bad-value');
  }
}

function stopped(e: unknown, code: PredictProblem['code']): { ok: false; problem: PredictProblem } {
  if (e instanceof PredictStop) return fail(e.code, e.message, e.rows);
  return fail(code, e instanceof Error ? e.message : String(e));
}

function noRows(name: string): string {
  return `"${name}" has no data rows under its header. Give a table whose first row names the columns.`;
}

/** The reader's problems, said for a prediction (there is no "Skip bad rows" here). */
function problemMessage(p: PredictProblem, name: string, sink: BatchSink | null): string {
  switch (p.code) {
    case 'empty-file':
    case 'header-only':
      return noRows(name);
    case 'cancelled':
      return 'The prediction was cancelled. Choose the file again when you are ready.';
    case 'ragged-rows': {
      const rows = p.rows ?? [];
      const width = sink?.header.length ?? 0;
      return `${rows.length > 1 ? `Rows ${rowList(rows)}` : `Row ${rows[0]}`} of "${name}" ${rows.length > 1 ? 'do' : 'does'} not have ${width} cells like the header. Fix ${rows.length > 1 ? 'those rows' : 'that row'} and try again.`;
    }
    default:
      return p.message;
  }
}

function notNumbersNotice(s: BatchSink): string {
  const listed = s.notNumbers
    .map((b) => `row ${b.row}, column "${b.column}" ("${b.value}")`)
    .join('; ');
  const more =
    s.notNumberCount > s.notNumbers.length
      ? ` and ${s.notNumberCount - s.notNumbers.length} more`
      : '';
  return `${s.notNumberCount} cell${s.notNumberCount > 1 ? 's are' : ' is'} not a number and ${s.notNumberCount > 1 ? 'were' : 'was'} filled in as in training: ${listed}${more}. Correct ${s.notNumberCount > 1 ? 'them' : 'it'} in the file if that is wrong.`;
}
