// Datasets: the original file bytes, the health summary and the SHA-256 of the bytes (the key), with
// where the data came from and how it was last read and prepared (so a run continues on it).
import type { DatasetRecord, StoredDataSource } from './schema.ts';
import type { LabStore } from './store.ts';
import { sha256Hex } from './names.ts';
import {
  DEFAULT_SYNTHETIC,
  SYNTHETIC_KINDS,
  type ParseOptions,
  type RecipeSettings,
  type SyntheticKind,
  type SyntheticOptions,
} from '../data/types.ts';

export interface NewDataset {
  name: string;
  type?: string;
  /** The original file (kept as is) or its bytes. */
  bytes: Blob | ArrayBuffer | Uint8Array;
  summary: unknown;
  source?: StoredDataSource;
  parseOptions?: Partial<ParseOptions>;
  settings?: RecipeSettings | null;
}

/** The MIME type of a generated set's stored description (its "file"). */
export const SYNTHETIC_TYPE = 'application/vnd.backprop-lab.synthetic+json';

/** A generated set's options with every field given (so the same set always has the same hash). */
export function fullSyntheticOptions(options: Partial<SyntheticOptions>): SyntheticOptions {
  const o = { ...DEFAULT_SYNTHETIC, ...options };
  return { n: o.n, noise: o.noise, seed: o.seed, classes: o.classes };
}

/** The file that stands for a generated set: its description as JSON, the same bytes for the same set. */
export function syntheticFile(kind: SyntheticKind, options: Partial<SyntheticOptions>): Blob {
  const o = fullSyntheticOptions(options);
  const text = JSON.stringify({ format: 'backprop-lab/synthetic', version: 1, kind, options: o });
  return new Blob([text], { type: SYNTHETIC_TYPE });
}

function isSyntheticKind(k: unknown): k is SyntheticKind {
  return SYNTHETIC_KINDS.some((s) => s.kind === k);
}

function syntheticOptions(o: unknown): SyntheticOptions | null {
  if (!o || typeof o !== 'object') return null;
  const r = o as Record<string, unknown>;
  const keys = ['n', 'noise', 'seed', 'classes'] as const;
  if (!keys.every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]))) return null;
  return fullSyntheticOptions(r as unknown as SyntheticOptions);
}

/** Where a stored dataset came from: its recorded source, else a generated set's description read
 *  from its file, else a file. Throws nothing: an unreadable description is a file. */
export async function sourceOf(record: DatasetRecord): Promise<StoredDataSource> {
  const s = record.source;
  if (s?.kind === 'sample' && typeof s.id === 'string') return { kind: 'sample', id: s.id };
  if (s?.kind === 'synthetic' && isSyntheticKind(s.synthetic)) {
    const options = syntheticOptions(s.options);
    if (options) return { kind: 'synthetic', synthetic: s.synthetic, options };
  }
  if (record.type === SYNTHETIC_TYPE) {
    try {
      const d = JSON.parse(await record.file.text()) as { kind?: unknown; options?: unknown };
      const options = syntheticOptions(d.options);
      if (isSyntheticKind(d.kind) && options)
        return { kind: 'synthetic', synthetic: d.kind, options };
    } catch {
      // not a description after all: read it as a file
    }
  }
  return { kind: 'file' };
}

/** Stores a dataset once per content: the same bytes give the same hash and are kept once. Its
 * source, reading options and recipe settings are the latest given. */
export async function putDataset(
  store: LabStore,
  input: NewDataset,
  now = Date.now(),
): Promise<DatasetRecord> {
  // Hash and copy first: nothing but IndexedDB is awaited inside a transaction.
  const type =
    input.type ?? (input.bytes instanceof Blob && input.bytes.type ? input.bytes.type : 'text/csv');
  const file =
    input.bytes instanceof Blob
      ? input.bytes
      : new Blob([input.bytes instanceof Uint8Array ? input.bytes.slice() : input.bytes], { type });
  const hash = await sha256Hex(await file.arrayBuffer());
  const summary = structuredClone(input.summary);
  const latest: Partial<DatasetRecord> = {};
  if (input.source) latest.source = structuredClone(input.source);
  if (input.parseOptions) latest.parseOptions = { ...input.parseOptions };
  if (input.settings !== undefined) latest.settings = structuredClone(input.settings);
  return store.write(['datasets'], async (tx) => {
    const existing = await tx.objectStore('datasets').get(hash);
    if (existing) {
      if (!Object.keys(latest).length) return existing;
      const updated: DatasetRecord = { ...existing, ...latest };
      await tx.objectStore('datasets').put(updated);
      return updated;
    }
    const record: DatasetRecord = {
      hash,
      name: input.name,
      type,
      size: file.size,
      file,
      summary,
      created: now,
      ...latest,
    };
    await tx.objectStore('datasets').add(record);
    return record;
  });
}

export async function getDataset(
  store: LabStore,
  hash: string,
): Promise<DatasetRecord | undefined> {
  return store.read((db) => db.get('datasets', hash));
}

/** All datasets, newest first. */
export async function listDatasets(store: LabStore): Promise<DatasetRecord[]> {
  return (await store.read((db) => db.getAllFromIndex('datasets', 'created'))).reverse();
}

export async function deleteDataset(store: LabStore, hash: string): Promise<DatasetRecord | null> {
  return store.write(['datasets'], async (tx) => {
    const d = await tx.objectStore('datasets').get(hash);
    if (!d) return null;
    await tx.objectStore('datasets').delete(hash);
    return d;
  });
}

/** Undo of deleteDataset. */
export async function restoreDataset(store: LabStore, record: DatasetRecord): Promise<void> {
  await store.write(['datasets'], async (tx) => {
    await tx.objectStore('datasets').put(record);
  });
}
