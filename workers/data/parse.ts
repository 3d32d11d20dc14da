// Streaming CSV reading: bytes in chunks from a Blob/File, decoded by our own encoding rules, split into
// fields by papaparse's parser, handed row by row to a sink: typed into column storage as they come
// (import), or predicted in batches (prediction). The File itself is never copied into one string.
import Papa from 'papaparse';
import { ColumnBuilder, type StoredColumn } from './columns.ts';
import { createDecoder, sniff } from './decode.ts';
import { cleanHeaders, guessDelimiter, guessNewline } from './dialect.ts';
import { msg, type Msg } from '../messages/index.ts';
import {
  DATA_LIMITS,
  DEFAULT_PARSE_OPTIONS,
  type DataProblem,
  type Delimiter,
  type ParseOptions,
  type ParseProgress,
  type Result,
  type TextEncodingName,
} from './types.ts';
import { valueTokenSet } from './values.ts';

export interface Table {
  source: string;
  bytes: number;
  encoding: TextEncodingName;
  delimiter: Delimiter;
  decimalComma: boolean;
  rows: number;
  columns: StoredColumn[];
  preview: { header: string[]; rows: string[][] };
  notices: Msg[];
  skippedRows: number[];
  skippedRowCount: number;
}

export interface ParseHooks {
  onProgress?: (p: ParseProgress) => void;
  /** Polled between chunks; true stops the reading with a 'cancelled' problem. */
  cancelled?: () => boolean;
}

const PREVIEW_ROWS = 20;
/** A single record longer than this means a quote that is never closed. */
const MAX_RECORD_CHARS = 8 << 20;

/** A problem told as a catalogue message (`message` keeps the key, for logs and tests). */
export function msgProblem(
  code: DataProblem['code'],
  m: Msg,
  rows?: number[],
): { ok: false; problem: DataProblem } {
  const p: DataProblem = { code, message: m.key, msg: m };
  return { ok: false, problem: rows ? { ...p, rows } : p };
}
const problem = msgProblem;

function tooManyColumns(columns: number): { ok: false; problem: DataProblem } {
  return msgProblem(
    'too-many-columns',
    msg('reading.tooManyColumns', { columns, limit: DATA_LIMITS.columns }),
  );
}

function tooBig(rows: number, columns: number): DataProblem {
  const m = msg('reading.tooBig', { rows, columns, limit: DATA_LIMITS.cells });
  return { code: 'too-big', message: m.key, msg: m };
}

/** Thrown by a sink to stop the reading with a problem (a limit reached part way). */
export class ReadingStopped extends Error {
  constructor(readonly problem: DataProblem) {
    super(problem.message);
    this.name = 'ReadingStopped';
  }
}

/** True for the errors an allocation that does not fit throws (a typed array, a string, the heap). */
export function isOutOfMemory(e: unknown): boolean {
  if (e instanceof RangeError) return true;
  const text = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /out of memory|allocation failed|invalid array (buffer )?length|could not allocate/i.test(
    text,
  );
}

