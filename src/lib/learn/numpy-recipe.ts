// The recipe part of the NumPy export: the recipe as the script replays it (ExportRecipe), its Python
// constants (TASK, COLUMNS, SCALE, ...) and the functions that turn raw CSV cells into X exactly as the
// app does (missing tokens, imputation, one-hot with unknown categories, standardization).
import type { Task } from '../../../workers/core/types.ts';
import { pyFloat, pyList, pyString } from './numpy-literals.ts';

/** One raw CSV column turned into one numeric feature. */
export interface ExportNumericColumn {
  kind: 'numeric';
  /** Header name in the CSV. */
  column: string;
  /** Value used when the cell is missing or not a number. */
  impute: number;
}

/** One raw CSV column turned into one feature per slot (one-hot): the known categories, then extra slots. */
export interface ExportCategoricalColumn {
  kind: 'categorical';
  column: string;
  /** Known categories: a cell equal to categories[j] (after trimming) sets slot j. */
  categories: string[];
  /** Names of the extra slots after the categories, e.g. "(missing)", "(other)" (feature names only). */
  extra: string[];
  /** Slot a missing cell sets (an imputed category, or a "(missing)" slot); null gives all zeros. */
  missingIndex: number | null;
  /** Slot an unknown category sets ("(other)"); null: unknown gives all zeros. */
  otherIndex: number | null;
}

/** A yes/no column turned into one 0/1 feature. Values are compared case-insensitively after trimming. */
export interface ExportBooleanColumn {
  kind: 'boolean';
  column: string;
  trueValues: string[];
  falseValues: string[];
  /** 0/1 (or a mean) used when the cell is missing or unrecognised. */
  impute: number;
}

export type ExportColumn = ExportNumericColumn | ExportCategoricalColumn | ExportBooleanColumn;

/** The recipe as the script replays it: columns in feature order, then per-feature standardization. */
export interface ExportRecipe {
  task: Task;
  targetName: string;
  /** Class labels in the order of the output rows (binary: [negative, positive]); [] for regression. */
  classLabels: string[];
  columns: ExportColumn[];
  /** Per feature (n_x entries): x = (x - mean) / std, or null to leave the feature as is. */
  scale: Array<{ mean: number; std: number } | null>;
  /** Regression: predictions are mapped back with y * std + mean. */
  targetScale: { mean: number; std: number } | null;
  /** Field delimiter of the CSV the script reads (',' by default). */
  delimiter: string;
  /** Whether numbers use a decimal comma ("3,5"). */
  decimalComma: boolean;
  /** Cell texts that mean "missing", compared case-insensitively after trimming. */
  missingTokens: string[];
}

export const DEFAULT_MISSING_TOKENS = ['', 'na', 'n/a', 'nan', 'null', '?', '-', '#n/a'];

/** Number of features a column produces. */
export function columnWidth(c: ExportColumn): number {
  return c.kind === 'categorical' ? c.categories.length + c.extra.length : 1;
}

/** Feature names in the app's style (one-hot columns named `column=value`). */
export function exportFeatureNames(recipe: ExportRecipe): string[] {
  return recipe.columns.flatMap((c) =>
    c.kind === 'categorical'
      ? [...c.categories, ...c.extra].map((v) => `${c.column}=${v}`)
      : [c.column],
  );
}

function columnLiteral(c: ExportColumn): string {
  switch (c.kind) {
    case 'numeric':
      return `{"kind": "numeric", "column": ${pyString(c.column)}, "impute": ${pyFloat(c.impute)}}`;
    case 'boolean':
      return `{"kind": "boolean", "column": ${pyString(c.column)}, "true": ${pyList(c.trueValues.map((v) => pyString(v.trim().toLowerCase())))}, "false": ${pyList(c.falseValues.map((v) => pyString(v.trim().toLowerCase())))}, "impute": ${pyFloat(c.impute)}}`;
    case 'categorical':
      return `{"kind": "categorical", "column": ${pyString(c.column)}, "slots": {${c.categories.map((v, j) => `${pyString(v)}: ${j}`).join(', ')}}, "width": ${columnWidth(c)}, "missing": ${c.missingIndex === null ? 'None' : String(c.missingIndex)}, "other": ${c.otherIndex === null ? 'None' : String(c.otherIndex)}}`;
  }
}

