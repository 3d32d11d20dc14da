// The library's lists of saved runs and models: read from the store, searched and sorted, renamed,
// deleted with undo, and the runs chosen for the overlay. The Library (library.svelte.ts) extends it
// with opening the store, recording runs, resuming and replaying them, and files.
import type { LabStore } from '../../../workers/store/store.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import { UNAVAILABLE_MESSAGE } from '../../../workers/store/errors.ts';
import {
  deleteRun,
  listRuns,
  renameRun,
  restoreRun,
  type DeletedRun,
} from '../../../workers/store/runs.ts';
import {
  deleteModel,
  listModels,
  renameModel,
  restoreModel,
} from '../../../workers/store/models.ts';
import { filterModels, filterRuns, type SortKey } from './library-views.ts';
import { MAX_OVERLAY } from './run-overlay.ts';

interface Undo {
  label: string;
  restore: () => Promise<unknown>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class LibraryLists {
  store = $state.raw<LabStore | null>(null);
  ready = $state(false);
  /** Storage works only in memory (IndexedDB refused): shown as a banner. */
  inMemory = $state(false);
  /** A lasting problem with storage (another tab updated the app, storage unavailable...). */
  banner = $state<string | null>(null);
  /** The last failure, in words a student understands (role="alert"). */
  error = $state<string | null>(null);
  /** The last success worth saying (role="status"). */
  notice = $state<string | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  models = $state.raw<ModelRecord[]>([]);
  query = $state('');
  sort = $state<SortKey>('newest');
  /** Runs chosen for the overlay chart (2 to 4). */
  selected = $state<string[]>([]);
  undo = $state.raw<Undo | null>(null);
  /** The run being recorded now (its id), if any: the Library's recorder knows. */
  get recordingId(): string | null {
    return null;
  }

  get filteredRuns(): RunRecord[] {
    return filterRuns(this.runs, this.query, this.sort);
  }

  get filteredModels(): ModelRecord[] {
    return filterModels(this.models, this.query, this.sort);
  }

  get selectedRuns(): RunRecord[] {
    return this.selected
      .map((id) => this.runs.find((r) => r.id === id))
      .filter((r): r is RunRecord => !!r);
  }

  get interruptedRuns(): RunRecord[] {
    return this.runs.filter((r) => r.status === 'interrupted');
  }

  async refresh(): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const [runs, models] = await Promise.all([listRuns(store), listModels(store)]);
      this.runs = runs;
      this.models = models;
      this.selected = this.selected.filter((id) => runs.some((r) => r.id === id));
    } catch (e) {
      this.fail(e);
    }
  }

  /** A failure becomes the last error. */
  protected fail(e: unknown): void {
    this.error = message(e);
  }

  /** Runs `fn` with the open store; clears the last error, and a failure becomes it. */
  protected async guard<T>(fn: (store: LabStore) => Promise<T>): Promise<T | undefined> {
    const store = this.store;
    if (!store) {
      this.error = this.banner ?? UNAVAILABLE_MESSAGE;
      return undefined;
    }
    this.error = null;
    try {
      return await fn(store);
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  async renameRun(id: string, name: string): Promise<void> {
    await this.guard(async (s) => {
      const given = await renameRun(s, id, name);
      if (given !== name.trim())
        this.notice = `That name was taken; the run is now called "${given}".`;
      await this.refresh();
    });
  }

  async renameModel(id: string, name: string): Promise<void> {
    await this.guard(async (s) => {
      const given = await renameModel(s, id, name);
      if (given !== name.trim())
        this.notice = `That name was taken; the model is now called "${given}".`;
      await this.refresh();
    });
  }

  async deleteRun(id: string): Promise<void> {
    if (id === this.recordingId) {
      this.error = 'This run is training now. Stop it first, then delete it.';
      return;
    }
    await this.guard(async (s) => {
      const gone: DeletedRun | null = await deleteRun(s, id);
      if (gone) {
        this.undo = {
          label: `Deleted run "${gone.run.name}".`,
          restore: () => restoreRun(s, gone),
        };
        this.selected = this.selected.filter((x) => x !== id);
      }
      await this.refresh();
    });
  }

  async deleteModel(id: string): Promise<void> {
    await this.guard(async (s) => {
      const gone = await deleteModel(s, id);
      if (gone)
        this.undo = {
          label: `Deleted model "${gone.name}".`,
          restore: () => restoreModel(s, gone),
        };
      await this.refresh();
    });
  }

  async undoDelete(): Promise<void> {
    const u = this.undo;
    if (!u) return;
    this.undo = null;
    await this.guard(async () => {
      await u.restore();
      this.notice = 'Restored.';
      await this.refresh();
    });
  }

  dismissUndo(): void {
    this.undo = null;
  }

  /** Adds or removes a run from the overlay (at most 4). */
  toggleSelected(id: string): void {
    if (this.selected.includes(id)) this.selected = this.selected.filter((x) => x !== id);
    else if (this.selected.length >= MAX_OVERLAY)
      this.error = `At most ${MAX_OVERLAY} runs can be compared at once: untick one first.`;
    else this.selected = [...this.selected, id];
  }
}