/** Counts `ch` in `text`, stopping once past `limit`. */
function countUpTo(text: string, ch: string, limit: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0 && n <= limit; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Row numbers for a message: the first ten (`rows`), `more` when there are others. */
export function rowList(rows: number[]): { rows: string; count: number; more: string } {
  return { rows: rows.slice(0, 10).join(', '), count: rows.length, more: String(rows.length > 10) };
}

/** The reading error's own words, a detail inside a message. */
export const detailOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

class Utf8Invalid extends Error {}

/** Where the rows of a file go as they are read: column storage (import) or a prediction. */
export interface RecordSink {
  /** The cleaned header (empty names filled in, duplicates renamed), before any row. `capacity` is the
   * number of rows known so far (those of the first chunk: the whole file when it fits in one; more
   * rows grow the storage by need), `decimalComma` how numbers are written. */
  header(
    names: string[],
    originals: Array<string | null>,
    capacity: number,
    decimalComma: boolean,
  ): void;
  /** One row with the header's width, cells as written; `row` is its spreadsheet row number (the
   * header is row 1) and `left` the rows still to come in this chunk. May throw to stop the reading. */
  row(fields: string[], row: number, left: number): void;
}

/** How a file was read (everything but its rows, which went to the sink). */
export interface ReadSummary {
  bytes: number;
  encoding: TextEncodingName;
  delimiter: Delimiter;
  decimalComma: boolean;
  rows: number;
  header: string[];
  preview: string[][];
  notices: Msg[];
  skippedRows: number[];
  skippedRowCount: number;
}

/** Reads a CSV file into typed column storage. Never throws for bad input: returns a problem the UI can show. */
export async function parseCsv(
  blob: Blob,
  source: string,
  options: Partial<ParseOptions> = {},
  hooks: ParseHooks = {},
): Promise<Result<{ table: Table }>> {
  let builders: ColumnBuilder[] = [];
  let res: Result<ReadSummary>;
  try {
    res = await readCsv(blob, options, hooks, () => {
      builders = [];
      let maxRows = 0;
      return {
        header(names, originals, capacity, decimalComma) {
          maxRows = Math.floor(DATA_LIMITS.cells / names.length);
          const rows = Math.min(capacity, maxRows);
          builders = names.map(
            (n, i) =>
              new ColumnBuilder(
                n,
                originals[i],
                rows,
                decimalComma,
                valueTokenSet(options.valueTokens, n),
              ),
          );
        },
        row(fields, row) {
          const b0 = builders[0];
          if (b0.length + 1 > b0.capacity) {
            if (b0.length >= maxRows) throw new ReadingStopped(tooBig(maxRows, builders.length));
            // Grow by need, geometrically (amortized: each cell is copied about twice at most).
            const want = Math.min(maxRows, Math.ceil(b0.capacity * 1.5) + 1024) - b0.length;
            for (const b of builders) b.reserve(want);
          }
          for (let c = 0; c < fields.length; c++) builders[c].push(fields[c], row);
        },
      };
    });
  } catch (e) {
    builders = [];
    if (e instanceof ReadingStopped) return { ok: false, problem: e.problem };
    if (isOutOfMemory(e)) return msgProblem('out-of-memory', msg('reading.outOfMemory'));
    throw e;
  }
  if (!res.ok) return res;
  const { header, preview, bytes, ...rest } = res;
  let columns: StoredColumn[];
  try {
    columns = builders.map((b) => b.finish());
  } catch (e) {
    if (isOutOfMemory(e)) return msgProblem('out-of-memory', msg('reading.outOfMemory'));
    throw e;
  }
  return {
    ok: true,
    table: {
      source,
      bytes,
      encoding: rest.encoding,
      delimiter: rest.delimiter,
      decimalComma: rest.decimalComma,
      rows: rest.rows,
      columns,
      preview: { header, rows: preview },
      notices: rest.notices,
      skippedRows: rest.skippedRows,
      skippedRowCount: rest.skippedRowCount,
    },
  };
}

/** Streams a CSV file's rows into a sink (a new one from `makeSink` for each attempt: a file found not
 * to be UTF-8 part way is read again from the start as Windows-1252). Bad input is a problem, not a
 * throw; an error thrown by the sink ends the reading and is thrown on. */
export async function readCsv(
  blob: Blob,
  options: Partial<ParseOptions>,
  hooks: ParseHooks,
  makeSink: () => RecordSink,
): Promise<Result<ReadSummary>> {
  const opts: ParseOptions = { ...DEFAULT_PARSE_OPTIONS, ...options };
  if (blob.size === 0) return problem('empty-file', msg('reading.empty'));
  let head: Uint8Array;
  try {
    head = new Uint8Array(await blob.slice(0, Math.min(blob.size, 65536)).arrayBuffer());
  } catch (e) {
    return problem('read-failed', msg('reading.failed', { detail: detailOf(e) }));
  }
  const sniffed = sniff(head);
  if (sniffed.binary) return problem('binary-file', sniffed.binary);
  const fallbackNotice = msg('reading.notice.windows1252');
  try {
    return await readWith(
      blob,
      opts,
      hooks,
      sniffed.encoding,
      sniffed.bomLength,
      sniffed.encoding === 'windows-1252' ? [fallbackNotice] : [],
      makeSink(),
    );
  } catch (e) {
    if (e instanceof Utf8Invalid) {
      return readWith(blob, opts, hooks, 'windows-1252', 0, [fallbackNotice], makeSink());
    }
    throw e;
  }
}

async function readWith(
  blob: Blob,
  opts: ParseOptions,
  hooks: ParseHooks,
  encoding: TextEncodingName,
  bomLength: number,
  notices: Msg[],
  sink: RecordSink,
): Promise<Result<ReadSummary>> {
  const decoder = createDecoder(encoding);
  const total = blob.size;
  let offset = bomLength;
  let partial = '';
  let parser: Papa.Parser | null = null;
  let delimiter: Delimiter = ',';
  let decimalComma = false;
  let header: string[] | null = null;
  let record = 0; // records after the header, skipped ones included
  let rows = 0;
  const preview: string[][] = [];
  const skippedRows: number[] = [];
  let skippedRowCount = 0;
  let lastProgress = 0;
  let recordStartRow = 2;

  for (;;) {
    if (hooks.cancelled?.()) return problem('cancelled', msg('reading.cancelled'));
    const end = Math.min(total, offset + opts.chunkBytes);
    const last = end >= total;
    let text: string;
    try {
      const bytes = new Uint8Array(await blob.slice(offset, end).arrayBuffer());
      text = decoder.decode(bytes, { stream: !last });
    } catch (e) {
      if (e instanceof TypeError && encoding === 'utf-8') throw new Utf8Invalid();
      return problem('read-failed', msg('reading.failed', { detail: detailOf(e) }));
    }
    offset = end;
    let input = partial + text;
    if (!parser) {
      // Guess the delimiter and line break on whole lines: wait for a few lines (or the end).
      const lines = input.split('\n').length;
      if (!last && lines < 6 && input.length < 65536) {
        partial = input;
        continue;
      }
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
      const newline = guessNewline(input.slice(0, 65536));
      delimiter =
        opts.delimiter === 'auto' ? guessDelimiter(input.slice(0, 65536), newline) : opts.delimiter;
      decimalComma = opts.decimalComma === 'auto' ? delimiter === ';' : opts.decimalComma;
      parser = new Papa.Parser({ delimiter, newline: newline as '\n', quoteChar: '"' });
    }
    const res = parser.parse(input, 0, !last) as {
      data: string[][];
      errors: Array<{ code: string; row: number }>;
      meta: { cursor: number };
    };
    partial = last ? '' : input.slice(res.meta.cursor);
    // A header line so long that it is still incomplete: refuse it as soon as it is too wide.
    if (
      !header &&
      partial.length > 65536 &&
      res.data.every((r) => r.length === 1 && r[0].trim() === '')
    ) {
      const width = countUpTo(partial, delimiter, DATA_LIMITS.columns) + 1;
      if (width > DATA_LIMITS.columns) return tooManyColumns(width);
    }
    if (partial.length > MAX_RECORD_CHARS) {
      const row = recordStartRow + res.data.length;
      return problem('unclosed-quote', msg('reading.quote.huge', { row }), [row]);
    }
    if (last && res.errors.some((e) => e.code === 'MissingQuotes')) {
      const at = header ? record + 1 + res.data.length : res.data.length;
      return problem('unclosed-quote', msg('reading.quote.end', { row: at }), [at]);
    }
    const data = res.data;
    const ragged: number[] = [];
    for (let k = 0; k < data.length; k++) {
      let fields = data[k];
      if (fields.length === 1 && fields[0].trim() === '') continue; // blank line
      if (!header) {
        if (fields.length > DATA_LIMITS.columns) return tooManyColumns(fields.length);
        const cleaned = cleanHeaders(fields);
        header = cleaned.names;
        notices.push(...cleaned.notices);
        // Room for the rows this chunk holds (all of them when the file fits in one chunk); the
        // storage grows by need after that. Never sized from a guess of the file's density: blank
        // lines or a short first chunk must not make a huge allocation.
        let known = 0;
        for (let j = k + 1; j < data.length; j++)
          if (!(data[j].length === 1 && data[j][0].trim() === '')) known++;
        sink.header(header, cleaned.originals, Math.max(known, last ? 1 : 1024), decimalComma);
        continue;
      }
      const row = record + 2;
      record++;
      if (
        fields.length > header.length &&
        fields.slice(header.length).every((f) => f.trim() === '')
      )
        fields = fields.slice(0, header.length);
      if (fields.length !== header.length) {
        if (opts.raggedRows === 'stop') {
          if (ragged.length < 20) ragged.push(row);
        } else {
          skippedRowCount++;
          if (skippedRows.length < 100) skippedRows.push(row);
        }
        continue;
      }
      if (ragged.length) continue;
      sink.row(fields, row, data.length - k);
      rows++;
      if (preview.length < PREVIEW_ROWS) preview.push(fields.map((f) => f.trim()));
    }
    recordStartRow = record + 2;
    if (ragged.length) {
      const width = header ? header.length : 0;
      return problem('ragged-rows', msg('reading.ragged', { width, ...rowList(ragged) }), ragged);
    }
    const now = Date.now();
    if (hooks.onProgress && (last || now - lastProgress > 50)) {
      lastProgress = now;
      hooks.onProgress({ bytesRead: offset, totalBytes: total, rows });
    }
    if (last) break;
  }

  if (!header) return problem('empty-file', msg('reading.noText'));
  if (rows === 0) {
    if (skippedRowCount > 0)
      return problem('no-data', msg('reading.allSkipped', { width: header.length }));
    return problem('header-only', msg('reading.headerOnly', { columns: header.length }));
  }
  if (rows < opts.minRows) return problem('too-few-rows', msg('reading.oneRow'));
  if (skippedRowCount > 0) {
    notices.push(
      msg('reading.notice.skipped', { ...rowList(skippedRows), count: skippedRowCount }),
    );
  }
  if (opts.delimiter === 'auto' && header.length === 1) {
    notices.push(msg('reading.notice.oneColumn'));
  }
  return {
    ok: true,
    bytes: total,
    encoding,
    delimiter,
    decimalComma,
    rows,
    header,
    preview,
    notices,
    skippedRows,
    skippedRowCount,
  };
}

export { cleanHeaders, guessDelimiter, guessNewline };
