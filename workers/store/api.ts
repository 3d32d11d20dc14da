// The store worker's API (workers/store.worker.ts): imports and exports of files off the main thread.
// A big backup is read, checked and stored here in short transactions, with progress and a stop; every
// export is written here into a Blob the page hands to the user. The page opens the same database by
// name; after a change it tells its own listeners and the other tabs (LabStore.announce).
import { MessageError } from '../messages/index.ts';
import { LabStore } from './store.ts';
import { getModel } from './models.ts';
import { getCheckpoint, getRun } from './runs.ts';
import {
  exportBackup,
  exportLessonFile,
  exportModelFile,
  exportRunFile,
  type BackupExport,
  type ExportedFile,
  type LessonExport,
} from './file-export.ts';
import { importFile, type ImportProgress, type ImportReport } from './file-import.ts';

/** Imports and exports on one database; the same calls run in the worker or, without one, on the page. */
export interface FileJobs {
  importFile(
    db: string,
    file: Blob & { name?: string },
    onProgress?: (p: ImportProgress) => void,
  ): Promise<ImportReport>;
  /** Stops the import in progress between two transactions (what was stored stays). */
  cancelImport(): void;
  exportModel(db: string, id: string): Promise<ExportedFile>;
  exportRun(db: string, id: string): Promise<ExportedFile>;
  exportBackup(db: string): Promise<BackupExport>;
  exportLesson(input: LessonExport): Promise<ExportedFile>;
}

/** The jobs over stores opened by name (`open`: the worker's own connections, or the page's store). */
export function createFileJobs(open: (db: string) => LabStore): FileJobs {
  let cancelled = false;
  return {
    importFile(db, file, onProgress) {
      cancelled = false;
      return importFile(open(db), file, { onProgress, cancelled: () => cancelled });
    },
    cancelImport() {
      cancelled = true;
    },
    async exportModel(db, id) {
      const m = await getModel(open(db), id);
      if (!m) throw new MessageError({ key: 'store.model.gone' });
      return exportModelFile(m);
    },
    async exportRun(db, id) {
      const store = open(db);
      const run = await getRun(store, id);
      if (!run) throw new MessageError({ key: 'store.run.gone' });
      return exportRunFile(run, await getCheckpoint(store, id));
    },
    exportBackup: (db) => exportBackup(open(db)),
    exportLesson: (input) => exportLessonFile(input),
  };
}

/** The worker's jobs: one connection per database name, kept open, broadcasting nothing itself. */
export function createStoreApi(): FileJobs {
  const stores = new Map<string, LabStore>();
  return createFileJobs((db) => {
    let s = stores.get(db);
    if (!s) {
      s = new LabStore({ name: db, broadcast: false, onFirstWrite: () => undefined });
      stores.set(db, s);
    }
    return s;
  });
}
