// The files Backprop Lab writes and reads: model file, run file, lesson pack and the backup of
// everything, as versioned JSON (`{ format, version: 1, app, exportedAt, ... }`), and the base64 that
// carries a dataset's bytes. Writing them is file-export.ts; reading them back, file-import.ts.
import type { SerializedNetwork, Task, TrainConfig } from '../core/types.ts';
import type { RecipeSettings } from '../data/types.ts';
import type { RunRecord, StoredRecipe } from './schema.ts';
import { ImportError } from './validate.ts';

export const FILE_VERSION = 1;
export const APP = 'Backprop Lab';

/** The model as it travels in files (a ModelRecord without id). */
export interface ModelData {
  name: string;
  created: number;
  network: SerializedNetwork;
  recipe: StoredRecipe;
  task: Task | null;
  targetName: string;
  featureNames: string[];
  classLabels: string[];
  targetScale: { mean: number; std: number } | null;
  metrics: Record<string, number>;
}

export interface ModelFile {
  format: 'backprop-lab/model';
  version: 1;
  app: string;
  exportedAt: string;
  model: ModelData;
}

export interface RunData {
  run: RunRecord;
  checkpoint: { epoch: number; network: SerializedNetwork } | null;
}

export interface RunFile extends RunData {
  format: 'backprop-lab/run';
  version: 1;
  app: string;
  exportedAt: string;
}

export interface DatasetData {
  name: string;
  type: string;
  /** The original file bytes, base64. */
  base64: string;
  summary: unknown;
}

export interface LessonFile {
  format: 'backprop-lab/lesson';
  version: 1;
  app: string;
  exportedAt: string;
  title: string;
  /** The teacher's note, plain text (shown as text, never as HTML). */
  note: string;
  dataset: DatasetData;
  /** The data settings (target, recipe choices; null before a target is chosen) and the training
   * configuration to start from. */
  recipeSettings: RecipeSettings | null;
  config: TrainConfig | null;
}

export interface BackupFile {
  format: 'backprop-lab/backup';
  version: 1;
  app: string;
  exportedAt: string;
  models: ModelData[];
  runs: RunData[];
  datasets: DatasetData[];
}

export type LabFile = ModelFile | RunFile | LessonFile | BackupFile;

// ---- base64 ---------------------------------------------------------------------------------

/** Base64 of bytes, chunked by a multiple of 3 so that only the end is padded. */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const CHUNK = 3 * 10_000;
  const parts: string[] = [];
  for (let i = 0; i < u8.length; i += CHUNK) {
    let bin = '';
    const end = Math.min(u8.length, i + CHUNK);
    for (let j = i; j < end; j++) bin += String.fromCharCode(u8[j]);
    parts.push(btoa(bin));
  }
  return parts.join('');
}

export function fromBase64(s: string, path: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0)
    throw new ImportError({ key: 'store.file.base64', params: { path } });
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
