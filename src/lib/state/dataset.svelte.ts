// DatasetSession: the page's view of the data pipeline. Holds the health report, the recipe settings and
// the prepared dataset as $state; every change of target or recipe prepares the data again in the worker,
// which also says what the settings mean (warnings, column types, task).
// Testable without a DOM: the worker is behind the DataBackend interface.
import type { Task } from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { TABLE_SAMPLES } from '../../../workers/data/samples.ts';
import {
  DEFAULT_PARSE_OPTIONS,
  DEFAULT_RECIPE_SETTINGS,
  type ColumnType,
  type DataProblem,
  type DataWarning,
  type HealthReport,
  type ParseOptions,
  type ParseProgress,
  type PrepareSummary,
  type Recipe,
  type RecipeSettings,
  type RecipeView,
  type SyntheticKind,
  type SyntheticOptions,
  type ValueToken,
} from '../../../workers/data/types.ts';
import type { DatasetRecord } from '../../../workers/store/schema.ts';
import type { NewDataset } from '../../../workers/store/datasets.ts';
import type { DataBackend, DataSource, DatasetStatus, Loaded, Prepared } from './data-backend.ts';
import { sameTokens } from './data-backend.ts';
import { storableData, storedLoad } from './dataset-store.ts';
import { errorProblem } from './data-problem.ts';
import { t } from '../i18n/i18n.svelte.ts';

const NO_VIEW: RecipeView = { warnings: [], types: {}, inferredTask: null };

function freshSettings(): RecipeSettings {
  return structuredClone(DEFAULT_RECIPE_SETTINGS);
}

export class DatasetSession {
  status = $state<DatasetStatus>('empty');
  /** Bytes read so far while a file loads. */
  progress = $state.raw<ParseProgress | null>(null);
  report = $state.raw<HealthReport | null>(null);
  source = $state.raw<DataSource | null>(null);
  /** The raw File of the last file load (kept as is, never copied into a string), or null for samples. */
  file = $state.raw<(Blob & { name?: string }) | null>(null);
  /** A problem reading the data (shown in role="alert"); the previous data, if any, stays loaded. */
  loadProblem = $state.raw<DataProblem | null>(null);
  /** A problem preparing the data with the current target and recipe. */
  prepareProblem = $state.raw<DataProblem | null>(null);
  parseOptions = $state<ParseOptions>({ ...DEFAULT_PARSE_OPTIONS });
  settings = $state<RecipeSettings>(freshSettings());
  /** The design matrices for the engine (X is features x examples), or null. */
  prepared = $state.raw<PreparedDataset | null>(null);
  /** The fitted recipe that produced `prepared`: store it with a model to predict on raw rows. */
  recipe = $state.raw<Recipe | null>(null);
  summary = $state.raw<PrepareSummary | null>(null);
  /** Increases each time a new prepared dataset is published. */
  version = $state(0);
  /** What the current settings mean for the table, as the worker last said. */
  view = $state.raw<RecipeView>(NO_VIEW);
  /** The stored dataset (its SHA-256) the loaded data is, once known: set when the library stores it
   *  or it is loaded back from storage; null after any other load. */
  storedHash = $state<string | null>(null);

  private loadToken = 0;
  private prepareToken = 0;
  private viewToken = 0;

  constructor(
    private readonly backend: DataBackend,
    /** Base URL for bundled samples (document.baseURI in the app). */
    private readonly baseUrl: string = typeof document !== 'undefined'
      ? document.baseURI
      : 'http://localhost/',
  ) {}

  get warnings(): DataWarning[] {
    return this.view.warnings;
  }
  get task(): Task | null {
    return this.prepared ? this.prepared.task : null;
  }
  /** The task the current settings lead to (before preparing), null without a target. */
  get inferredTask(): Task | null {
    return this.view.inferredTask;
  }
  get featureNames(): string[] {
    return this.prepared ? this.prepared.featureNames : [];
  }
  get classLabels(): string[] {
    return this.prepared ? this.prepared.classLabels : [];
  }
  get targetName(): string | null {
    return this.settings.target;
  }
  get columnNames(): string[] {
    return this.report ? this.report.columns.map((c) => c.name) : [];
  }
  get busy(): boolean {
    return this.status === 'loading' || this.status === 'preparing';
  }
  /** "4 features x 105 training examples", for people. */
  get shapeText(): string {
    const s = this.summary;
    if (!s || !this.prepared) return '';
    return t('data.recipe.shape', { features: s.features, train: s.train });
  }
  /** Loading progress as a fraction 0..1 (null when not loading a file). */
  get progressFraction(): number | null {
    const p = this.progress;
    return p && p.totalBytes > 0 ? p.bytesRead / p.totalBytes : null;
  }

  /** The type the recipe uses for a column (the user's choice, else the inferred one). */
  typeOf(column: string): ColumnType | null {
    return this.view.types[column] ?? null;
  }

  // ---- loading ----

