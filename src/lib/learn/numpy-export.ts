// The NumPy export: a self-contained Python 3 script (numpy + the standard library only) holding the
// trained weights and the preprocessing recipe, written in the seed notes' style (np.dot,
// np.sum(..., axis=1, keepdims=True)). It reads a CSV with Python's csv module, replays the recipe
// exactly (missing tokens, imputation, one-hot with unknown categories, standardization) and prints
// the app's predictions as CSV.
import { LEAKY_RELU_SLOPE } from '../../../workers/core/types.ts';
import type {
  Activation,
  OutputActivation,
  SerializedNetwork,
  Task,
} from '../../../workers/core/types.ts';

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

/** Checks that recipe and network agree; throws an Error naming the mismatch. */
export function validateExport(net: SerializedNetwork, recipe: ExportRecipe): void {
  const nx = recipe.columns.reduce((s, c) => s + columnWidth(c), 0);
  if (nx !== net.spec.inputs)
    throw new Error(
      `The recipe makes ${nx} features but the network expects ${net.spec.inputs} inputs; retrain the model after changing the recipe.`,
    );
  if (recipe.scale.length !== nx)
    throw new Error(`The recipe scales ${recipe.scale.length} features but makes ${nx}.`);
  const sizes = [net.spec.inputs, ...net.spec.hidden.map((h) => h.units), net.spec.outputs];
  if (net.params.length !== sizes.length - 1)
    throw new Error(
      `The network has ${net.params.length} parameter layers but its spec has ${sizes.length - 1}.`,
    );
  net.params.forEach((p, i) => {
    if (p.W.length !== sizes[i + 1] * sizes[i])
      throw new Error(
        `W[${i + 1}] has ${p.W.length} values but should be ${sizes[i + 1]} x ${sizes[i]}.`,
      );
    if (p.b.length !== sizes[i + 1])
      throw new Error(`b[${i + 1}] has ${p.b.length} values but should be ${sizes[i + 1]} x 1.`);
  });
  if (recipe.task !== 'regression') {
    const expected = recipe.task === 'binary' ? 1 : recipe.classLabels.length;
    if (recipe.task === 'binary' && recipe.classLabels.length !== 2)
      throw new Error(`A binary model needs 2 class labels, not ${recipe.classLabels.length}.`);
    if (net.spec.outputs !== expected)
      throw new Error(
        `The network has ${net.spec.outputs} outputs but the task needs ${expected}.`,
      );
  }
}

/** A finite JS number as a Python float literal (shortest round-trip digits). */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x))
    throw new Error(
      `Cannot export the value ${x}: the model holds a number that is not finite. Retrain it first.`,
    );
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A JS string as a Python string literal (JSON string escapes are valid Python escapes). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

function pyMatrix(values: number[], rows: number, cols: number, indent: string): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < cols; c++) row.push(pyFloat(values[r * cols + c]));
    lines.push(`${indent}    [${row.join(', ')}],`);
  }
  return `np.array([\n${lines.join('\n')}\n${indent}])`;
}

function pyList(items: string[]): string {
  return `[${items.join(', ')}]`;
}

function activationCall(act: Activation | OutputActivation, z: string): string {
  switch (act) {
    case 'sigmoid':
      return `sigmoid(${z})`;
    case 'tanh':
      return `np.tanh(${z})`;
    case 'relu':
      return `relu(${z})`;
    case 'leaky_relu':
      return `leaky_relu(${z})`;
    case 'linear':
      return z;
    case 'softmax':
      return `softmax(${z})`;
  }
}

/** g'(Z[l]) in numpy, from the cached Z[l] and A[l] (notes' forms). */
function derivativeExpr(act: Activation, l: number): string {
  switch (act) {
    case 'sigmoid':
      return `A${l} * (1 - A${l})`;
    case 'tanh':
      return `(1 - np.power(A${l}, 2))`;
    case 'relu':
      return `(Z${l} > 0)`;
    case 'leaky_relu':
      return `np.where(Z${l} > 0, 1.0, ${pyFloat(LEAKY_RELU_SLOPE)})`;
    case 'linear':
      return '1.0';
  }
}

