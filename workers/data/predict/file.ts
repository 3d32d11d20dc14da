// Predicting a whole CSV file with a saved model, streamed: the file is read like an import
// (readCsv: encoding, delimiter, decimal comma, quotes), its rows are predicted in batches as they come,
// and the result is written as CSV text (the input columns as they were, then the predictions;
// formula-like text escaped) into Blobs of about 1 MiB as it grows, so the text never piles up and
// the final Blob only joins them. Only the first rows are kept as values.
import { csvCell, type Cell } from '../../store/csv.ts';
import type { ModelRecord } from '../../store/schema.ts';
import { msg, msgOf, type Msg } from '../../messages/index.ts';
import { detailOf, readCsv, rowList, type ParseHooks, type RecordSink } from '../parse.ts';
import type { DataProblem, ParseOptions } from '../types.ts';
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

export function predictProblem(
  code: PredictProblem['code'],
  m: Msg,
  rows?: number[],
): { ok: false; problem: PredictProblem } {
  const p: PredictProblem = { code, message: m.key, msg: m };
  return { ok: false, problem: rows ? { ...p, rows } : p };
}
const fail = predictProblem;

function line(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',');
}

/** Everything one reading of the file builds (a new one if the file is read again as Windows-1252). */
class BatchSink {
  header: string[] = [];
  /** The CSV so far: Blobs of about BLOB_CHARS, then the text not yet in one. */
  readonly parts: Blob[] = [];
  #text: string[] = [];
  #chars = 0;
  readonly shown: PredictedRow[] = [];
  readonly notices: Msg[] = [];
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
        msg('predicting.noColumns', {
          name: this.name,
          columns: needed.slice(0, 8).join(', '),
          more: String(needed.length > 8),
        }),
      );
    if (missing.length && !this.predictor.recipe)
      throw new PredictStop(
        'no-columns',
        msg('predicting.missingColumns', {
          name: this.name,
          count: missing.length,
          columns: missing.map((n) => `"${n}"`).join(', '),
        }),
      );
    if (missing.length)
      this.notices.push(
        msg('predicting.filledColumns', {
          name: this.name,
          count: missing.length,
          columns: missing.join(', '),
        }),
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
      msg('predicting.tooLarge', {
        name,
        size: Number((blob.size / 1048576).toFixed(1)),
        limit: PREDICT_FILE_LIMIT_BYTES / 1048576,
      }),
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
    if (!s) return fail('empty-file', msg('predicting.noRows', { name }));
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

export function stopped(
  e: unknown,
  code: PredictProblem['code'],
): { ok: false; problem: PredictProblem } {
  if (e instanceof PredictStop) return fail(e.code, e.msg, e.rows);
  return fail(code, msgOf(e) ?? msg('predicting.failed', { detail: detailOf(e) }));
}

/** The reader's problems, said for a prediction (there is no "Skip bad rows" here). */
function problemMessage(p: DataProblem, name: string, sink: BatchSink | null): Msg {
  switch (p.code) {
    case 'empty-file':
    case 'header-only':
      return msg('predicting.noRows', { name });
    case 'cancelled':
      return msg('predicting.cancelled');
    case 'ragged-rows':
      return msg('predicting.ragged', {
        name,
        width: sink?.header.length ?? 0,
        ...rowList(p.rows ?? []),
      });
    default:
      return p.msg ?? msg('predicting.failed', { detail: p.message });
  }
}

function notNumbersNotice(s: BatchSink): Msg {
  return msg('predicting.notNumbers', {
    count: s.notNumberCount,
    cells: s.notNumbers.map((b) => `${b.row}, "${b.column}" ("${b.value}")`).join('; '),
    more: s.notNumberCount - s.notNumbers.length,
  });
}
