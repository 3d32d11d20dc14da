// The library's lists of saved runs and models: read from the store, searched and sorted, renamed,
// deleted with undo, and the runs chosen for the overlay. The Library (library.svelte.ts) extends it
// with opening the store, recording runs, resuming and replaying them, and files.
import type { LabStore } from '../../../workers/store/store.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import { UNAVAILABLE_MESSAGE } from '../../../workers/store/errors.ts';
import { deleteRun, renameRun, restoreRun, type DeletedRun } from '../../../workers/store/runs.ts';
import { deleteModel, renameModel, restoreModel } from '../../../workers/store/models.ts';
import {
  damagedJson,
  readModels,
  readRuns,
  type DamagedRecord,
} from '../../../workers/store/read-back.ts';
import { errorText, i18n, t } from '../i18n/i18n.svelte.ts';
import {
  modelIndex,
  modelScore,
  runIndex,
  runScore,
  sortBy,
  type SortKey,
} from './library-views.ts';
import { MAX_OVERLAY } from './run-overlay.ts';

/** Items a list shows at first, and how many more each "Show more" adds. */
export const PAGE_SIZE = 50;
/** A new search or order shows this many cards at once, and as many more in each next task up to
 *  the first page: fifty new cards in one task would hold the page (a search of 20,000 runs). */
export const FIRST_PAINT = 15;
/** A search is applied this long after the last keystroke. */
export const SEARCH_DELAY_MS = 150;

/** A pause that lets the page handle input and paint between chunks of work. */
const pause = () => new Promise<void>((r) => setTimeout(r, 0));

interface Undo {
  label: string;
  restore: () => Promise<unknown>;
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
  /** Stored records that do not read back as valid: shown apart, with export and delete. */
  damaged = $state.raw<DamagedRecord[]>([]);
  /** The search as typed; `search` is what the lists show, applied SEARCH_DELAY_MS later. */
  #query = $state('');
  search = $state('');
  #sort = $state<SortKey>('newest');
  /** How many of the filtered runs and models are shown (a page at a time). */
  runLimit = $state(PAGE_SIZE);
  modelLimit = $state(PAGE_SIZE);
  /** Runs chosen for the overlay chart (2 to 4). */
  selected = $state<string[]>([]);
  undo = $state.raw<Undo | null>(null);
  /** The run being recorded now (its id), if any: the Library's recorder knows. */
  get recordingId(): string | null {
    return null;
  }
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #pageTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<void> | null = null;
  #again = false;

  get query(): string {
    return this.#query;
  }
  set query(q: string) {
    this.#query = q;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.applySearch(), SEARCH_DELAY_MS);
  }