/** The recipe as Python constants: task, target, classes, CSV dialect, missing tokens, columns, scale. */
export function recipeConstantLines(recipe: ExportRecipe): string[] {
  const o: string[] = [];
  o.push(`TASK = ${pyString(recipe.task)}`);
  o.push(`TARGET = ${pyString(recipe.targetName)}`);
  o.push(`CLASS_LABELS = ${pyList(recipe.classLabels.map(pyString))}`);
  o.push(`DELIMITER = ${pyString(recipe.delimiter)}`);
  o.push(`DECIMAL_COMMA = ${recipe.decimalComma ? 'True' : 'False'}`);
  o.push(
    `MISSING = set(${pyList(recipe.missingTokens.map((t) => pyString(t.trim().toLowerCase())))})`,
  );
  o.push(
    `TARGET_SCALE = ${recipe.targetScale ? `(${pyFloat(recipe.targetScale.mean)}, ${pyFloat(recipe.targetScale.std)})  # regression: y = y_std * std + mean` : 'None'}`,
  );
  o.push('');
  o.push('# The recipe, column by column, in the order of the features (rows of X).');
  o.push('COLUMNS = [');
  for (const c of recipe.columns) o.push(`    ${columnLiteral(c)},`);
  o.push(']');
  o.push(
    '# Standardization with the training split statistics: x = (x - mean) / std, per feature (None: as is).',
  );
  o.push('SCALE = [');
  for (const s of recipe.scale)
    o.push(`    ${s ? `(${pyFloat(s.mean)}, ${pyFloat(s.std)})` : 'None'},`);
  o.push(']');
  return o;
}

/** The functions that read a CSV and turn each row into the n_x features, as the app does. */
export function recipeReplayLines(): string[] {
  const o: string[] = [];
  o.push(String.raw`NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")`);
  o.push('');
  o.push('');
  o.push('def is_missing(cell):');
  o.push('    return cell is None or cell.strip().lower() in MISSING');
  o.push('');
  o.push('');
  o.push('def to_number(cell):');
  o.push('    """The cell as a finite float, or None when it is missing or not a number."""');
  o.push('    if is_missing(cell):');
  o.push('        return None');
  o.push('    s = cell.strip()');
  o.push('    if DECIMAL_COMMA:');
  o.push('        s = s.replace(",", ".")');
  o.push('    if not NUMBER.match(s):');
  o.push('        return None');
  o.push('    v = float(s)');
  o.push('    return v if math.isfinite(v) else None');
  o.push('');
  o.push('');
  o.push('def features(row, index):');
  o.push(
    '    """One example: the raw CSV cells turned into the n_x features, exactly as the app does."""',
  );
  o.push('    x = []');
  o.push('    for col in COLUMNS:');
  o.push('        i = index.get(col["column"])');
  o.push(
    '        cell = row[i] if i is not None and i < len(row) else None  # an absent column counts as missing',
  );
  o.push('        if col["kind"] == "numeric":');
  o.push('            v = to_number(cell)');
  o.push('            x.append(col["impute"] if v is None else v)');
  o.push('        elif col["kind"] == "boolean":');
  o.push('            s = "" if cell is None else cell.strip().lower()');
  o.push(
    '            x.append(1.0 if s in col["true"] else 0.0 if s in col["false"] else col["impute"])',
  );
  o.push('        else:');
  o.push('            onehot = [0.0] * col["width"]');
  o.push('            if is_missing(cell):');
  o.push(
    '                slot = col["missing"]  # the imputed category, or the "(missing)" column',
  );
  o.push('            else:');
  o.push(
    '                slot = col["slots"].get(cell.strip(), col["other"])  # an unknown category goes to "(other)"',
  );
  o.push('            if slot is not None:');
  o.push('                onehot[slot] = 1.0');
  o.push('            x.extend(onehot)  # no slot: all zeros');
  o.push('    for j, s in enumerate(SCALE):');
  o.push('        if s is not None:');
  o.push('            x[j] = (x[j] - s[0]) / s[1]');
  o.push('    return x');
  o.push('');
  o.push('');
  o.push('def read_csv(path):');
  o.push('    """X of shape (n_x, m) from a CSV file with a header row."""');
  o.push('    with open(path, newline="", encoding="utf-8-sig") as f:');
  o.push('        reader = csv.reader(f, delimiter=DELIMITER)');
  o.push('        header = next(reader, None)');
  o.push('        if header is None:');
  o.push(
    '            sys.exit(path + " is empty: it needs a header row and at least one row of data.")',
  );
  o.push('        header = [h.strip() for h in header]');
  o.push('        index = {}');
  o.push('        for i, h in enumerate(header):');
  o.push('            index.setdefault(h, i)');
  o.push('        absent = [c["column"] for c in COLUMNS if c["column"] not in index]');
  o.push('        if absent:');
  o.push(
    '            sys.stderr.write("Note: the CSV has no column named " + ", ".join(repr(a) for a in absent) + "; its values are imputed, as the app does.\\n")',
  );
  o.push(
    '        rows = [features(row, index) for row in reader if any(cell.strip() for cell in row)]',
  );
  o.push('    if not rows:');
  o.push('        sys.exit(path + " has a header but no rows of data.")');
  o.push('    return np.array(rows, dtype=np.float64).T');
  return o;
}
