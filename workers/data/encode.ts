// Encoding cells into features with a fitted recipe: one encoder per recipe column, shared by the
// table path (fitRecipe builds the training matrices) and the raw-row path (applyRecipe, prediction),
// so both agree exactly.
import type { TargetScale } from '../core/types.ts';
import { MessageError, msg } from '../messages/index.ts';
import type { Recipe, RecipeColumn } from './types.ts';
import { parseNumber, readsAsMissing, valueTokenSet } from './values.ts';

export interface Encoder {
  width: number;
  /** Writes this column's features for one example: out[(f0 + j) * m + i]. */
  encode(
    text: string | null,
    num: number,
    out: Float32Array,
    f0: number,
    m: number,
    i: number,
  ): void;
}

export function makeEncoder(rc: RecipeColumn): Encoder {
  if (rc.kind === 'numeric') {
    return {
      width: 1,
      encode(_t, num, out, f0, m, i) {
        const v = num === num ? num : rc.impute;
        out[f0 * m + i] = (v - rc.mean) / rc.std;
      },
    };
  }
  if (rc.kind === 'boolean') {
    const pos = rc.positive.toLowerCase();
    const neg = rc.negative.toLowerCase();
    return {
      width: 1,
      encode(text, _n, out, f0, m, i) {
        const l = text === null ? null : text.toLowerCase();
        out[f0 * m + i] = l === pos ? 1 : l === neg ? 0 : rc.impute;
      },
    };
  }
  const index = new Map<string, number>();
  rc.categories.forEach((c, j) => index.set(c, j));
  const missingSlot = rc.missingColumn ? rc.categories.length : -1;
  const otherSlot = rc.otherColumn ? rc.categories.length + (rc.missingColumn ? 1 : 0) : -1;
  const imputeSlot = rc.imputeCategory === null ? -1 : (index.get(rc.imputeCategory) ?? -1);
  const width = rc.categories.length + (rc.missingColumn ? 1 : 0) + (rc.otherColumn ? 1 : 0);
  return {
    width,
    encode(text, _n, out, f0, m, i) {
      for (let j = 0; j < width; j++) out[(f0 + j) * m + i] = 0;
      let slot: number;
      if (text === null) slot = missingSlot >= 0 ? missingSlot : imputeSlot;
      else slot = index.get(text) ?? otherSlot; // unknown category: "(other)" or all zeros
      if (slot >= 0) out[(f0 + slot) * m + i] = 1;
    },
  };
}

export function featureNamesOf(rc: RecipeColumn): string[] {
  if (rc.kind === 'numeric') return [rc.name];
  if (rc.kind === 'boolean') return [`${rc.name}=${rc.positive}`];
  const names = rc.categories.map((c) => `${rc.name}=${c}`);
  if (rc.missingColumn) names.push(`${rc.name}=(missing)`);
  if (rc.otherColumn) names.push(`${rc.name}=(other)`);
  return names;
}

// ---- applying to new rows ----

export type RawRow =
  | Readonly<Record<string, string | number | boolean | null | undefined>>
  | readonly (string | number | null | undefined)[];

/** The trimmed text of a raw row's cell in column `name`, or null when it is missing (a missing-value
 * token in `asValue` is a value). */
export function cellOf(
  row: RawRow,
  name: string,
  header: readonly string[] | null,
  asValue: ReadonlySet<string> | null = null,
): string | null {
  let v: unknown;
  if (Array.isArray(row)) {
    if (!header) throw new MessageError(msg('predicting.noHeader'));
    const k = header.indexOf(name);
    v = k >= 0 ? row[k] : undefined;
  } else {
    v = Object.prototype.hasOwnProperty.call(row, name)
      ? (row as Record<string, unknown>)[name]
      : undefined;
  }
  if (v === null || v === undefined) return null;
  const t = String(v).trim();
  return readsAsMissing(t, asValue) ? null : t;
}

/** The features of new raw rows, exactly as the recipe made the training features: X of shape
 * (n_x, m), row-major. Missing values are imputed; unknown categories go to "(other)" or all zeros. */
export function applyRecipe(
  recipe: Recipe,
  rows: readonly RawRow[],
  header: readonly string[] | null = null,
): { x: Float32Array; m: number; nX: number } {
  const m = rows.length;
  const nX = recipe.featureNames.length;
  const x = new Float32Array(nX * m);
  const encoders = recipe.columns.map(makeEncoder);
  const asValue = recipe.columns.map((c) => valueTokenSet(recipe.settings?.valueTokens, c.name));
  for (let i = 0; i < m; i++) {
    let f = 0;
    for (let c = 0; c < encoders.length; c++) {
      const text = cellOf(rows[i], recipe.columns[c].name, header, asValue[c]);
      const num = text === null ? NaN : parseNumber(text, recipe.decimalComma);
      encoders[c].encode(text, num, x, f, m, i);
      f += encoders[c].width;
    }
  }
  return { x, m, nX };
}

/** A standardized target value back in the target's units: value * std + mean (no scale: as it is). */
export function unscale(scale: TargetScale | null, value: number): number {
  return scale ? value * scale.std + scale.mean : value;
}

/** Maps a model's regression output back to the target's units. */
export function unscaleTarget(recipe: Recipe, value: number): number {
  return unscale(recipe.targetScale, value);
}
