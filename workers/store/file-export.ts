// Export: a model, a run (with its last checkpoint), a lesson pack and the backup of everything, as
// the versioned JSON files of files.ts.
import { plainCheckpoint } from './runs.ts';
import type { TrainConfig } from '../core/types.ts';
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
  recipeSettings: unknown;
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

/** Everything in the store, read in one transaction, as one backup file. */
export async function exportEverything(store: LabStore): Promise<BackupFile> {
  const [models, runs, checkpoints, datasets] = await store.read(async (db) => {
    const tx = db.transaction(['models', 'runs', 'checkpoints', 'datasets'], 'readonly');
    const all = await Promise.all([
      tx.objectStore('models').getAll(),
      tx.objectStore('runs').getAll(),
      tx.objectStore('checkpoints').getAll(),
      tx.objectStore('datasets').getAll(),
    ]);
    await tx.done;
    return all;
  });
  const cps = new Map(checkpoints.map((c) => [c.runId, plainCheckpoint(c)]));
  return {
    ...header('backprop-lab/backup'),
    models: models.map(modelData),
    runs: runs.map((r) => runData(r, cps.get(r.id))),
    datasets: await Promise.all(datasets.map(datasetData)),
  };
}

/** JSON text of a file; NaN metrics become null (read back as NaN). */
export function toJson(file: LabFile): string {
  return JSON.stringify(file);
}

/** A file name safe on every system (kept in names.ts; exported here too for the export paths). */
export { safeFileName } from './names.ts';
