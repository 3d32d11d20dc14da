// The preprocessing recipe: fitted on the training split of a table (the seeded, stratified split, the
// target, the feature columns of fit-columns.ts), then applied the same way to the table's rows and to
// any new raw rows (encode.ts, prediction). Plain, versioned data in, plain data out.
import { informativeAxes } from './axes.ts';
import { createRng } from '../core/rng.ts';
import type { Task } from '../core/types.ts';
import { cellText, numAt } from './columns.ts';
import { featureNamesOf, makeEncoder } from './encode.ts';
import { fitBoolean, fitCategorical, fitNumeric } from './fit-columns.ts';
import { msgProblem, type Table } from './parse.ts';
import type { PreparedDataset, PreparedSplit } from './prepared.ts';
import { msg, type Msg } from '../messages/index.ts';
import {
  DATA_LIMITS,
  type ColumnReport,
  type ColumnType,
  type DropReason,
  type HealthReport,
  type PrepareSummary,
  type Recipe,
  type RecipeColumn,
  type RecipeSettings,
  type Result,
} from './types.ts';
import { orderLabels } from './values.ts';

// Applying a recipe to new rows lives in encode.ts; it is re-exported here for the recipe's users.
export { applyRecipe, unscaleTarget, type RawRow } from './encode.ts';

export const MAX_CLASSES = DATA_LIMITS.classes;
/** A numeric target with at most this many distinct whole numbers is taken as classes. */
const CLASS_LIKE_DISTINCT = 10;

export interface SplitRows {
  train: Int32Array;
  dev: Int32Array;
  test: Int32Array;
}

export interface FitOutput {
  recipe: Recipe;
  dataset: PreparedDataset;
  /** Table row indices (0-based data rows) of each split, in the order of the examples. */
  split: SplitRows;
  summary: PrepareSummary;
}

const fail = msgProblem;

/** A Float32Array in shared memory when the realm allows it (cross-origin isolated), else a plain one. */
export function sharedFloat32(length: number): Float32Array {
  if (typeof SharedArrayBuffer !== 'undefined') {
    try {
      return new Float32Array(new SharedArrayBuffer(length * 4));
    } catch {
      // fall through to a plain buffer
    }
  }
  return new Float32Array(length);
}

export function effectiveType(col: ColumnReport, settings: RecipeSettings): ColumnType {
  return settings.types.find((t) => t.column === col.name)?.type ?? col.inferredType;
}

/** binary / multiclass / regression from the target column's type and values. */
export function inferTask(col: ColumnReport, type: ColumnType): Task {
  if (type === 'numeric' || (type === 'id' && !col.categoriesKnown)) {
    if (col.allIntegers && col.unique !== null && col.unique <= CLASS_LIKE_DISTINCT)
      return col.unique === 2 ? 'binary' : 'multiclass';
    return 'regression';
  }
  return col.unique === 2 ? 'binary' : 'multiclass';
}

function splitRows(
  kept: Int32Array,
  classOf: Int32Array | null,
  classes: number,
  settings: RecipeSettings,
): SplitRows {
  const rng = createRng(settings.seed);
  const groups: Int32Array[] = [];
  if (classOf && settings.stratify) {
    const sizes = new Array<number>(classes).fill(0);
    for (const r of kept) sizes[classOf[r]]++;
    const filled = new Array<number>(classes).fill(0);
    for (let c = 0; c < classes; c++) groups.push(new Int32Array(sizes[c]));
    for (const r of kept) groups[classOf[r]][filled[classOf[r]]++] = r;
  } else groups.push(Int32Array.from(kept));
  const train: number[] = [],
    dev: number[] = [],
    test: number[] = [];
  const total = settings.split.train + settings.split.dev + settings.split.test;
  const pTrain = settings.split.train / total;
  const pDev = settings.split.dev / total;
  for (const g of groups) {
    rng.shuffle(g);
    const n = g.length;
    const nTrain = Math.min(n, Math.round(n * pTrain));
    const nDev = Math.min(n - nTrain, Math.round(n * pDev));
    for (let i = 0; i < n; i++) (i < nTrain ? train : i < nTrain + nDev ? dev : test).push(g[i]);
  }
  const sorted = (a: number[]) => Int32Array.from(a).sort();
  return { train: sorted(train), dev: sorted(dev), test: sorted(test) };
}

