// Datasets: the original file bytes, the health summary and the SHA-256 of the bytes (the key).
import type { DatasetRecord } from './schema.ts';
import type { LabStore } from './store.ts';
import { sha256Hex } from './names.ts';

export interface NewDataset {
  name: string;
  type?: string;
  /** The original file (kept as is) or its bytes. */
  bytes: Blob | ArrayBuffer | Uint8Array;
  summary: unknown;
}

/** Stores a dataset once per content: the same bytes give the same hash and are kept once. */
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
  return store.write(['datasets'], async (tx) => {
    const existing = await tx.objectStore('datasets').get(hash);
    if (existing) return existing;
    const record: DatasetRecord = {
      hash,
      name: input.name,
      type,
      size: file.size,
      file,
      summary,
      created: now,
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
