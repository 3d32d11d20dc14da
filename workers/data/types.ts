// Plain data shared by the data worker and the page: parse options, the health report, recipe settings,
// the fitted recipe and problems. No behaviour here; everything goes through Comlink as is.
import type { Task } from '../core/types.ts';
import type { Msg } from '../messages/index.ts';

export type Delimiter = ',' | ';' | '\t';
/** The types a column can have (the lists every select and file check uses). */
export const COLUMN_TYPES = [
  'numeric',
  'categorical',
  'boolean',
  'id',
  'constant',
  'text',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface ParseOptions {
  /** 'auto' (default) tries comma, semicolon and tab on the first rows. */
  delimiter: Delimiter | 'auto';
  /** 'auto' (default): a decimal comma is accepted when the delimiter is ';'. */
  decimalComma: boolean | 'auto';
  /** What to do with rows whose number of fields differs from the header: stop (default) or skip them. */
  raggedRows: 'stop' | 'skip';
  /** Bytes read per step (1 MiB by default). */
  chunkBytes: number;
  /** Fewer data rows than this is a problem ('too-few-rows'); 2 by default. */
  minRows: number;
  /** Missing-value tokens (".", "NA", "?" ...; never the empty cell) that a column reads as values. */
  valueTokens: ValueToken[];
}

/** A missing-value token that one column reads as a value (e.g. "NA" meaning North America). */
export interface ValueToken {
  column: string;
  token: string;
}

export const DEFAULT_PARSE_OPTIONS: ParseOptions = {
  delimiter: 'auto',
  decimalComma: 'auto',
  raggedRows: 'stop',
  chunkBytes: 1 << 20,
  minRows: 2,
  valueTokens: [],
};

export interface ParseProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

/** A problem with the input, in words a student understands; `code` is stable for tests and the UI. */
export interface DataProblem {
  code:
    | 'empty-file'
    | 'header-only'
    | 'too-few-rows'
    | 'ragged-rows'
    | 'binary-file'
    | 'unclosed-quote'
    | 'cancelled'
    | 'no-data'
    | 'no-target'
    | 'one-class'
    | 'too-many-classes'
    | 'target-not-numeric'
    | 'no-features'
    | 'split-too-small'
    | 'bad-settings'
    | 'read-failed'
    | 'too-many-columns'
    | 'too-big'
    | 'out-of-memory';
  /** The message's key, for logs and tests (never shown). */
  message: string;
  /** The problem as a catalogue message: the page shows it in the user's language. A problem made on
   * the page from an error it did not understand (a crashed worker) may have none; then `message`
   * holds that error's own text. */
  msg?: Msg;
  /** Spreadsheet row numbers concerned (the header is row 1), when the problem is about rows. */
  rows?: number[];
}

/** How much one loaded table may hold, so that any file ends in bounded work and memory: a file past a
 * limit is refused with a message saying which limit and what to change (README: Limits). */
export const DATA_LIMITS = {
  /** Columns of a file: wider headers are refused before any row is stored (a health report, a
   * target list and one-hot features per column stay quick to compute and to show). */
  columns: 2000,
  /** Distinct values of a classification target (each is an output unit and a line of the report). */
  classes: 50,
  /** Cells (rows x columns) kept while reading: 8 bytes per number and 2 per category code, so
   * about 500 MB at most in the data worker. */
  cells: 50_000_000,
  /** Numbers in the prepared matrices (features x examples, 4 bytes each, and the trainer keeps its
   * own copy): about 200 MB. */
  featureCells: 50_000_000,
} as const;

export type Result<T> = ({ ok: true } & T) | { ok: false; problem: DataProblem };

export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

export interface ColumnReport {
  index: number;
  name: string;
  /** The header as written in the file when it had to be renamed (empty or duplicate). */
  originalName: string | null;
  inferredType: ColumnType;
  /** Why the type was chosen, one short sentence. */
  typeReason: Msg;
  rows: number;
  missing: number;
  /** Distinct non-missing values; null when there are too many to count exactly. */
  unique: number | null;
  numericCount: number;
  /** Values that are neither missing nor numbers in a column that is mostly numbers (flagged, treated as missing). */
  invalidCount: number;
  invalidSamples: Array<{ row: number; value: string }>;
  allIntegers: boolean;
  min: number;
  max: number;
  mean: number;
  std: number;
  histogram: Histogram | null;
  /** The most frequent values (at most 5), with counts. */
  top: Array<{ value: string; count: number }>;
  /** The distinct values are known (needed to one-hot encode or to use the column as a class target). */
  categoriesKnown: boolean;
  /** The values look like yes/no, true/false or 0/1. */
  booleanLike: boolean;
  /** Cells that look like missing values, as written ('' = empty), most frequent first: read as missing,
   * or as a value when the column keeps that token (`ParseOptions.valueTokens`). */
  missingTokens: MissingToken[];
}

export interface MissingToken {
  token: string;
  count: number;
  asValue: boolean;
}

export interface HealthReport {
  source: string;
  bytes: number;
  encoding: TextEncodingName;
  delimiter: Delimiter;
  decimalComma: boolean;
  rows: number;
  columns: ColumnReport[];
  preview: { header: string[]; rows: string[][] };
  /** Things the user should know about how the file was read (renamed headers, skipped rows, encoding). */
  notices: Msg[];
  /** Spreadsheet row numbers of skipped ragged rows (first 100). */
  skippedRows: number[];
  skippedRowCount: number;
}

export const NUMERIC_IMPUTES = ['mean', 'median'] as const;
export type NumericImpute = (typeof NUMERIC_IMPUTES)[number];
export const CATEGORICAL_IMPUTES = ['most_frequent', 'missing_category'] as const;
export type CategoricalImpute = (typeof CATEGORICAL_IMPUTES)[number];

/** What the user chooses; plain data, versioned with the fitted recipe. */
export interface RecipeSettings {
  target: string | null;
  /** null: inferred from the target column. */
  task: Task | null;
  /** Type overrides, one per column at most. A list, not an object keyed by column name, so a column
   * called "__proto__" or "constructor" is just a name. */
  types: Array<{ column: string; type: ColumnType }>;
  /** Columns the user dropped by hand. */
  dropped: string[];
  dropIdLike: boolean;
  numericImpute: NumericImpute;
  categoricalImpute: CategoricalImpute;
  /** At most this many one-hot columns per categorical column; the rest go to "(other)". */
  oneHotCap: number;
  standardize: boolean;
  split: { train: number; dev: number; test: number };
  stratify: boolean;
  seed: number;
  /** Missing-value tokens read as values in a column (the table is read again with them; recipes
   * written before this existed have none). */
  valueTokens?: ValueToken[];
}

export const DEFAULT_RECIPE_SETTINGS: RecipeSettings = {
  target: null,
  task: null,
  types: [],
  dropped: [],
  dropIdLike: true,
  numericImpute: 'mean',
  categoricalImpute: 'most_frequent',
  oneHotCap: 20,
  standardize: true,
  split: { train: 0.7, dev: 0.15, test: 0.15 },
  stratify: true,
  seed: 42,
  valueTokens: [],
};

export type RecipeColumn =
  | { name: string; kind: 'numeric'; impute: number; mean: number; std: number }
  | {
      name: string;
      kind: 'categorical';
      /** One feature per category, in this order; then "(missing)" and "(other)" when present. */
      categories: string[];
      /** The category a missing value takes (most frequent), or null when missing values get their own column. */
      imputeCategory: string | null;
      missingColumn: boolean;
      otherColumn: boolean;
    }
  | { name: string; kind: 'boolean'; positive: string; negative: string; impute: 0 | 1 };

/** Why a column is not a feature: a code the page words in the user's language. */
export const DROP_REASONS = [
  'dropped-by-you',
  'all-missing',
  'constant',
  'free-text',
  'id-like',
  'no-numbers',
  'no-training-numbers',
  'same-training-value',
  'too-many-categories',
  'no-training-values',
  'one-training-value',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** A fitted recipe: everything needed to turn raw rows into the model's features. Travels with the model. */
export interface Recipe {
  version: 1;
  settings: RecipeSettings;
  target: string;
  task: Task;
  classLabels: string[];
  targetScale: { mean: number; std: number } | null;
  decimalComma: boolean;
  /** The columns that become features, in order. */
  columns: RecipeColumn[];
  /** Columns left out and why (shown in the UI): a `DropReason` (recipes stored before the codes
   * hold an English phrase instead). */
  droppedColumns: Array<{ name: string; reason: DropReason | string }>;
  featureNames: string[];
}

export interface PrepareSummary {
  features: number;
  train: number;
  dev: number;
  test: number;
  droppedRows: number;
  classCounts: Array<{ label: string; count: number }>;
}

export type SyntheticKind = 'circle' | 'xor' | 'gaussians' | 'spiral' | 'moons';
export interface SyntheticOptions {
  n: number;
  noise: number;
  seed: number;
  /** Number of clusters or spiral arms (gaussians, spiral). */
  classes: number;
}

/** The generated two-feature sets, as the data area lists them. */
export const SYNTHETIC_KINDS: Array<{ kind: SyntheticKind; label: string; multiclass: boolean }> = [
  { kind: 'moons', label: 'Two moons', multiclass: false },
  { kind: 'circle', label: 'Circle', multiclass: false },
  { kind: 'xor', label: 'XOR', multiclass: false },
  { kind: 'gaussians', label: 'Gaussian clusters', multiclass: true },
  { kind: 'spiral', label: 'Spiral', multiclass: true },
];

export const DEFAULT_SYNTHETIC: SyntheticOptions = { n: 400, noise: 0.1, seed: 1, classes: 3 };

// ---- what the page shows of the settings (computed by the data worker) ----

/** A warning's one-click fix. */
export type Fix =
  | { kind: 'drop-column'; column: string }
  | { kind: 'standardize' }
  | { kind: 'stratify' }
  | { kind: 'drop-missing-target' };

export interface DataWarning {
  id: string;
  kind:
    | 'constant'
    | 'all-missing'
    | 'id-like'
    | 'high-cardinality'
    | 'missing-target'
    | 'class-imbalance'
    | 'unscaled'
    | 'not-numbers';
  column: string | null;
  message: Msg;
  fixLabel: Msg;
  fix: Fix;
  /** The fix is already in effect. */
  fixed: boolean;
}

/** The loaded table seen through the current settings: its warnings, the type the recipe uses for
 * each column (the user's choice, else the inferred one) and the task the target leads to. */
export interface RecipeView {
  warnings: DataWarning[];
  types: Record<string, ColumnType>;
  /** Null without a target. */
  inferredTask: Task | null;
}
