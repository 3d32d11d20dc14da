// Export: a model, a run (with its last checkpoint), a lesson pack and the backup of everything, as the
// versioned JSON files of files.ts. What is written is checked with the same schemas an import uses, so
// a file the app writes is a file it reads back; the backup is written record by record into a Blob
// (never one giant string) and leaves out, and names, records that would not read back.
import type { RecipeSettings } from '../data/types.ts';
import { plainCheckpoint } from './runs.ts';
import type { TrainConfig } from '../core/types.ts';
import type { Msg } from '../messages/index.ts';
import type { CheckpointRecord, DatasetRecord, ModelRecord, RunRecord } from './schema.ts';
import type { LabStore } from './store.ts';
import {
  APP,
  toBase64,
  type BackupFile,
  type DatasetData,
  type LabFile,
  type LessonFile,
  type ModelData,
  type ModelFile,
  type RunData,
  type RunFile,
} from './files.ts';
import { LIMITS } from './limits.ts';
import { safeFileName } from './names.ts';
import {
  ModelDataSchema,
  RecipeSettingsSchema,
  RunDataSchema,
  TrainConfigSchema,
} from './schemas/index.ts';
import { ImportError, mbText, parseWith } from './validate.ts';

function header<F extends LabFile['format']>(
  format: F,
): { format: F; version: 1; app: string; exportedAt: string } {
  return { format, version: 1, app: APP, exportedAt: new Date().toISOString() };
}

export function modelData(m: ModelRecord): ModelData {
  return {
    name: m.name,
    created: m.created,
    network: m.network,
    recipe: m.recipe,
    task: m.task,
    targetName: m.targetName,
    featureNames: m.featureNames,
    classLabels: m.classLabels,
    targetScale: m.targetScale,
    metrics: m.metrics,
  };
}

export function modelFile(m: ModelRecord): ModelFile {
  return { ...header('backprop-lab/model'), model: modelData(m) };
}

export function runFile(run: RunRecord, checkpoint: CheckpointRecord | null | undefined): RunFile {
  return { ...header('backprop-lab/run'), ...runData(run, checkpoint) };
}

function runData(run: RunRecord, checkpoint: CheckpointRecord | null | undefined): RunData {
  return {
    run,
    checkpoint: checkpoint ? { epoch: checkpoint.epoch, network: checkpoint.network } : null,
  };
}

export async function datasetData(d: DatasetRecord): Promise<DatasetData> {
  return {
    name: d.name,
    type: d.type,
    base64: toBase64(await d.file.arrayBuffer()),
    summary: d.summary,
  };
}

export interface LessonInput {
  title: string;
  note: string;
  dataset: { name: string; type?: string; bytes: ArrayBuffer | Uint8Array; summary?: unknown };
  recipeSettings: RecipeSettings | null;
  config: TrainConfig | null;
}

export function lessonFile(l: LessonInput): LessonFile {
  return {
    ...header('backprop-lab/lesson'),
    title: l.title,
    note: l.note,
    dataset: {
      name: l.dataset.name,
      type: l.dataset.type ?? 'text/csv',
      base64: toBase64(l.dataset.bytes),
      summary: l.dataset.summary ?? null,
    },
    recipeSettings: l.recipeSettings,
    config: l.config,
  };
}

/** JSON text of a file; NaN metrics become null (read back as NaN). */
export function toJson(file: LabFile): string {
  return JSON.stringify(file);
}

/** A file name safe on every system (kept in names.ts; exported here too for the export paths). */
export { safeFileName };

/** A file to hand to the user. */
export interface ExportedFile {
  blob: Blob;
  name: string;
}

/** The model file, checked as an import would check it. */
export function exportModelFile(m: ModelRecord): ExportedFile {
  const file = modelFile(m);
  parseWith(ModelDataSchema, JSON.parse(JSON.stringify(file.model)), 'model');
  return { blob: jsonBlob(toJson(file)), name: safeFileName(m.name, 'model.json') };
}

/** The run file (with its last weights), checked as an import would check it. */
export function exportRunFile(
  run: RunRecord,
  cp: CheckpointRecord | null | undefined,
): ExportedFile {
  const file = runFile(run, cp);
  parseWith(
    RunDataSchema,
    JSON.parse(JSON.stringify({ run: file.run, checkpoint: file.checkpoint })),
    '',
  );
  return { blob: jsonBlob(toJson(file)), name: safeFileName(run.name, 'run.json') };
}

const jsonBlob = (parts: BlobPart | BlobPart[]) =>
  new Blob(Array.isArray(parts) ? parts : [parts], { type: 'application/json' });

/** A dataset's JSON as Blob parts: its base64 written chunk by chunk. */
async function datasetParts(d: {
  name: string;
  type: string;
  file: Blob;
  summary: unknown;
}): Promise<BlobPart[]> {
  const bytes = new Uint8Array(await d.file.arrayBuffer());
  const parts: BlobPart[] = [
    `{"name":${JSON.stringify(d.name)},"type":${JSON.stringify(d.type)},"base64":"`,
  ];
  const CHUNK = 3 * (1 << 18);
  for (let i = 0; i < bytes.length; i += CHUNK) parts.push(toBase64(bytes.subarray(i, i + CHUNK)));
  parts.push(`","summary":${JSON.stringify(d.summary ?? null)}}`);
  return parts;
}

export interface LessonExport {
  title: string;
  note: string;
  dataset: { name: string; type: string; file: Blob };
  recipeSettings: RecipeSettings | null;
  config: TrainConfig | null;
}