function checkSettings(settings: RecipeSettings): Msg | null {
  const { train, dev, test } = settings.split;
  if (![train, dev, test].every((p) => Number.isFinite(p) && p >= 0))
    return msg('recipe.settings.shares');
  if (!(train > 0)) return msg('recipe.settings.train');
  if (!Number.isInteger(settings.seed)) return msg('recipe.settings.seed');
  if (!(settings.oneHotCap >= 1)) return msg('recipe.settings.oneHotCap');
  return null;
}

/** Fits the recipe on the training split and builds the design matrices in shared memory. */
export function fitRecipe(
  table: Table,
  report: HealthReport,
  settings: RecipeSettings,
): Result<FitOutput> {
  const bad = checkSettings(settings);
  if (bad) return fail('bad-settings', bad);
  if (settings.target === null) return fail('no-target', msg('recipe.noTarget'));
  const ti = table.columns.findIndex((c) => c.name === settings.target);
  if (ti < 0) return fail('no-target', msg('recipe.targetMissing', { column: settings.target }));
  const tcol = table.columns[ti];
  const trep = report.columns[ti];
  const ttype = effectiveType(trep, settings);
  const task: Task = settings.task ?? inferTask(trep, ttype);

  // Target values per row.
  const n = table.rows;
  let classLabels: string[] = [];
  let classOf: Int32Array | null = null;
  if (task === 'regression') {
    if (tcol.numericCount < 2)
      return fail('target-not-numeric', msg('recipe.targetNotNumeric', { column: tcol.name }));
  } else {
    const textOf: Array<string | null> = [];
    const distinct = new Map<string, number>();
    for (let r = 0; r < n; r++) {
      const t = cellText(tcol, r);
      textOf.push(t);
      if (t !== null && !distinct.has(t)) {
        distinct.set(t, distinct.size);
        if (distinct.size > MAX_CLASSES) break;
      }
    }
    if (tcol.mode === 'hashed' || distinct.size > MAX_CLASSES) {
      return fail(
        'too-many-classes',
        msg('reading.tooManyClasses', { column: tcol.name, limit: MAX_CLASSES }),
      );
    }
    if (distinct.size < 2)
      return fail(
        'one-class',
        distinct.size === 1
          ? msg('recipe.oneClass', { column: tcol.name, value: [...distinct.keys()][0] })
          : msg('recipe.noClass', { column: tcol.name }),
      );
    classLabels = orderLabels([...distinct.keys()]);
    if (task === 'binary' && classLabels.length !== 2)
      return fail(
        'bad-settings',
        msg('recipe.notBinary', { column: tcol.name, count: classLabels.length }),
      );
    const labelIndex = new Map(classLabels.map((l, i) => [l, i]));
    classOf = new Int32Array(n).fill(-1);
    for (let r = 0; r < n; r++) {
      const t = textOf[r];
      if (t !== null) classOf[r] = labelIndex.get(t) as number;
    }
  }
  const keptList: number[] = [];
  for (let r = 0; r < n; r++)
    if (classOf ? classOf[r] >= 0 : tcol.num[r] === tcol.num[r]) keptList.push(r);
  const kept = Int32Array.from(keptList);
  const droppedRows = n - kept.length;
  const split = splitRows(kept, classOf, classLabels.length, settings);
  if (split.train.length < 2)
    return fail('split-too-small', msg('recipe.splitTooSmall', { count: split.train.length }));

  // Feature columns.
  const columns: RecipeColumn[] = [];
  const droppedColumns: Array<{ name: string; reason: DropReason }> = [];
  table.columns.forEach((col, i) => {
    if (i === ti) return;
    const rep = report.columns[i];
    const type = effectiveType(rep, settings);
    let fitted: RecipeColumn | DropReason;
    if (settings.dropped.includes(col.name)) fitted = 'dropped-by-you';
    else if (type === 'constant') fitted = rep.missing === rep.rows ? 'all-missing' : 'constant';
    else if (type === 'text') fitted = 'free-text';
    else if (type === 'id' && settings.dropIdLike) fitted = 'id-like';
    else if (type === 'numeric' || (type === 'id' && rep.numericCount >= rep.rows - rep.missing))
      fitted = fitNumeric(col, split.train, settings);
    else if (type === 'boolean') fitted = fitBoolean(col, split.train, settings);
    else fitted = fitCategorical(col, split.train, settings);
    if (typeof fitted === 'string') droppedColumns.push({ name: col.name, reason: fitted });
    else columns.push(fitted);
  });
  const featureNames = columns.flatMap(featureNamesOf);
  if (featureNames.length === 0) return fail('no-features', msg('recipe.noFeatures'));

  let targetScale: { mean: number; std: number } | null = null;
  if (task === 'regression') {
    let mean = 0;
    for (const r of split.train) mean += tcol.num[r];
    mean /= split.train.length;
    let ss = 0;
    for (const r of split.train) ss += (tcol.num[r] - mean) ** 2;
    const std = Math.sqrt(ss / split.train.length);
    targetScale = { mean, std: std > 0 ? std : 1 };
  }

  const recipe: Recipe = {
    version: 1,
    settings: structuredClone(settings),
    target: tcol.name,
    task,
    classLabels,
    targetScale,
    decimalComma: table.decimalComma,
    columns,
    droppedColumns,
    featureNames,
  };

  // Bounded memory: the matrices hold features x examples numbers (and the trainer copies them).
  if (featureNames.length * kept.length > DATA_LIMITS.featureCells) {
    const m = msg('reading.tooManyFeatures', {
      features: featureNames.length,
      examples: kept.length,
      limit: DATA_LIMITS.featureCells,
    });
    return fail('too-big', m);
  }

  const encoders = columns.map(makeEncoder);
  const colIndex = columns.map((rc) => table.columns.findIndex((c) => c.name === rc.name));
  const nY = task === 'multiclass' ? classLabels.length : 1;
  const build = (rows: Int32Array): PreparedSplit => {
    const m = rows.length;
    const x = sharedFloat32(featureNames.length * m);
    const y = sharedFloat32(nY * m);
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      let f = 0;
      for (let c = 0; c < encoders.length; c++) {
        const col = table.columns[colIndex[c]];
        encoders[c].encode(cellText(col, r), numAt(col, r), x, f, m, i);
        f += encoders[c].width;
      }
      if (task === 'regression') {
        const s = targetScale as { mean: number; std: number };
        y[i] = (tcol.num[r] - s.mean) / s.std;
      } else if (task === 'binary') y[i] = (classOf as Int32Array)[r];
      else y[(classOf as Int32Array)[r] * m + i] = 1;
    }
    return { m, x, y };
  };
  const dataset: PreparedDataset = {
    task,
    targetName: tcol.name,
    featureNames,
    classLabels,
    targetScale,
    train: build(split.train),
    dev: build(split.dev),
    test: build(split.test),
  };
  dataset.axes = informativeAxes(
    dataset,
    columns.flatMap((c, i) => Array<boolean>(encoders[i].width).fill(c.kind === 'numeric')),
  );
  const classCounts = classLabels.map((label, k) => {
    let count = 0;
    for (const r of kept) if ((classOf as Int32Array)[r] === k) count++;
    return { label, count };
  });
  return {
    ok: true,
    recipe,
    dataset,
    split,
    summary: {
      features: featureNames.length,
      train: split.train.length,
      dev: split.dev.length,
      test: split.test.length,
      droppedRows,
      classCounts,
    },
  };
}
