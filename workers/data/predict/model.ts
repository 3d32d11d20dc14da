// Prediction with a saved model on raw rows: the model's recipe turns raw column values into features
// X (n_x, m), core's forward pass (float64, no dropout) gives A[L], and the task turns that into a
// label with its probabilities (argmax or the 0.5 threshold) or a number in the target's units.
import { classIndices } from '../../core/metrics.ts';
import { createNetwork, predict, type Network } from '../../core/network.ts';
import type { ModelRecord } from '../../store/schema.ts';
import type { Cell } from '../../store/csv.ts';
import { applyRecipe, cellOf, featureNamesOf, unscale, type RawRow } from '../encode.ts';
import type { Recipe, RecipeColumn } from '../types.ts';
import { parseNumber } from '../values.ts';
import { msg, type Msg } from '../../messages/index.ts';
import type { InputColumn, Prediction, PredictProblem } from './types.ts';

/** A problem that stops a prediction; the API answers it as `{ ok: false, problem }`. */
export class PredictStop extends Error {
  constructor(
    readonly code: PredictProblem['code'],
    readonly msg: Msg,
    readonly rows?: number[],
  ) {
    super(msg.key);
    this.name = 'PredictStop';
  }
}

/** The model's recipe when it has a usable one (version 1), else null. */
export function asRecipe(r: unknown): Recipe | null {
  if (!r || typeof r !== 'object') return null;
  const o = r as Partial<Recipe>;
  return o.version === 1 && Array.isArray(o.columns) && Array.isArray(o.featureNames)
    ? (o as Recipe)
    : null;
}

/** Why a recipe column cannot encode values (a hand-edited or damaged file), or null when it can. */
function damaged(c: RecipeColumn): Msg | null {
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const text = (v: unknown) => typeof v === 'string';
  if (c.kind === 'numeric')
    return finite(c.impute) && finite(c.mean) && finite(c.std) && c.std > 0
      ? null
      : msg('predicting.damaged.numeric', { column: String(c.name) });
  if (c.kind === 'boolean')
    return text(c.positive) && text(c.negative) && (c.impute === 0 || c.impute === 1)
      ? null
      : msg('predicting.damaged.boolean', { column: String(c.name) });
  return Array.isArray(c.categories) &&
    c.categories.every(text) &&
    (c.imputeCategory === null || text(c.imputeCategory))
    ? null
    : msg('predicting.damaged.categorical', { column: String(c.name) });
}

/** The columns a model without a recipe reads as numbers: its feature names, or x1, x2, ... when they
 * do not match its inputs. */
function numberColumns(model: ModelRecord): string[] {
  const nX = model.network.spec.inputs;
  return model.featureNames.length === nX
    ? model.featureNames
    : Array.from({ length: nX }, (_, i) => `x${i + 1}`);
}

/** The raw columns a model's form asks for: the recipe's columns, or the feature names when there is none. */
export function inputColumns(model: ModelRecord): InputColumn[] {
  const recipe = asRecipe(model.recipe);
  if (!recipe)
    return numberColumns(model).map((name) => ({ name, kind: 'numeric' as const, choices: [] }));
  return recipe.columns.map((c) => ({
    name: c.name,
    kind: c.kind,
    choices:
      c.kind === 'categorical'
        ? [...c.categories]
        : c.kind === 'boolean'
          ? [c.negative, c.positive]
          : [],
  }));
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toPrecision(4)
    : String(Math.round(v * 10_000) / 10_000);
}

/** Spreadsheet-style row numbers for messages: the i-th row given (0-based) is row i + 1 by default. */
export type RowNumber = (i: number) => number;
const firstRowIsOne: RowNumber = (i) => i + 1;

/** A cell of a numeric recipe column that is not a number (the recipe fills it in as missing). */
export interface NotANumber {
  row: number;
  column: string;
  value: string;
}

/** A cell as written (trimmed, '' when absent): by name, or by position `f` for arrays without a header. */
function rawText(row: RawRow, name: string, f: number, header: readonly string[] | null): string {
  let v: unknown;
  if (Array.isArray(row)) v = row[header ? header.indexOf(name) : f];
  else if (Object.prototype.hasOwnProperty.call(row, name))
    v = (row as Record<string, unknown>)[name];
  return v === null || v === undefined ? '' : String(v).trim();
}

/** One model ready to predict: its network built once, its recipe checked against the network. */
export class Predictor {
  readonly model: ModelRecord;
  readonly recipe: Recipe | null;
  /** The class labels of the probability columns (empty for regression). */
  readonly labels: string[];
  /** The columns a prediction adds to a row: "predicted <target>", then "probability <label>". */
  readonly header: string[];
  readonly #net: Network;