/** A lesson pack: refused (with what to do) when its data file is bigger than a pack carries; the
 * settings are checked as an import would check them. */
export async function exportLessonFile(l: LessonExport): Promise<ExportedFile> {
  if (l.dataset.file.size > LIMITS.datasetBytes)
    throw new ImportError({
      key: 'store.export.datasetTooBig',
      params: {
        name: l.dataset.name,
        size: mbText(l.dataset.file.size),
        max: mbText(LIMITS.datasetBytes),
      },
    });
  const settings =
    l.recipeSettings && parseWith(RecipeSettingsSchema, l.recipeSettings, 'recipeSettings');
  const config = l.config && parseWith(TrainConfigSchema, l.config, 'config');
  const head = header('backprop-lab/lesson');
  const parts: BlobPart[] = [
    `{"format":"${head.format}","version":${head.version},"app":${JSON.stringify(head.app)},` +
      `"exportedAt":"${head.exportedAt}","title":${JSON.stringify(l.title)},"note":${JSON.stringify(l.note)},` +
      `"recipeSettings":${JSON.stringify(settings)},"config":${JSON.stringify(config)},"dataset":`,
    ...(await datasetParts({ ...l.dataset, summary: null })),
    '}',
  ];
  return { blob: jsonBlob(parts), name: safeFileName(l.title || 'lesson', 'lesson.json') };
}

/** A record left out of a backup, and why. */
export interface Skipped {
  what: 'model' | 'run' | 'dataset';
  name: string;
  reason: Msg;
}

export interface BackupExport extends ExportedFile {
  counts: { models: number; runs: number; datasets: number };
  skipped: Skipped[];
}

/** Reads a store's records in chunks (short read transactions), in key order. */
async function* chunks(
  store: LabStore,
  name: 'models' | 'runs' | 'datasets',
  size: number,
): AsyncGenerator<unknown[]> {
  const keyOf = (r: unknown) =>
    (r as Record<string, IDBValidKey>)[name === 'datasets' ? 'hash' : 'id'];
  let after: IDBValidKey | null = null;
  for (;;) {
    const from = after;
    const batch: unknown[] = await store.read((db) =>
      db.getAll(name, from === null ? null : IDBKeyRange.lowerBound(from, true), size),
    );
    if (batch.length === 0) return;
    yield batch;
    after = keyOf(batch[batch.length - 1]);
    if (batch.length < size) return;
  }
}

/** Everything in the store as one backup file, written record by record. Records that would not read
 * back (damaged, or a dataset bigger than a file carries) are left out and listed. */
export async function exportBackup(store: LabStore): Promise<BackupExport> {
  const head = header('backprop-lab/backup');
  let blob = jsonBlob(
    `{"format":"${head.format}","version":1,"app":${JSON.stringify(head.app)},"exportedAt":"${head.exportedAt}","models":[`,
  );
  const counts = { models: 0, runs: 0, datasets: 0 };
  const skipped: Skipped[] = [];
  const skip = (what: Skipped['what'], name: string, e: unknown) => {
    if (!(e instanceof ImportError)) throw e;
    skipped.push({ what, name, reason: e.msg });
  };
  for await (const batch of chunks(store, 'models', 200)) {
    const parts: string[] = [];
    for (const m of batch as ModelRecord[]) {
      try {
        const text = JSON.stringify(modelData(m));
        parseWith(ModelDataSchema, JSON.parse(text), `models[${counts.models}]`);
        parts.push(counts.models++ ? `,${text}` : text);
      } catch (e) {
        skip('model', m.name, e);
      }
    }
    blob = new Blob([blob, ...parts]);
  }
  blob = new Blob([blob, '],"runs":[']);
  for await (const batch of chunks(store, 'runs', 200)) {
    const ids = (batch as RunRecord[]).map((r) => r.id);
    const cps = await store.read(async (db) => {
      const tx = db.transaction('checkpoints', 'readonly');
      const all = await Promise.all(ids.map((id) => tx.store.get(id)));
      await tx.done;
      return all.map((cp) => cp && plainCheckpoint(cp));
    });
    const parts: string[] = [];
    (batch as RunRecord[]).forEach((r, i) => {
      try {
        const text = JSON.stringify(runData(r, cps[i]));
        parseWith(RunDataSchema, JSON.parse(text), `runs[${counts.runs}]`);
        parts.push(counts.runs++ ? `,${text}` : text);
      } catch (e) {
        skip('run', r.name, e);
      }
    });
    blob = new Blob([blob, ...parts]);
  }
  blob = new Blob([blob, '],"datasets":[']);
  for await (const batch of chunks(store, 'datasets', 1)) {
    const d = batch[0] as DatasetRecord;
    if (d.file.size > LIMITS.datasetBytes) {
      skipped.push({
        what: 'dataset',
        name: d.name,
        reason: {
          key: 'store.export.datasetTooBig',
          params: { name: d.name, size: mbText(d.file.size), max: mbText(LIMITS.datasetBytes) },
        },
      });
      continue;
    }
    blob = new Blob([blob, counts.datasets++ ? ',' : '', ...(await datasetParts(d))]);
  }
  blob = jsonBlob([blob, ']}']);
  return {
    blob,
    name: `backprop-lab-backup-${head.exportedAt.slice(0, 10)}.json`,
    counts,
    skipped,
  };
}

/** Everything in the store, as one backup object (small stores and tests; exportBackup streams). */
export async function exportEverything(store: LabStore): Promise<BackupFile> {
  const file = await exportBackup(store);
  return JSON.parse(await file.blob.text()) as BackupFile;
}
