// Import: a file's size is checked before reading; its text is read in chunks and split into records
// (import-parse.ts), so a big backup is never held whole. A model, run or lesson file is checked whole,
// then stored in one transaction. A backup is stored record by record in short transactions (a few
// hundred records, or one dataset, at a time), with progress and a way to stop between them; what is
// valid is stored, what is not is listed with its reason. A name clash gets " (2)", an id clash a new
// id: an import never overwrites.
import type { DatasetRecord, ModelRecord, RunRecord } from './schema.ts';
import type { LabStore } from './store.ts';
import { newId, sha256Hex, uniqueName } from './names.ts';
import {
  ImportParser,
  type ImportBundle,
  type ImportedLesson,
  type Refusal,
} from './import-parse.ts';
import { ImportError, checkFileSize, type FileKind } from './validate.ts';

export {
  parseImport,
  type ImportBundle,
  type ImportedLesson,
  type Refusal,
} from './import-parse.ts';

/** Records named in a report at most (the counts are exact). */
const SAMPLE = 50;

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  /** Records stored so far. */
  models: number;
  runs: number;
  datasets: number;
  refused: number;
}

export interface ImportReport {
  kind: FileKind;
  /** The first records stored (ids and names); `counts` has the totals. */
  models: Array<{ id: string; name: string }>;
  runs: Array<{ id: string; name: string }>;
  /** Hashes of the datasets stored (or already there). */
  datasets: string[];
  counts: { models: number; runs: number; datasets: number };
  /** Names changed because something had the same name already (the first ones). */
  renamed: Array<{ from: string; to: string }>;
  renamedCount: number;
  /** Records of a backup left out, with the path of their first problem (the first ones). */
  refused: Refusal[];
  refusedCount: number;
  /** Stopped on request: what was stored before stays. */
  cancelled: boolean;
  lesson: ImportedLesson | null;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** Asked between batches: true stops the import (what was stored stays). */
  cancelled?: () => boolean;
  /** At most this many records per transaction (default 200). */
  batch?: number;
}

/** What a long import needs to remember between transactions: names and ids already taken. */
class Taken {
  modelNames = new Set<string>();
  runNames = new Set<string>();
  runIds = new Set<string>();

  static async load(store: LabStore): Promise<Taken> {
    const t = new Taken();
    await store.read(async (db) => {
      const tx = db.transaction(['models', 'runs'], 'readonly');
      let c = await tx.objectStore('models').index('name').openKeyCursor();
      while (c) {
        t.modelNames.add(c.key);
        c = await c.continue();
      }
      for (const r of await tx.objectStore('runs').getAll()) {
        t.runNames.add(r.name);
        t.runIds.add(r.id);
      }
      await tx.done;
    });
    return t;
  }
}

function emptyReport(kind: FileKind): ImportReport {
  return {
    kind,
    models: [],
    runs: [],
    datasets: [],
    counts: { models: 0, runs: 0, datasets: 0 },
    renamed: [],
    renamedCount: 0,
    refused: [],
    refusedCount: 0,
    cancelled: false,
    lesson: null,
  };
}

/** Stores checked records in ONE transaction, all or nothing, never overwriting; adds to `report`. */
async function storeBatch(
  store: LabStore,
  bundle: ImportBundle,
  taken: Taken,
  report: ImportReport,
): Promise<void> {
  // Hash and copy outside the transaction (only IndexedDB is awaited inside it).
  const datasets: DatasetRecord[] = [];
  for (const d of bundle.datasets) {
    const file = new Blob([d.bytes.slice()], { type: d.type });
    datasets.push({
      hash: await sha256Hex(d.bytes),
      name: d.name,
      type: d.type,
      size: file.size,
      file,
      summary: structuredClone(d.summary),
      created: Date.now(),
    });
  }
  const renamed: Array<{ from: string; to: string }> = [];
  const models: ModelRecord[] = [];
  const runs: RunRecord[] = [];
  const modelNames = new Set(taken.modelNames);
  const runNames = new Set(taken.runNames);
  const runIds = new Set(taken.runIds);
  await store.write(['models', 'runs', 'checkpoints', 'datasets'], async (tx) => {
    // The requests are made at once and awaited together (one round trip per record, awaited one by
    // one, made a 20,000-run backup take minutes); any failure still aborts the whole transaction.
    const writes: Array<Promise<unknown>> = [];
    for (const m of bundle.models) {
      const name = uniqueName(m.name, modelNames);
      modelNames.add(name);
      if (name !== m.name) renamed.push({ from: m.name, to: name });
      const record: ModelRecord = { ...m, id: newId(), name, runId: null, datasetHash: null };
      writes.push(tx.objectStore('models').add(record));
      models.push(record);
    }
    for (const { run, checkpoint } of bundle.runs) {
      const name = uniqueName(run.name, runNames);
      runNames.add(name);
      if (name !== run.name) renamed.push({ from: run.name, to: name });
      const id = runIds.has(run.id) ? newId() : run.id;
      runIds.add(id);
      const record: RunRecord = { ...run, id, name };
      writes.push(tx.objectStore('runs').add(record));
      if (checkpoint)
        writes.push(
          tx.objectStore('checkpoints').put({
            runId: id,
            epoch: checkpoint.epoch,
            savedAt: Date.now(),
            network: checkpoint.network,
            trainerState: null,
          }),
        );
      runs.push(record);
    }
    await Promise.all(writes);
    const ds = tx.objectStore('datasets');
    for (const d of datasets) if (!(await ds.get(d.hash))) await ds.add(d);
  });
  // Counted only now that the transaction is done.
  taken.modelNames = modelNames;
  taken.runNames = runNames;
  taken.runIds = runIds;
  report.counts.models += models.length;
  report.counts.runs += runs.length;
  report.counts.datasets += datasets.length;
  for (const m of models)
    if (report.models.length < SAMPLE) report.models.push({ id: m.id, name: m.name });
  for (const r of runs)
    if (report.runs.length < SAMPLE) report.runs.push({ id: r.id, name: r.name });
  for (const d of datasets) if (report.datasets.length < SAMPLE) report.datasets.push(d.hash);
  report.renamedCount += renamed.length;
  report.renamed.push(...renamed.slice(0, Math.max(0, 20 - report.renamed.length)));
}

