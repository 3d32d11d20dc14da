// The connection to the lab's IndexedDB database: open with migrations, one writer at a time,
// short transactions that count only when tx.done resolves, reopen-and-retry-once when the
// connection closes underneath, upgrade blocking handled, and an in-memory fallback.
import { msg, type Msg } from '../messages/index.ts';
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import {
  DB_NAME,
  DB_VERSION,
  MIGRATIONS,
  runMigrations,
  type LabDB,
  type LabStoreName,
  type Migration,
} from './schema.ts';
import {
  StoreError,
  UNAVAILABLE_MESSAGE,
  isClosedError,
  isQuotaError,
  toStoreError,
} from './errors.ts';
import { openChannel, withLock } from './sync.ts';

export type StoreEvent =
  /** Stores changed, here or in another tab. */
  | { type: 'changed'; stores: LabStoreName[]; remote: boolean }
  /** A newer version of the app wants to upgrade the database: this connection closed itself. */
  | { type: 'version-change'; message: Msg }
  /** Our upgrade waits for an older tab to close. */
  | { type: 'blocked'; message: Msg }
  /** The first write happened (the moment to ask for persistent storage and refresh the estimate). */
  | { type: 'first-write' };

export interface StoreOptions {
  name?: string;
  version?: number;
  migrations?: readonly Migration[];
  /** Broadcast changes to other tabs and listen to theirs (default true). */
  broadcast?: boolean;
  /** Called once after the first successful write (default: navigator.storage.persist where it exists). */
  onFirstWrite?: () => void;
  /** A first listener, attached before the database opens (so `blocked` is heard). */
  onEvent?: (e: StoreEvent) => void;
}

export const VERSION_CHANGE_MESSAGE: Msg = msg('store.error.versionChange');
export const BLOCKED_MESSAGE: Msg = msg('store.error.blocked');

type RwTx<S extends LabStoreName> = IDBPTransaction<LabDB, S[], 'readwrite'>;

export class LabStore {
  readonly name: string;
  readonly version: number;
  /** True when IndexedDB was unavailable and the store lives in this tab's memory only. */
  readonly inMemory: boolean;
  #migrations: readonly Migration[];
  #db: Promise<IDBPDatabase<LabDB>> | null = null;
  #listeners = new Set<(e: StoreEvent) => void>();
  #channel: ReturnType<typeof openChannel> = null;
  #wroteOnce = false;
  #outdated = false;
  #onFirstWrite: () => void;

