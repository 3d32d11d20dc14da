// The data pipeline's fitted recipe (workers/data/types.ts), and the example data's, in the form the
// NumPy export replays.
import type { Recipe } from '../../../workers/data/types.ts';
import { EXAMPLE_DATA } from '../../../workers/labs/types.ts';
import { DEFAULT_MISSING_TOKENS, type ExportColumn, type ExportRecipe } from './numpy-recipe.ts';

export type { ExportRecipe } from './numpy-recipe.ts';

/** Same rules as workers/data/values.ts (isMissing): these trimmed, lower-cased cells are missing. */
export const APP_MISSING_TOKENS = DEFAULT_MISSING_TOKENS;

export function exportRecipeFrom(recipe: Recipe, delimiter: string = ','): ExportRecipe {
  const columns: ExportColumn[] = [];
  const scale: ExportRecipe['scale'] = [];
  for (const c of recipe.columns) {
    if (c.kind === 'numeric') {
      columns.push({ kind: 'numeric', column: c.name, impute: c.impute });
      scale.push({ mean: c.mean, std: c.std });
    } else if (c.kind === 'boolean') {
      columns.push({
        kind: 'boolean',
        column: c.name,
        trueValues: [c.positive],
        falseValues: [c.negative],
        impute: c.impute,
      });
      scale.push(null);
    } else {
      const extra: string[] = [];
      if (c.missingColumn) extra.push('(missing)');
      if (c.otherColumn) extra.push('(other)');
      const missingIndex = c.missingColumn
        ? c.categories.length
        : c.imputeCategory === null
          ? -1
          : c.categories.indexOf(c.imputeCategory);
      columns.push({
        kind: 'categorical',
        column: c.name,
        categories: [...c.categories],
        extra,
        missingIndex: missingIndex >= 0 ? missingIndex : null,
        otherIndex: c.otherColumn ? c.categories.length + (c.missingColumn ? 1 : 0) : null,
      });
      for (let j = 0; j < c.categories.length + extra.length; j++) scale.push(null);
    }
  }
  return {
    task: recipe.task,
    targetName: recipe.target,
    classLabels: [...recipe.classLabels],
    columns,
    scale,
    targetScale: recipe.targetScale ? { ...recipe.targetScale } : null,
    delimiter,
    decimalComma: recipe.decimalComma,
    missingTokens: [...APP_MISSING_TOKENS],
  };
}

/** The example data needs no preprocessing: its numeric columns are used as they are. */
export function exampleRecipe(): ExportRecipe {
  return {
    task: EXAMPLE_DATA.task,
    targetName: EXAMPLE_DATA.targetName,
    classLabels: [...EXAMPLE_DATA.classLabels],
    columns: EXAMPLE_DATA.featureNames.map((column) => ({ kind: 'numeric', column, impute: 0 })),
    scale: EXAMPLE_DATA.featureNames.map(() => null),
    targetScale: null,
    delimiter: ',',
    decimalComma: false,
    missingTokens: [...DEFAULT_MISSING_TOKENS],
  };
}
