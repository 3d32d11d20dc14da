// Prediction with a saved model on raw rows: the recipe turns raw column values into features, the
// engine's forward pass (no dropout) gives A[L], and the task turns that into a label or a number.
import { createNetwork, predict as forward } from '../../../../workers/core/network.ts';
import { applyRecipe, type RawRow } from '../../../../workers/data/recipe.ts';
import type { Recipe } from '../../../../workers/data/types.ts';
import type { ModelRecord } from '../../../../workers/store/schema.ts';
import { toCsv, type Cell } from '../../../../workers/store/csv.ts';

export interface Prediction {
  /** The predicted class label, or the predicted number (regression) as text. */
  label: string;
  /** Regression: the predicted value in the target's units. */
  value: number | null;
  /** Classification: probability of each class, in the order of classLabels. */
  probabilities: number[];
}

/** The raw columns a model's form asks for: the recipe's columns, or the feature names when there is none. */
export function inputColumns(
  model: ModelRecord,
): Array<{ name: string; kind: 'numeric' | 'categorical' | 'boolean'; choices: string[] }> {
  const recipe = asRecipe(model.recipe);
  if (!recipe)
    return model.featureNames.map((name) => ({ name, kind: 'numeric' as const, choices: [] }));
  return recipe.columns.map((c) => ({
    name: c.name,
    kind: c.kind,
    choices:
      c.kind === 'categorical'
        ? c.categories
        : c.kind === 'boolean'
          ? [c.negative, c.positive]
          : [],
  }));
}

export function asRecipe(r: unknown): Recipe | null {
  if (!r || typeof r !== 'object') return null;
  const o = r as Partial<Recipe>;
  return o.version === 1 && Array.isArray(o.columns) && Array.isArray(o.featureNames)
    ? (o as Recipe)
    : null;
}

/** Features X (n_x, m) of raw rows: through the recipe, or read as numbers when the model has none. */
export function featuresOf(
  model: ModelRecord,
  rows: readonly RawRow[],
  header: readonly string[] | null = null,
): { x: Float32Array; m: number } {
  const recipe = asRecipe(model.recipe);
  const nX = model.network.spec.inputs;
  if (recipe) {
    if (recipe.featureNames.length !== nX) {
      throw new Error(
        `This model's recipe makes ${recipe.featureNames.length} features but its network takes ${nX}; export it again from the run.`,
      );
    }
    const { x, m } = applyRecipe(recipe, rows, header);
    return { x, m };
  }
  const m = rows.length;
  const x = new Float32Array(nX * m);
  const names =
    model.featureNames.length === nX
      ? model.featureNames
      : Array.from({ length: nX }, (_, i) => `x${i + 1}`);
  rows.forEach((row, i) => {
    names.forEach((name, f) => {
      const raw = Array.isArray(row)
        ? row[header ? header.indexOf(name) : f]
        : (row as Record<string, unknown>)[name];
      const v = typeof raw === 'number' ? raw : Number(String(raw ?? '').trim());
      if (raw === null || raw === undefined || String(raw).trim() === '' || !Number.isFinite(v)) {
        throw new Error(
          `Row ${i + 1}, column "${name}": "${String(raw ?? '')}" is not a number. Enter a number there.`,
        );
      }
      x[f * m + i] = v;
    });
  });
  return { x, m };
}

/** Predictions for raw rows (objects by column name, or arrays with `header`). */
export function predictRows(
  model: ModelRecord,
  rows: readonly RawRow[],
  header: readonly string[] | null = null,
): Prediction[] {
  if (rows.length === 0) return [];
  const { x, m } = featuresOf(model, rows, header);
  const { spec, params } = model.network;
  const net = createNetwork(spec, params);
  const A = forward(net, { rows: spec.inputs, cols: m, data: x }).data;
  const out: Prediction[] = [];
  const scale = model.targetScale ?? asRecipe(model.recipe)?.targetScale ?? null;
  for (let i = 0; i < m; i++) {
    if (spec.output === 'linear') {
      const raw = A[i];
      const value = scale ? raw * scale.std + scale.mean : raw;
      out.push({ label: formatNumber(value), value, probabilities: [] });
    } else if (spec.output === 'sigmoid') {
      const p = A[i];
      const labels = model.classLabels.length === 2 ? model.classLabels : ['0', '1'];
      out.push({ label: p >= 0.5 ? labels[1] : labels[0], value: null, probabilities: [1 - p, p] });
    } else {
      const probs: number[] = [];
      let best = 0;
      for (let k = 0; k < spec.outputs; k++) {
        probs.push(A[k * m + i]);
        if (A[k * m + i] > A[best * m + i]) best = k;
      }
      out.push({
        label: model.classLabels[best] ?? `class ${best}`,
        value: null,
        probabilities: probs,
      });
    }
  }
  return out;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toPrecision(4)
    : String(Math.round(v * 10_000) / 10_000);
}

/** Column names of the prediction columns added to a batch result. */
export function predictionHeader(model: ModelRecord): string[] {
  const target = model.targetName || 'target';
  if (model.network.spec.output === 'linear') return [`predicted ${target}`];
  const labels =
    model.network.spec.output === 'sigmoid' && model.classLabels.length === 2
      ? model.classLabels
      : model.classLabels;
  return [`predicted ${target}`, ...labels.map((l) => `probability ${l}`)];
}

/** The batch result as CSV: the input columns as they were, then the predictions (text escaped, numbers kept). */
export function predictionsCsv(
  model: ModelRecord,
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  preds: readonly Prediction[],
): string {
  const out: Cell[][] = rows.map((r, i) => {
    const p = preds[i];
    const tail: Cell[] =
      model.network.spec.output === 'linear'
        ? [p.value]
        : [p.label, ...p.probabilities.map((q) => Math.round(q * 1e6) / 1e6)];
    return [...r, ...tail];
  });
  return toCsv([...header, ...predictionHeader(model)], out);
}
