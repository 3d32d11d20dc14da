// The preprocessing recipe and its settings, checked whole: every column kind with the members
// prediction reads (a categorical column's categories, a boolean column's yes and no values), every
// select value among its options, no repeated column name, category or class label, and as many
// feature names as the columns make.
import * as v from 'valibot';
import { TASKS } from '../../core/types.ts';
import {
  CATEGORICAL_IMPUTES,
  COLUMN_TYPES,
  NUMERIC_IMPUTES,
  DEFAULT_RECIPE_SETTINGS,
  type RecipeColumn,
} from '../../data/types.ts';
import { LIMITS } from '../limits.ts';
import {
  at,
  exactly,
  filled,
  finite,
  firstRepeat,
  list,
  says,
  shown,
  text,
  uniqueTexts,
  whole,
} from './base.ts';

/** A share of the rows (0..1). */
const share = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));

export const RecipeSettingsSchema = v.object({
  target: v.nullable(text(LIMITS.text)),
  task: v.nullable(v.picklist(TASKS)),
  types: list(
    v.object({ column: text(LIMITS.text), type: v.picklist(COLUMN_TYPES) }),
    LIMITS.features,
  ),
  dropped: list(text(LIMITS.text), LIMITS.features),
  dropIdLike: v.boolean(),
  numericImpute: v.picklist(NUMERIC_IMPUTES),
  categoricalImpute: v.picklist(CATEGORICAL_IMPUTES),
  oneHotCap: whole(1, LIMITS.features),
  standardize: v.boolean(),
  split: v.object({
    train: v.pipe(share, v.gtValue(0)),
    dev: share,
    test: share,
  }),
  stratify: v.boolean(),
  seed: whole(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  // Settings written before a column could read a missing-value token as a value have none.
  valueTokens: v.optional(
    list(v.object({ column: text(LIMITS.text), token: text(LIMITS.text) }), LIMITS.features),
  ),
});

/** Data settings that may name only some fields (a file written or edited by hand): the others
 *  take the defaults a new table gets, and the whole is then checked. */
export const SettingsWithDefaultsSchema = v.pipe(
  v.unknown(),
  v.transform((x) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? { ...structuredClone(DEFAULT_RECIPE_SETTINGS), ...x }
      : x,
  ),
  RecipeSettingsSchema,
);

const columnName = filled(LIMITS.text);
const category = filled(LIMITS.text);

const NumericColumnSchema = v.object({
  name: columnName,
  kind: v.literal('numeric'),
  impute: finite,
  mean: finite,
  std: v.pipe(v.number(), v.finite(), v.gtValue(0)),
});

const CategoricalColumnSchema = v.object({
  name: columnName,
  kind: v.literal('categorical'),
  categories: uniqueTexts(category, LIMITS.features),
  imputeCategory: v.nullable(category),
  missingColumn: v.boolean(),
  otherColumn: v.boolean(),
});

const BooleanColumnSchema = v.object({
  name: columnName,
  kind: v.literal('boolean'),
  positive: category,
  negative: category,
  impute: v.picklist([0, 1] as const),
});

/** Features a recipe column makes: one for a number or a yes/no value, one per category (and one for
 * "(missing)" and "(other)" when the column has them). */
export function columnWidth(c: RecipeColumn): number {
  return c.kind === 'categorical'
    ? c.categories.length + (c.missingColumn ? 1 : 0) + (c.otherColumn ? 1 : 0)
    : 1;
}

export const RecipeColumnSchema = v.pipe(
  v.variant('kind', [NumericColumnSchema, CategoricalColumnSchema, BooleanColumnSchema]),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const c = dataset.value;
    if (
      c.kind === 'categorical' &&
      c.imputeCategory !== null &&
      !c.categories.includes(c.imputeCategory)
    )
      addIssue({
        message: says('store.file.imputeCategory', { value: shown(c.imputeCategory) }),
        path: [at('imputeCategory', c)],
      });
    else if (c.kind === 'boolean' && c.positive === c.negative)
      addIssue({
        message: says('store.file.sameValues', { value: shown(c.positive) }),
        path: [at('negative', c)],
      });
  }),
);

export const RecipeSchema = v.pipe(
  v.object({
    version: exactly(1 as const, 'store.file.recipeVersion'),
    settings: SettingsWithDefaultsSchema,
    target: text(LIMITS.text),
    task: v.picklist(TASKS),
    classLabels: uniqueTexts(filled(LIMITS.text), LIMITS.classes),
    targetScale: v.nullable(
      v.object({ mean: finite, std: v.pipe(v.number(), v.finite(), v.gtValue(0)) }),
    ),
    decimalComma: v.boolean(),
    columns: list(RecipeColumnSchema, LIMITS.features),
    droppedColumns: list(
      v.object({ name: text(LIMITS.text), reason: text(LIMITS.sentence) }),
      LIMITS.features,
    ),
    featureNames: list(text(LIMITS.featureName), LIMITS.features),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const r = dataset.value;
    const repeat = firstRepeat(r.columns.map((c) => c.name));
    if (repeat >= 0) {
      addIssue({
        message: says('store.file.duplicate', { value: shown(r.columns[repeat].name) }),
        path: [at('columns', r), at(repeat, r.columns), at('name', r.columns[repeat])],
      });
      return;
    }
    const width = r.columns.reduce((n, c) => n + columnWidth(c), 0);
    if (width !== r.featureNames.length) {
      addIssue({
        message: says('store.file.recipeWidth', { actual: width, expected: r.featureNames.length }),
        path: [at('featureNames', r)],
      });
      return;
    }
    const classes = r.classLabels.length;
    if (r.task === 'regression' ? classes !== 0 : classes < 2)
      addIssue({
        message: says('store.file.taskClasses', { task: r.task, count: classes }),
        path: [at('classLabels', r)],
      });
  }),
);