function addRefused(report: ImportReport, bundle: ImportBundle): void {
  report.refusedCount += bundle.refusedCount;
  report.refused.push(...bundle.refused.slice(0, Math.max(0, 100 - report.refused.length)));
}

/** Stores a checked bundle (one transaction). Never overwrites. */
export async function storeImport(store: LabStore, bundle: ImportBundle): Promise<ImportReport> {
  const report = emptyReport(bundle.kind);
  await storeBatch(store, bundle, await Taken.load(store), report);
  addRefused(report, bundle);
  report.lesson = bundle.lesson;
  return report;
}

const pending = (b: ImportBundle) => b.models.length + b.runs.length + b.datasets.length;

/** Checks the size first (nothing is read from a file that is too big), then reads the file in chunks,
 * checks and stores its records. */
export async function importFile(
  store: LabStore,
  file: Blob & { name?: string },
  opts: ImportOptions = {},
): Promise<ImportReport> {
  checkFileSize(file, 'anyFile');
  const name = file.name ?? 'file';
  const parser = new ImportParser();
  const progress: ImportProgress = {
    bytesRead: 0,
    totalBytes: file.size,
    models: 0,
    runs: 0,
    datasets: 0,
    refused: 0,
  };
  let taken: Taken | null = null;
  let report: ImportReport | null = null;
  let lastTell = 0;
  const tell = (force = false) => {
    const now = Date.now();
    if (!opts.onProgress || (!force && now - lastTell < 100)) return;
    lastTell = now;
    if (report) Object.assign(progress, report.counts, { refused: report.refusedCount });
    opts.onProgress({ ...progress });
  };
  const max = opts.batch ?? 200;
  /** A backup's checked records go to the store in short transactions as they come. */
  const flush = async (all: boolean) => {
    if (parser.kind !== 'backup') return;
    const out = parser.out;
    if (!all && pending(out) < max && out.datasets.length === 0) return;
    const batch = parser.take();
    report ??= emptyReport('backup');
    taken ??= await Taken.load(store);
    addRefused(report, batch);
    if (pending(batch)) await storeBatch(store, batch, taken, report);
    tell();
  };
  const readError = (e: unknown) =>
    new ImportError({
      key: 'store.file.unreadable',
      params: { name, detail: (e instanceof Error ? e.message : String(e)).slice(0, 120) },
    });
  const decoder = new TextDecoder('utf-8');
  if (typeof file.stream === 'function') {
    let reader: ReadableStreamDefaultReader<Uint8Array>;
    try {
      reader = file.stream().getReader();
    } catch (e) {
      throw readError(e);
    }
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw readError(e);
      }
      if (chunk.done) break;
      progress.bytesRead += chunk.value.byteLength;
      parser.scanner.push(decoder.decode(chunk.value, { stream: true }));
      await flush(false);
      if (opts.cancelled?.()) {
        await reader.cancel();
        report ??= emptyReport(parser.kind ?? 'backup');
        report.cancelled = true;
        tell(true);
        return report;
      }
    }
    parser.scanner.push(decoder.decode());
  } else {
    parser.scanner.push(await file.text());
  }
  if (parser.kind === 'backup') {
    parser.out = parser.finish();
    await flush(true);
    tell(true);
    return report ?? emptyReport('backup');
  }
  const bundle = parser.finish();
  const stored = await storeImport(store, bundle);
  Object.assign(progress, stored.counts);
  tell(true);
  return stored;
}

/** Checks the size, reads and checks a whole file, stores nothing (see importFile to store). */
export async function readImportFile(file: Blob & { name?: string }): Promise<ImportBundle> {
  checkFileSize(file, 'anyFile');
  const parser = new ImportParser();
  parser.scanner.push(await file.text());
  return parser.finish();
}