  /** Shows the search as typed now (the lists also do it by themselves after a pause). */
  applySearch(): void {
    clearTimeout(this.#searchTimer);
    if (this.search === this.#query) return;
    this.search = this.#query;
    this.#firstPage();
  }

  /** Back to the first page: its first items now, the rest of the page a few at a time, one task
   *  each. */
  #firstPage(): void {
    this.runLimit = FIRST_PAINT;
    this.modelLimit = FIRST_PAINT;
    clearTimeout(this.#pageTimer);
    const grow = () => {
      this.runLimit = Math.min(Math.max(this.runLimit, PAGE_SIZE), this.runLimit + FIRST_PAINT);
      this.modelLimit = Math.min(
        Math.max(this.modelLimit, PAGE_SIZE),
        this.modelLimit + FIRST_PAINT,
      );
      if (this.runLimit < PAGE_SIZE || this.modelLimit < PAGE_SIZE)
        this.#pageTimer = setTimeout(grow, 0);
    };
    this.#pageTimer = setTimeout(grow, 0);
  }

  get sort(): SortKey {
    return this.#sort;
  }
  set sort(key: SortKey) {
    this.#sort = key;
    this.#firstPage();
  }

  /** Sorted once per change of the list or the order; a search filters these (indexed text). */
  readonly sortedRuns = $derived(sortBy(this.runs, this.#sort, runScore));
  readonly sortedModels = $derived(sortBy(this.models, this.#sort, modelScore));
  readonly filteredRuns = $derived(runIndex.filter(this.sortedRuns, this.search.trim()));
  readonly filteredModels = $derived(modelIndex.filter(this.sortedModels, this.search.trim()));
  /** What the lists show: the first pages of the filtered lists. */
  readonly visibleRuns = $derived(this.filteredRuns.slice(0, this.runLimit));
  readonly visibleModels = $derived(this.filteredModels.slice(0, this.modelLimit));

  showMoreRuns(): void {
    this.runLimit += PAGE_SIZE;
  }

  showMoreModels(): void {
    this.modelLimit += PAGE_SIZE;
  }

  get selectedRuns(): RunRecord[] {
    return this.selected
      .map((id) => this.runs.find((r) => r.id === id))
      .filter((r): r is RunRecord => !!r);
  }

  get interruptedRuns(): RunRecord[] {
    return this.runs.filter((r) => r.status === 'interrupted');
  }

  /** Reads the lists again, in chunks, each record through the file checks (a damaged one is set
   * apart). Calls while one is running make one more pass after it. */
  async refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#again = false;
        await this.#read();
      } while (this.#again);
    })().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #read(): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const runs = await readRuns(store, { pause });
      const models = await readModels(store, { pause });
      this.runs = runs.records;
      this.models = models.records;
      this.damaged = [...runs.damaged, ...models.damaged];
      this.selected = this.selected.filter((id) => runs.records.some((r) => r.id === id));
      // The search's index is built now, in chunks, rather than at the first keystroke.
      await pause();
      await runIndex.index(runs.records, pause);
      await modelIndex.index(models.records, pause);
    } catch (e) {
      this.fail(e);
    }
  }

  /** A damaged record as it is stored, as a JSON file (to look at it, or to keep it). */
  exportDamaged(
    d: DamagedRecord,
    save: (data: BlobPart, name: string, type?: string) => void,
  ): void {
    save(damagedJson(d), `damaged-${d.store === 'runs' ? 'run' : 'model'}.json`);
  }

  /** Deletes a damaged record (with undo, as any delete). */
  async deleteDamaged(d: DamagedRecord): Promise<void> {
    if (typeof d.id !== 'string') {
      await this.guard(async (s) => {
        await s.write([d.store], async (tx) => tx.objectStore(d.store).delete(d.id as string));
        await this.refresh();
      });
      return;
    }
    if (d.store === 'runs') await this.deleteRun(d.id);
    else await this.deleteModel(d.id);
  }

  /** A failure becomes the last error. */
  protected fail(e: unknown): void {
    this.error = errorText(e);
  }

  /** Settles once the store has opened (or failed to open): what comes before waits for it. */
  protected opening: Promise<void> | null = null;

  /** Runs `fn` with the open store (a file dropped while it still opens waits for it); clears the
   *  last error, and a failure becomes it. */
  protected async guard<T>(fn: (store: LabStore) => Promise<T>): Promise<T | undefined> {
    if (!this.store && this.opening) await this.opening;
    const store = this.store;
    if (!store) {
      this.error = this.banner ?? i18n.msg(UNAVAILABLE_MESSAGE);
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
      if (given !== name.trim()) this.notice = t('library.renamed.run', { name: given });
      await this.refresh();
    });
  }

  async renameModel(id: string, name: string): Promise<void> {
    await this.guard(async (s) => {
      const given = await renameModel(s, id, name);
      if (given !== name.trim()) this.notice = t('library.renamed.model', { name: given });
      await this.refresh();
    });
  }

  async deleteRun(id: string): Promise<void> {
    if (id === this.recordingId) {
      this.error = t('library.deleteTraining');
      return;
    }
    await this.guard(async (s) => {
      const gone: DeletedRun | null = await deleteRun(s, id);
      if (gone) {
        this.undo = {
          label: t('library.deleted.run', { name: gone.run.name }),
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
          label: t('library.deleted.model', { name: gone.name }),
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
      this.notice = t('library.restored');
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
      this.error = t('library.compareMax', { max: MAX_OVERLAY });
    else this.selected = [...this.selected, id];
  }
}