  constructor(model: ModelRecord) {
    this.model = model;
    this.recipe = asRecipe(model.recipe);
    const { spec, params } = model.network;
    this.#net = createNetwork(spec, params);
    for (const c of this.recipe?.columns ?? []) {
      const why = damaged(c);
      if (why) throw new PredictStop('bad-model', why);
    }
    const made = this.recipe?.columns.flatMap(featureNamesOf).length;
    if (this.recipe && made !== this.recipe.featureNames.length)
      throw new PredictStop(
        'bad-model',
        msg('predicting.recipeWidth', { made: made ?? 0, names: this.recipe.featureNames.length }),
      );
    if (this.recipe && this.recipe.featureNames.length !== spec.inputs)
      throw new PredictStop(
        'bad-model',
        msg('predicting.recipeInputs', {
          features: this.recipe.featureNames.length,
          inputs: spec.inputs,
        }),
      );
    const classes = model.classLabels;
    this.labels =
      spec.output === 'linear'
        ? []
        : spec.output === 'sigmoid'
          ? classes.length === 2
            ? [...classes]
            : ['0', '1']
          : Array.from({ length: spec.outputs }, (_, k) => classes[k] ?? `class ${k}`);
    const target = model.targetName || 'target';
    this.header = [`predicted ${target}`, ...this.labels.map((l) => `probability ${l}`)];
  }

  /** Features X (n_x, m) of raw rows: through the recipe, or read as numbers when the model has none.
   * `decimalComma`: the rows' file writes numbers with a decimal comma (as well as the recipe's rule). */
  features(
    rows: readonly RawRow[],
    header: readonly string[] | null = null,
    rowNumber: RowNumber = firstRowIsOne,
    decimalComma = false,
  ): { x: Float32Array; m: number } {
    const recipe = this.recipe;
    const nX = this.model.network.spec.inputs;
    if (recipe) {
      const r = decimalComma && !recipe.decimalComma ? { ...recipe, decimalComma } : recipe;
      const { x, m } = applyRecipe(r, rows, header);
      return { x, m };
    }
    const m = rows.length;
    const x = new Float32Array(nX * m);
    const names = numberColumns(this.model);
    for (let i = 0; i < m; i++) {
      for (let f = 0; f < nX; f++) {
        const text = rawText(rows[i], names[f], f, header);
        const v = parseNumber(text, decimalComma);
        if (Number.isNaN(v))
          throw new PredictStop(
            'bad-value',
            msg('predicting.notNumber', { row: rowNumber(i), column: names[f], value: text ?? '' }),
            [rowNumber(i)],
          );
        x[f * m + i] = v;
      }
    }
    return { x, m };
  }

  /** Predictions for raw rows (objects by column name, or arrays with `header`). */
  predict(
    rows: readonly RawRow[],
    header: readonly string[] | null = null,
    rowNumber: RowNumber = firstRowIsOne,
    decimalComma = false,
  ): Prediction[] {
    if (rows.length === 0) return [];
    const { x, m } = this.features(rows, header, rowNumber, decimalComma);
    const { spec } = this.#net;
    // A[L] (n_y x m), row-major: example i of output k is A[k * m + i].
    const A = predict(this.#net, { rows: spec.inputs, cols: m, data: x }).data;
    const out: Prediction[] = [];
    if (spec.output === 'linear') {
      const scale = this.model.targetScale ?? this.recipe?.targetScale ?? null;
      for (let i = 0; i < m; i++) {
        const value = unscale(scale, A[i]);
        out.push({ label: formatNumber(value), value, probabilities: [], confidence: null });
      }
      return out;
    }
    const best = classIndices(A, spec.outputs, m);
    for (let i = 0; i < m; i++) {
      const probabilities: number[] = [];
      if (spec.output === 'sigmoid') probabilities.push(1 - A[i], A[i]);
      else for (let k = 0; k < spec.outputs; k++) probabilities.push(A[k * m + i]);
      out.push({
        label: this.labels[best[i]],
        value: null,
        probabilities,
        confidence: probabilities[best[i]],
      });
    }
    return out;
  }

  /** The cells a prediction adds to a CSV row: the number (regression), or the label and the
   * probabilities to 6 decimals. */
  cells(p: Prediction): Cell[] {
    return this.model.network.spec.output === 'linear'
      ? [p.value]
      : [p.label, ...p.probabilities.map((q) => Math.round(q * 1e6) / 1e6)];
  }

  /** Cells of the recipe's numeric columns that are not numbers (at most `limit`; the recipe fills
   * them in as missing values, so the user is told). */
  notNumbers(
    rows: readonly RawRow[],
    header: readonly string[] | null,
    rowNumber: RowNumber = firstRowIsOne,
    decimalComma = false,
    limit = Infinity,
  ): NotANumber[] {
    const out: NotANumber[] = [];
    const recipe = this.recipe;
    if (!recipe) return out;
    const dc = decimalComma || recipe.decimalComma;
    for (let i = 0; i < rows.length && out.length < limit; i++)
      for (const c of recipe.columns) {
        if (c.kind !== 'numeric') continue;
        const text = cellOf(rows[i], c.name, header);
        if (text !== null && Number.isNaN(parseNumber(text, dc)))
          out.push({ row: rowNumber(i), column: c.name, value: text });
      }
    return out.slice(0, limit);
  }
}