  constructor(options: StoreOptions = {}, inMemory = false) {
    this.name = options.name ?? DB_NAME;
    this.version = options.version ?? DB_VERSION;
    this.#migrations = options.migrations ?? MIGRATIONS;
    this.inMemory = inMemory;
    this.#onFirstWrite = options.onFirstWrite ?? requestPersistence;
    if (options.onEvent) this.#listeners.add(options.onEvent);
    if (options.broadcast !== false) {
      this.#channel = openChannel(`${this.name}:changes`, (m) =>
        this.#emit({ type: 'changed', stores: m.stores as LabStoreName[], remote: true }),
      );
    }
  }

  /** Tells this tab's listeners (remote: false) and the other tabs that `stores` changed: for writes
   * made through another connection to the same database (the store worker's imports). */
  announce(stores: LabStoreName[]): void {
    this.#channel?.post({ type: 'changed', stores });
    this.#emit({ type: 'changed', stores, remote: false });
  }

  /** Listen to store events; returns the unsubscribe function. */
  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(e: StoreEvent): void {
    for (const l of this.#listeners) l(e);
  }

  /** The open connection (opened lazily, reopened after a close). */
  db(): Promise<IDBPDatabase<LabDB>> {
    if (this.#outdated) return Promise.reject(new StoreError('blocked', VERSION_CHANGE_MESSAGE));
    if (this.#db) return this.#db;
    const migrations = this.#migrations;
    if (this.version > migrations.length) {
      return Promise.reject(
        new Error(
          `No migration to version ${this.version}: the ladder ends at ${migrations.length}.`,
        ),
      );
    }
    const p = openDB<LabDB>(this.name, this.version, {
      upgrade: (db, oldVersion, newVersion, tx) =>
        runMigrations(db, tx, oldVersion, newVersion ?? this.version, migrations),
      blocked: () => this.#emit({ type: 'blocked', message: BLOCKED_MESSAGE }),
      blocking: () => {
        // An upgrade in another tab waits for us: step aside and ask for a reload.
        this.#outdated = true;
        void p.then((db) => db.close());
        this.#db = null;
        this.#emit({ type: 'version-change', message: VERSION_CHANGE_MESSAGE });
      },
      terminated: () => {
        if (this.#db === p) this.#db = null;
      },
    });
    this.#db = p;
    p.catch(() => {
      if (this.#db === p) this.#db = null;
    });
    return p;
  }

  /** Runs a read; if the connection was closed underneath, reopens and retries once. */
  async read<T>(fn: (db: IDBPDatabase<LabDB>) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const db = await this.db().catch((e: unknown) => {
        throw toStoreError(e);
      });
      try {
        return await fn(db);
      } catch (e) {
        if (attempt === 0 && isClosedError(e) && !this.#outdated) {
          this.#forget(db);
          continue;
        }
        throw toStoreError(e);
      }
    }
  }

  /**
   * One readwrite transaction over `stores`, holding the origin-wide write lock. `fn` must await only
   * IndexedDB requests. The write counts when tx.done resolves; on any error the transaction is aborted,
   * so it is complete or absent. A closed connection is reopened and the transaction retried once.
   */
  async write<S extends LabStoreName, T>(stores: S[], fn: (tx: RwTx<S>) => Promise<T>): Promise<T> {
    const result = await withLock(`${this.name}:write`, async () => {
      for (let attempt = 0; ; attempt++) {
        const db = await this.db().catch((e: unknown) => {
          throw toStoreError(e);
        });
        let tx: RwTx<S> | null = null;
        try {
          tx = db.transaction(stores, 'readwrite');
          const done = tx.done;
          done.catch(() => undefined);
          const value = await fn(tx);
          await done;
          return value;
        } catch (e) {
          try {
            tx?.abort();
          } catch {
            // already finished or aborted
          }
          if (attempt === 0 && isClosedError(e) && !this.#outdated) {
            this.#forget(db);
            continue;
          }
          throw toStoreError(e);
        }
      }
    });
    this.#channel?.post({ type: 'changed', stores });
    this.#emit({ type: 'changed', stores, remote: false });
    if (!this.#wroteOnce) {
      this.#wroteOnce = true;
      try {
        this.#onFirstWrite();
      } catch {
        // asking for persistence is a courtesy
      }
      this.#emit({ type: 'first-write' });
    }
    return result;
  }

  #forget(db: IDBPDatabase<LabDB>): void {
    try {
      db.close();
    } catch {
      // closed already
    }
    this.#db = null;
  }

  /** Closes the connection and the change channel. */
  async close(): Promise<void> {
    this.#channel?.close();
    this.#channel = null;
    const p = this.#db;
    this.#db = null;
    if (p) (await p.catch(() => null))?.close();
  }
}

function requestPersistence(): void {
  const storage = (globalThis as { navigator?: { storage?: { persist?: () => Promise<boolean> } } })
    .navigator?.storage;
  if (typeof storage?.persist === 'function') void storage.persist().catch(() => false);
}

/** Opens IndexedDB directly (no idb), to learn whether this browser lets us store at all.
 * 'quota' means IndexedDB works but the disk is full: the real store opens (what was saved can be read). */
function probe(): Promise<'ok' | 'quota' | 'fail'> {
  return new Promise((resolve) => {
    try {
      if (typeof indexedDB === 'undefined' || !indexedDB) return resolve('fail');
      const req = indexedDB.open(`${DB_NAME}-probe`);
      const timer = setTimeout(() => resolve('fail'), 5000);
      req.onsuccess = () => {
        clearTimeout(timer);
        req.result.close();
        resolve('ok');
      };
      req.onerror = () => {
        clearTimeout(timer);
        resolve(isQuotaError(req.error) ? 'quota' : 'fail');
      };
    } catch (e) {
      resolve(isQuotaError(e) ? 'quota' : 'fail');
    }
  });
}

const IDB_GLOBALS = [
  'IDBCursor',
  'IDBCursorWithValue',
  'IDBDatabase',
  'IDBFactory',
  'IDBIndex',
  'IDBKeyRange',
  'IDBObjectStore',
  'IDBOpenDBRequest',
  'IDBRequest',
  'IDBTransaction',
  'IDBVersionChangeEvent',
] as const;

/** Puts an in-memory IndexedDB (fake-indexeddb, loaded only now) in place of the browser's. */
async function installMemoryIndexedDB(): Promise<void> {
  const fake = await import('fake-indexeddb');
  const g = globalThis as Record<string, unknown>;
  const define = (key: string, value: unknown) =>
    Object.defineProperty(g, key, { value, configurable: true, writable: true, enumerable: false });
  define('indexedDB', fake.indexedDB);
  for (const k of IDB_GLOBALS) define(k, (fake as unknown as Record<string, unknown>)[k]);
}

/**
 * Opens the lab's store. When the browser refuses IndexedDB (private mode, storage off, open() fails)
 * it falls back to a store in this tab's memory: everything still works, nothing survives a reload.
 * Call once per realm, before any other idb use.
 */
export async function openLabStore(options: StoreOptions = {}): Promise<LabStore> {
  if ((await probe()) === 'fail') {
    await installMemoryIndexedDB();
    const store = new LabStore({ ...options, broadcast: false }, true);
    await store.db();
    return store;
  }
  const store = new LabStore(options);
  try {
    await store.db();
  } catch (e) {
    if (e instanceof StoreError && e.kind === 'blocked') throw e;
    // Opening the real database failed after the probe worked (a corrupt profile, say).
    throw new StoreError('unavailable', UNAVAILABLE_MESSAGE, { cause: e });
  }
  return store;
}
