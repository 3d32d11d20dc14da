// Stored records read back through the same checks as an imported file: a record written by an older
// version (or damaged) that would not pass is set aside as damaged, with the path of its problem, so
// no view ever meets it; it can still be exported as it is, or deleted. Read in chunks (short read
// transactions with a pause between them), so a store of 20,000 runs never holds the page.
import * as v from 'valibot';
import type { Msg } from '../messages/index.ts';
import type { ModelRecord, RunRecord } from './schema.ts';
import type { LabStore } from './store.ts';
import { ModelRecordSchema, RunRecordSchema, issueMsg } from './schemas/index.ts';

export interface DamagedRecord {
  store: 'runs' | 'models';
  id: IDBValidKey;
  /** Its name when it has a readable one. */
  name: string;
  reason: Msg;
  /** The record as it is stored (for its export). */
  record: unknown;
}

export interface ReadBack<T> {
  records: T[];
  damaged: DamagedRecord[];
}

const SCHEMAS = { runs: RunRecordSchema, models: ModelRecordSchema } as const;
const ROOTS = { runs: 'run', models: 'model' } as const;

/** The problem of a stored record, or null when it reads back as valid. */
export function storedProblem(store: 'runs' | 'models', record: unknown): Msg | null {
  const r = v.safeParse(SCHEMAS[store], record, { abortEarly: true, abortPipeEarly: true });
  return r.success ? null : issueMsg(r.issues[0], ROOTS[store]);
}

export interface ReadOptions {
  /** Records per read transaction. */
  chunk?: number;
  /** Awaited between chunks (the page yields to input and paint). */
  pause?: () => Promise<void>;
}

async function readChecked<T extends { id: string }>(
  store: LabStore,
  name: 'runs' | 'models',
  opts: ReadOptions,
): Promise<ReadBack<T>> {
  const chunk = opts.chunk ?? (name === 'runs' ? 250 : 25);
  const records: T[] = [];
  const damaged: DamagedRecord[] = [];
  let after: IDBValidKey | null = null;
  for (;;) {
    const from = after;
    const batch: unknown[] = await store.read((db) =>
      db.getAll(name, from === null ? null : IDBKeyRange.lowerBound(from, true), chunk),
    );
    for (const r of batch) {
      const reason = storedProblem(name, r);
      if (!reason) records.push(r as T);
      else {
        const o = r as { id: IDBValidKey; name?: unknown };
        damaged.push({
          store: name,
          id: o.id,
          name: typeof o.name === 'string' ? o.name.slice(0, 200) : '',
          reason,
          record: r,
        });
      }
    }
    if (batch.length < chunk) break;
    after = (batch[batch.length - 1] as { id: IDBValidKey }).id;
    await opts.pause?.();
  }
  records.sort((a, b) => (b as unknown as RunRecord).created - (a as unknown as RunRecord).created);
  return { records, damaged };
}

/** All runs that read back as valid, newest first, and the damaged ones. */
export function readRuns(store: LabStore, opts: ReadOptions = {}): Promise<ReadBack<RunRecord>> {
  return readChecked<RunRecord>(store, 'runs', opts);
}

/** All models that read back as valid, newest first, and the damaged ones. */
export function readModels(
  store: LabStore,
  opts: ReadOptions = {},
): Promise<ReadBack<ModelRecord>> {
  return readChecked<ModelRecord>(store, 'models', opts);
}

/** A damaged record as JSON text, whatever it holds (cycles and values JSON cannot write are named). */
export function damagedJson(d: DamagedRecord): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(
    { store: d.store, record: d.record },
    (_k, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Blob) return `[file of ${value.size} bytes]`;
      if (value && typeof value === 'object') {
        if (seen.has(value)) return '[repeated]';
        seen.add(value);
      }
      return value;
    },
    1,
  );
}
