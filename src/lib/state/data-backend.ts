// What the data session (dataset.svelte.ts) needs from the data worker, and the words it uses for the
// data's state and source: the worker bridge implements it in the app, the worker's API in tests.
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { TableSample } from '../../../workers/data/samples.ts';
import type {
  Fix,
  HealthReport,
  ParseOptions,
  ParseProgress,
  PrepareSummary,
  Recipe,
  RecipeSettings,
  RecipeView,
  Result,
  SyntheticKind,
  SyntheticOptions,
  ValueToken,
} from '../../../workers/data/types.ts';

export type Loaded = Result<{ report: HealthReport }>;
export type Prepared = Result<{
  recipe: Recipe;
  dataset: PreparedDataset;
  summary: PrepareSummary;
}>;

/** What the session needs from the data worker (the worker bridge in the app, the API itself in tests). */
export interface DataBackend {
  loadFile(
    file: Blob,
    name: string,
    options: Partial<ParseOptions>,
    onProgress: (p: ParseProgress) => void,
  ): Promise<Loaded>;
  reread(options: Partial<ParseOptions>, onProgress: (p: ParseProgress) => void): Promise<Loaded>;
  loadUrl(url: string, name: string): Promise<Loaded>;
  loadSynthetic(kind: SyntheticKind, options: Partial<SyntheticOptions>): Promise<Loaded> | Loaded;
  cancel(): Promise<void> | void;
  prepare(settings: RecipeSettings): Promise<Prepared> | Prepared;
  /** What the settings mean for the loaded table (`summary`: the last prepare's, for its target). */
  describe(
    settings: RecipeSettings,
    summary: PrepareSummary | null,
  ): Promise<RecipeView> | RecipeView;
  /** The settings after a warning's fix. */
  applyFix(settings: RecipeSettings, fix: Fix): Promise<RecipeSettings> | RecipeSettings;
  /** Reads a bundled sample's bytes (to store them with a run); fetch() when absent. */
  sampleBytes?(url: string): Promise<Blob>;
}

export type DatasetStatus = 'empty' | 'loading' | 'ready' | 'preparing' | 'prepared' | 'error';

/** Where the data came from, shown with its licence for bundled samples. */
export type DataSource =
  | { kind: 'file'; name: string }
  | { kind: 'sample'; sample: TableSample }
  | { kind: 'synthetic'; synthetic: SyntheticKind; options: Partial<SyntheticOptions> };

/** The same (column, token) pairs, in any order. */
export function sameTokens(a: readonly ValueToken[], b: readonly ValueToken[]): boolean {
  const key = (l: readonly ValueToken[]) =>
    l
      .map((v) => JSON.stringify([v.column, v.token]))
      .sort()
      .join('\n');
  return key(a) === key(b);
}