  /** Reads a CSV file the user dropped or picked. */
  async loadFile(file: Blob & { name?: string }): Promise<void> {
    const name = file.name ?? 'data.csv';
    this.parseOptions = { ...DEFAULT_PARSE_OPTIONS };
    this.file = file;
    await this.runLoad({ kind: 'file', name }, null, (onProgress) =>
      this.backend.loadFile(file, name, $state.snapshot(this.parseOptions), onProgress),
    );
  }

  /** Reads the last file again with other reading options (delimiter, decimal comma, ragged rows). */
  async reread(options: Partial<ParseOptions>): Promise<void> {
    if (!this.source || this.source.kind !== 'file') return;
    this.parseOptions = { ...this.parseOptions, ...options };
    const keepTarget = this.settings.target;
    await this.runLoad(this.source, keepTarget, (onProgress) =>
      this.backend.reread($state.snapshot(this.parseOptions), onProgress),
    );
  }

  /** Reads a missing-value token of one column (".", "NA", "?" ...) as a value, or as missing again:
   * the table is read again with every other choice kept, and the data prepared again. */
  readTokenAs(column: string, token: string, asValue: boolean): Promise<void> {
    const list = (this.settings.valueTokens ?? []).filter(
      (v) => v.column !== column || v.token !== token,
    );
    if (asValue && token !== '') list.push({ column, token });
    return this.update({ valueTokens: list });
  }

  /** The table read again (a file or a sample) with the settings' value tokens, every setting kept. */
  private async readAgainKeeping(): Promise<void> {
    const source = this.source;
    const tokens = $state.snapshot(this.settings.valueTokens ?? []) as ValueToken[];
    if (!source || source.kind === 'synthetic') {
      this.settings = { ...(this.settings as RecipeSettings), valueTokens: [] };
      return;
    }
    this.parseOptions = { ...this.parseOptions, valueTokens: tokens };
    const kept = $state.snapshot(this.settings) as RecipeSettings;
    await this.runLoad(source, kept, (onProgress) =>
      this.backend.reread($state.snapshot(this.parseOptions), onProgress),
    );
  }

  /** Leaves out rows whose number of values differs from the header, and reads the file again. */
  skipBadRows(): Promise<void> {
    return this.reread({ raggedRows: 'skip' });
  }

  async loadSample(id: string): Promise<void> {
    const sample = TABLE_SAMPLES.find((s) => s.id === id);
    if (!sample) return;
    this.file = null;
    this.parseOptions = { ...DEFAULT_PARSE_OPTIONS };
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off URL string, not state
    const url = new URL(sample.file, this.baseUrl).href;
    await this.runLoad({ kind: 'sample', sample }, sample.target, () =>
      this.backend.loadUrl(url, sample.title),
    );
  }

  async loadSynthetic(kind: SyntheticKind, options: Partial<SyntheticOptions> = {}): Promise<void> {
    this.file = null;
    this.parseOptions = { ...DEFAULT_PARSE_OPTIONS };
    await this.runLoad(
      { kind: 'synthetic', synthetic: kind, options: { ...options } },
      'label',
      async () => this.backend.loadSynthetic(kind, options),
    );
  }

  // ---- stored datasets (the library's) ----

  /** What to store of the loaded data (see dataset-store.ts) and the load it belongs to. */
  async storable(): Promise<{ dataset: NewDataset; load: number } | null> {
    const load = this.loadToken;
    const read = this.backend.sampleBytes?.bind(this.backend);
    const dataset = await storableData(this, this.baseUrl, read);
    return dataset && load === this.loadToken ? { dataset, load } : null;
  }

  /** The library stored the data of load `load` under `hash` (ignored if other data came since). */
  markStored(hash: string, load: number): void {
    if (load === this.loadToken) this.storedHash = hash;
  }

  /** Loads a stored dataset with these recipe settings (a run's); resolves once it is prepared, or
   *  with the problem that stopped it (loadProblem / prepareProblem, as for any load). */
  async loadStored(record: DatasetRecord, settings: RecipeSettings | null): Promise<boolean> {
    const how = await storedLoad(record);
    this.parseOptions = how.parseOptions;
    this.file = how.file;
    const file = how.file ?? record.file;
    await this.runLoad(
      how.source,
      how.target,
      (onProgress) =>
        how.read === 'synthetic' && how.source.kind === 'synthetic'
          ? Promise.resolve(this.backend.loadSynthetic(how.source.synthetic, how.source.options))
          : this.backend.loadFile(
              file,
              record.name,
              $state.snapshot(this.parseOptions),
              onProgress,
            ),
      settings,
    );
    const ok = this.status === 'prepared' && this.prepared !== null;
    if (ok) this.storedHash = record.hash;
    return ok;
  }

  /** Stops reading a file. */
  async cancel(): Promise<void> {
    await this.backend.cancel();
  }