/** The backward function: the notes' vectorized backpropagation with this network's layers. */
function backwardLines(net: SerializedNetwork): string[] {
  const L = net.params.length;
  const o: string[] = [];
  o.push('def backward(X, Y, lambd=0.0):');
  o.push(
    '    """One pass of backpropagation in the notes\' notation (no dropout), for study: returns the cost J',
  );
  o.push(
    '    and the gradients {"dW1": ..., "db1": ...}. X is (n_x, m) after the recipe (see features()); Y is',
  );
  o.push(
    '    (n_y, m) as the app encodes it: one-hot rows, one 0/1 row, or the standardized target."""',
  );
  o.push('    m = X.shape[1]');
  o.push('    A0 = X');
  for (let l = 1; l <= L; l++) {
    const act: Activation | OutputActivation =
      l === L ? net.spec.output : net.spec.hidden[l - 1].activation;
    o.push(`    Z${l} = np.dot(W${l}, A${l - 1}) + b${l}`);
    o.push(`    A${l} = ${activationCall(act, `Z${l}`)}`);
  }
  switch (net.spec.output) {
    case 'sigmoid':
      o.push(
        '    # J = -1/m sum(Y log A + (1 - Y) log(1 - A)), written with the logits: log(1 + e^Z) - Y Z',
      );
      o.push(`    cost = 1 / m * np.sum(np.logaddexp(0, Z${L}) - Y * Z${L})`);
      break;
    case 'softmax':
      o.push('    # J = -1/m sum(Y log A), with log A = Z - max - log(sum(exp(Z - max)))');
      o.push(`    Zs = Z${L} - np.max(Z${L}, axis=0, keepdims=True)`);
      o.push(
        '    cost = -1 / m * np.sum(Y * (Zs - np.log(np.sum(np.exp(Zs), axis=0, keepdims=True))))',
      );
      break;
    case 'linear':
      o.push(`    cost = 1 / (2 * m) * np.sum(np.square(A${L} - Y))`);
      break;
  }
  o.push(
    `    cost = cost + lambd / (2 * m) * (${Array.from({ length: L }, (_, i) => `np.sum(np.square(W${i + 1}))`).join(' + ')})`,
  );
  o.push(`    dZ${L} = A${L} - Y`);
  for (let l = L; l >= 1; l--) {
    o.push(`    dW${l} = 1 / m * np.dot(dZ${l}, A${l - 1}.T) + lambd / m * W${l}`);
    o.push(`    db${l} = 1 / m * np.sum(dZ${l}, axis=1, keepdims=True)`);
    if (l > 1) {
      o.push(`    dA${l - 1} = np.dot(W${l}.T, dZ${l})`);
      o.push(
        `    dZ${l - 1} = dA${l - 1} * ${derivativeExpr(net.spec.hidden[l - 2].activation, l - 1)}`,
      );
    }
  }
  o.push(
    `    return cost, {${Array.from({ length: L }, (_, i) => `"dW${i + 1}": dW${i + 1}, "db${i + 1}": db${i + 1}`).join(', ')}}`,
  );
  return o;
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

export interface NumpyExportOptions {
  /** A title for the docstring (the model's name); shown as text only. */
  title?: string;
  /** ISO date for the docstring. */
  date?: string;
}

/** The whole Python script. Throws (naming the problem) when network and recipe do not fit together. */
export function numpyScript(
  net: SerializedNetwork,
  recipe: ExportRecipe,
  opts: NumpyExportOptions = {},
): string {
  validateExport(net, recipe);
  const sizes = [net.spec.inputs, ...net.spec.hidden.map((h) => h.units), net.spec.outputs];
  const L = sizes.length - 1;
  const title = (opts.title ?? 'Backprop Lab model').replace(/["\\\r\n]/g, ' ');
  const out: string[] = [];
  out.push('#!/usr/bin/env python3');
  out.push('# -*- coding: utf-8 -*-');
  out.push(`"""${title}, exported from Backprop Lab${opts.date ? ` on ${opts.date}` : ''}.`);
  out.push('');
  out.push(
    `A ${sizes.join('-')} network (${recipe.task}) with its trained weights and its preprocessing recipe.`,
  );
  out.push('Needs only Python 3 and numpy. Usage:');
  out.push('');
  out.push('    python3 model.py data.csv            # predictions to the screen, as CSV');
  out.push('    python3 model.py data.csv out.csv    # predictions to a file');
  out.push('');
  out.push(
    'Notation of the course: X is (n_x, m), one column per example; W[l] is (n_l, n_{l-1}).',
  );
  out.push(
    'forward(X) is forward propagation; backward(X, Y) one pass of backpropagation, to study or to',
  );
  out.push('continue training with W = W - alpha * dW. The CSV is read as UTF-8.');
  out.push('"""');
  out.push('import csv');
  out.push('import math');
  out.push('import re');
  out.push('import sys');
  out.push('');
  out.push('import numpy as np');
  out.push('');
  out.push(`TASK = ${pyString(recipe.task)}`);
  out.push(`TARGET = ${pyString(recipe.targetName)}`);
  out.push(`CLASS_LABELS = ${pyList(recipe.classLabels.map(pyString))}`);
  out.push(`DELIMITER = ${pyString(recipe.delimiter)}`);
  out.push(`DECIMAL_COMMA = ${recipe.decimalComma ? 'True' : 'False'}`);
  out.push(
    `MISSING = set(${pyList(recipe.missingTokens.map((t) => pyString(t.trim().toLowerCase())))})`,
  );
  out.push(
    `TARGET_SCALE = ${recipe.targetScale ? `(${pyFloat(recipe.targetScale.mean)}, ${pyFloat(recipe.targetScale.std)})  # regression: y = y_std * std + mean` : 'None'}`,
  );
  out.push('');
  out.push('# The recipe, column by column, in the order of the features (rows of X).');
  out.push('COLUMNS = [');
  for (const c of recipe.columns) out.push(`    ${columnLiteral(c)},`);
  out.push(']');
  out.push(
    '# Standardization with the training split statistics: x = (x - mean) / std, per feature (None: as is).',
  );
  out.push('SCALE = [');
  for (const s of recipe.scale)
    out.push(`    ${s ? `(${pyFloat(s.mean)}, ${pyFloat(s.std)})` : 'None'},`);
  out.push(']');
  out.push('');
  out.push('# Trained parameters: W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).');
  for (let l = 1; l <= L; l++) {
    const p = net.params[l - 1];
    out.push(`W${l} = ${pyMatrix(p.W, sizes[l], sizes[l - 1], '')}`);
    out.push(`b${l} = ${pyMatrix(p.b, sizes[l], 1, '')}`);
  }
  out.push('');
  out.push('');
  out.push('def sigmoid(Z):');
  out.push('    # 1 / (1 + e^-Z), written so that large |Z| never overflows');
  out.push(
    '    return np.where(Z >= 0, 1 / (1 + np.exp(-np.abs(Z))), np.exp(-np.abs(Z)) / (1 + np.exp(-np.abs(Z))))',
  );
  out.push('');
  out.push('');
  out.push('def relu(Z):');
  out.push('    return np.maximum(0, Z)');
  out.push('');
  out.push('');
  out.push('def leaky_relu(Z):');
  out.push(`    return np.where(Z > 0, Z, ${pyFloat(LEAKY_RELU_SLOPE)} * Z)`);
  out.push('');
  out.push('');
  out.push('def softmax(Z):');
  out.push('    # subtract the column maximum first: same result, no overflow');
  out.push('    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))');
  out.push('    return E / np.sum(E, axis=0, keepdims=True)');
  out.push('');
  out.push('');
  out.push('def forward(X):');
  out.push(
    '    """Forward propagation, no dropout: Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l])."""',
  );
  out.push('    A0 = X');
  for (let l = 1; l <= L; l++) {
    const act: Activation | OutputActivation =
      l === L ? net.spec.output : net.spec.hidden[l - 1].activation;
    out.push(`    Z${l} = np.dot(W${l}, A${l - 1}) + b${l}`);
    out.push(`    A${l} = ${activationCall(act, `Z${l}`)}`);
  }
  out.push(`    return A${L}`);
  out.push('');
  out.push('');
  out.push(String.raw`NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")`);
  out.push('');
  out.push('');
  out.push('def is_missing(cell):');
  out.push('    return cell is None or cell.strip().lower() in MISSING');
  out.push('');
  out.push('');
  out.push('def to_number(cell):');
  out.push('    """The cell as a finite float, or None when it is missing or not a number."""');
  out.push('    if is_missing(cell):');
  out.push('        return None');
  out.push('    s = cell.strip()');
  out.push('    if DECIMAL_COMMA:');
  out.push('        s = s.replace(",", ".")');
  out.push('    if not NUMBER.match(s):');
  out.push('        return None');
  out.push('    v = float(s)');
  out.push('    return v if math.isfinite(v) else None');
  out.push('');
  out.push('');
  out.push('def features(row, index):');
  out.push(
    '    """One example: the raw CSV cells turned into the n_x features, exactly as the app does."""',
  );
  out.push('    x = []');
  out.push('    for col in COLUMNS:');
  out.push('        i = index.get(col["column"])');
  out.push(
    '        cell = row[i] if i is not None and i < len(row) else None  # an absent column counts as missing',
  );
  out.push('        if col["kind"] == "numeric":');
  out.push('            v = to_number(cell)');
  out.push('            x.append(col["impute"] if v is None else v)');
  out.push('        elif col["kind"] == "boolean":');
  out.push('            s = "" if cell is None else cell.strip().lower()');
  out.push(
    '            x.append(1.0 if s in col["true"] else 0.0 if s in col["false"] else col["impute"])',
  );
  out.push('        else:');
  out.push('            onehot = [0.0] * col["width"]');
  out.push('            if is_missing(cell):');
  out.push(
    '                slot = col["missing"]  # the imputed category, or the "(missing)" column',
  );
  out.push('            else:');
  out.push(
    '                slot = col["slots"].get(cell.strip(), col["other"])  # an unknown category goes to "(other)"',
  );
  out.push('            if slot is not None:');
  out.push('                onehot[slot] = 1.0');
  out.push('            x.extend(onehot)  # no slot: all zeros');
  out.push('    for j, s in enumerate(SCALE):');
  out.push('        if s is not None:');
  out.push('            x[j] = (x[j] - s[0]) / s[1]');
  out.push('    return x');
  out.push('');
  out.push('');
  out.push('def read_csv(path):');
  out.push('    """X of shape (n_x, m) from a CSV file with a header row."""');
  out.push('    with open(path, newline="", encoding="utf-8-sig") as f:');
  out.push('        reader = csv.reader(f, delimiter=DELIMITER)');
  out.push('        header = next(reader, None)');
  out.push('        if header is None:');
  out.push(
    '            sys.exit(path + " is empty: it needs a header row and at least one row of data.")',
  );
  out.push('        header = [h.strip() for h in header]');
  out.push('        index = {}');
  out.push('        for i, h in enumerate(header):');
  out.push('            index.setdefault(h, i)');
  out.push('        absent = [c["column"] for c in COLUMNS if c["column"] not in index]');
  out.push('        if absent:');
  out.push(
    '            sys.stderr.write("Note: the CSV has no column named " + ", ".join(repr(a) for a in absent) + "; its values are imputed, as the app does.\\n")',
  );
  out.push(
    '        rows = [features(row, index) for row in reader if any(cell.strip() for cell in row)]',
  );
  out.push('    if not rows:');
  out.push('        sys.exit(path + " has a header but no rows of data.")');
  out.push('    return np.array(rows, dtype=np.float64).T');
  out.push('');
  out.push('');
  out.push(...backwardLines(net));
  out.push('');
  out.push('');
  out.push('def predict(X):');
  out.push('    """Predictions as (label or value, list of class probabilities)."""');
  out.push('    AL = forward(X)');
  out.push('    m = X.shape[1]');
  out.push('    if TASK == "binary":');
  out.push('        p = AL[0]');
  out.push(
    '        return [(CLASS_LABELS[1] if p[i] >= 0.5 else CLASS_LABELS[0], [1 - p[i], p[i]]) for i in range(m)]',
  );
  out.push('    if TASK == "multiclass":');
  out.push('        k = np.argmax(AL, axis=0)');
  out.push('        return [(CLASS_LABELS[k[i]], list(AL[:, i])) for i in range(m)]');
  out.push('    y = AL[0] * TARGET_SCALE[1] + TARGET_SCALE[0] if TARGET_SCALE else AL[0]');
  out.push('    return [(y[i], []) for i in range(m)]');
  out.push('');
  out.push('');
  out.push('def main(argv):');
  out.push('    if len(argv) < 2:');
  out.push('        sys.exit("Usage: python3 " + argv[0] + " data.csv [predictions.csv]")');
  out.push('    X = read_csv(argv[1])');
  out.push(
    '    out = open(argv[2], "w", newline="", encoding="utf-8") if len(argv) > 2 else sys.stdout',
  );
  out.push('    writer = csv.writer(out)');
  out.push('    writer.writerow(["prediction"] + ["p(" + c + ")" for c in CLASS_LABELS])');
  out.push('    for value, probs in predict(X):');
  out.push(
    '        writer.writerow([value if isinstance(value, str) else repr(float(value))] + [repr(float(p)) for p in probs])',
  );
  out.push('    if out is not sys.stdout:');
  out.push('        out.close()');
  out.push('');
  out.push('');
  out.push('if __name__ == "__main__":');
  out.push('    main(sys.argv)');
  out.push('');
  return out.join('\n');
}