  /** Loads through `call`; then the settings are fresh with `keep` as the target, or `keep` itself
   * (a re-read that changes no column), the target dropped when the table has no such column. */
  private async runLoad(
    source: DataSource,
    keep: string | null | RecipeSettings,
    call: (onProgress: (p: ParseProgress) => void) => Promise<Loaded>,
    /** Recipe settings to use instead of fresh ones (a stored run's), if their target is a column. */
    settings: RecipeSettings | null = null,
  ): Promise<void> {
    const token = ++this.loadToken;
    const before = this.status;
    this.storedHash = null;
    this.status = 'loading';
    this.loadProblem = null;
    this.progress = null;
    let res: Loaded;
    try {
      res = await call((p) => {
        if (token === this.loadToken) this.progress = p;
      });
    } catch (e) {
      res = { ok: false, problem: errorProblem(e) };
    }
    if (token !== this.loadToken) return;
    this.progress = null;
    if (!res.ok) {
      this.loadProblem = res.problem;
      if (res.problem.code === 'cancelled' && this.report) {
        // Keep what was loaded before.
        this.status = before === 'loading' ? (this.prepared ? 'prepared' : 'ready') : before;
        return;
      }
      this.source = source;
      this.report = null;
      this.view = NO_VIEW;
      this.prepared = null;
      this.recipe = null;
      this.summary = null;
      this.prepareProblem = null;
      this.status = 'error';
      return;
    }
    this.report = res.report;
    this.source = source;
    const has = (c: string | null) => c !== null && res.report.columns.some((x) => x.name === c);
    const base: RecipeSettings =
      settings && has(settings.target)
        ? { ...structuredClone(settings), valueTokens: [...(settings.valueTokens ?? [])] }
        : keep !== null && typeof keep === 'object'
          ? keep
          : { ...freshSettings(), target: keep, valueTokens: [...this.parseOptions.valueTokens] };
    this.settings = { ...base, target: has(base.target) ? base.target : null };
    this.prepared = null;
    this.recipe = null;
    this.summary = null;
    this.prepareProblem = null;
    this.status = 'ready';
    await this.describe();
    if (this.settings.target !== null) await this.prepare();
  }

  // ---- recipe ----

  /** Chooses the column to predict (the task is inferred again) and prepares the data. */
  setTarget(column: string | null): Promise<void> {
    return this.update({ target: column, task: null });
  }
  setTask(task: Task | null): Promise<void> {
    return this.update({ task });
  }
  setType(column: string, type: ColumnType | null): Promise<void> {
    const types = this.settings.types.filter((t) => t.column !== column);
    if (type !== null) types.push({ column, type });
    return this.update({ types });
  }
  setDropped(column: string, dropped: boolean): Promise<void> {
    const list = this.settings.dropped.filter((c) => c !== column);
    if (dropped) list.push(column);
    return this.update({ dropped: list });
  }
  async fix(warning: DataWarning): Promise<void> {
    const settings = $state.snapshot(this.settings) as RecipeSettings;
    await this.update(await this.backend.applyFix(settings, warning.fix));
  }
  /** Changes recipe settings and prepares the data again (when a target is chosen). */
  async update(patch: Partial<RecipeSettings>): Promise<void> {
    this.settings = { ...(this.settings as RecipeSettings), ...patch };
    if (patch.valueTokens && !sameTokens(patch.valueTokens, this.parseOptions.valueTokens))
      return this.readAgainKeeping();
    await this.describe();
    if (this.settings.target === null) {
      this.prepared = null;
      this.recipe = null;
      this.summary = null;
      this.prepareProblem = null;
      if (this.report) this.status = 'ready';
      return;
    }
    await this.prepare();
  }

  /** Fits the recipe and builds the matrices; the newest call wins. */
  async prepare(): Promise<void> {
    if (!this.report || this.settings.target === null) return;
    const token = ++this.prepareToken;
    this.status = 'preparing';
    let res: Prepared;
    try {
      res = await this.backend.prepare($state.snapshot(this.settings) as RecipeSettings);
    } catch (e) {
      res = { ok: false, problem: errorProblem(e) };
    }
    if (token !== this.prepareToken) return;
    if (!res.ok) {
      this.prepareProblem = res.problem;
      this.prepared = null;
      this.recipe = null;
      this.summary = null;
      this.status = 'ready';
      return;
    }
    this.prepareProblem = null;
    this.recipe = res.recipe;
    this.summary = res.summary;
    this.prepared = res.dataset;
    this.version++;
    this.status = 'prepared';
    // The class counts of this prepare make the imbalance warning exact.
    await this.describe();
  }

  /** Asks the worker what the settings mean for the loaded table; the newest answer wins. */
  private async describe(): Promise<void> {
    const token = ++this.viewToken;
    if (!this.report) {
      this.view = NO_VIEW;
      return;
    }
    const summary =
      this.summary && this.recipe?.target === this.settings.target ? this.summary : null;
    try {
      const view = await this.backend.describe(
        $state.snapshot(this.settings) as RecipeSettings,
        summary,
      );
      if (token === this.viewToken) this.view = view;
    } catch {
      // A failing worker shows where it matters (loading, preparing); the last view stays.
    }
  }
}
