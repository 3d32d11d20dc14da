// The data worker's one API object. It keeps the loaded table (typed columns, never the text) and the
// raw File for re-reading; the page gets the health report and prepared datasets, and predictions with
// a saved model (predict/api.ts).
import type { PreparedDataset } from './prepared.ts';
import { msg } from '../messages/index.ts';
import { detailOf, isOutOfMemory, msgProblem, parseCsv, type Table } from './parse.ts';
import { predictApi } from './predict/api.ts';
import { release } from './proxy.ts';
import {
  applyRecipe as applyRecipeToRows,
  effectiveType,
  fitRecipe,
  inferTask,
  type RawRow,
} from './recipe.ts';
import { buildReport } from './report.ts';
import { syntheticTable } from './synthetic.ts';
import { applyFix, computeWarnings } from './warnings.ts';
import type {
  ColumnType,
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
} from './types.ts';

let table: Table | null = null;
let report: HealthReport | null = null;
let file: Blob | null = null;
let fileName = '';
/** Each load gets a number; a newer load (or cancel()) makes older ones stop and never publish. */
let generation = 0;
let cancelledGeneration = -1;

function storedBytes(t: Table): number {
  let n = 0;
  for (const c of t.columns) n += c.num.byteLength + (c.codes ? c.codes.byteLength : 0);
  return n;
}

async function load(
  blob: Blob,
  name: string,
  options: Partial<ParseOptions>,
  onProgress?: (p: ParseProgress) => void,
): Promise<Result<{ report: HealthReport }>> {
  try {
    return await loadTable(blob, name, options, onProgress);
  } finally {
    release(onProgress);
  }
}

async function loadTable(
  blob: Blob,
  name: string,
  options: Partial<ParseOptions>,
  onProgress?: (p: ParseProgress) => void,
): Promise<Result<{ report: HealthReport }>> {
  const mine = ++generation;
  const res = await parseCsv(blob, name, options, {
    onProgress,
    cancelled: () => mine !== generation || cancelledGeneration === mine,
  });
  if (!res.ok) return res;
  if (mine !== generation) return msgProblem('cancelled', msg('reading.replaced'));
  try {
    table = res.table;
    report = buildReport(table);
  } catch (e) {
    table = null;
    report = null;
    if (isOutOfMemory(e)) return msgProblem('out-of-memory', msg('reading.outOfMemory'));
    throw e;
  }
  return { ok: true, report };
}

export const dataApi = {
  /** Reads a CSV file (streamed in chunks); progress is reported through the callback, at most every 50 ms. */
  async loadFile(
    blob: Blob,
    name: string,
    options: Partial<ParseOptions> = {},
    onProgress?: (p: ParseProgress) => void,
  ): Promise<Result<{ report: HealthReport }>> {
    file = blob;
    fileName = name;
    return load(blob, name, options, onProgress);
  },

  /** Reads the last file again with other options (delimiter, decimal comma, skipping ragged rows). */
  async reread(
    options: Partial<ParseOptions>,
    onProgress?: (p: ParseProgress) => void,
  ): Promise<Result<{ report: HealthReport }>> {
    if (!file) return msgProblem('no-data', msg('reading.noFile'));
    return load(file, fileName, options, onProgress);
  },

  /** Fetches a bundled sample (an absolute URL of this origin) and reads it like a file. */
  async loadUrl(
    url: string,
    name: string,
    options: Partial<ParseOptions> = {},
  ): Promise<Result<{ report: HealthReport }>> {
    let blob: Blob;
    try {
      const res = await fetch(url);
      if (!res.ok)
        return msgProblem('read-failed', msg('reading.sampleHttp', { name, status: res.status }));
      blob = await res.blob();
    } catch (e) {
      return msgProblem('read-failed', msg('reading.sampleFailed', { name, detail: detailOf(e) }));
    }
    file = blob;
    fileName = name;
    return load(blob, name, options);
  },

  /** A generated two-feature set (x1, x2, label). */
  loadSynthetic(
    kind: SyntheticKind,
    options: Partial<SyntheticOptions> = {},
  ): Result<{ report: HealthReport }> {
    file = null;
    generation++;
    table = syntheticTable(kind, options);
    report = buildReport(table);
    return { ok: true, report };
  },

  /** Stops a file being read; the pending load answers with a 'cancelled' problem. */
  cancel(): void {
    cancelledGeneration = generation;
  },

  /** Fits the recipe and builds the design matrices (in shared memory when the page is isolated). */
  prepare(
    settings: RecipeSettings,
  ): Result<{ recipe: Recipe; dataset: PreparedDataset; summary: PrepareSummary }> {
    if (!table || !report) return msgProblem('no-data', msg('reading.noData'));
    try {
      const res = fitRecipe(table, report, settings);
      if (!res.ok) return res;
      return { ok: true, recipe: res.recipe, dataset: res.dataset, summary: res.summary };
    } catch (e) {
      // A matrix that does not fit is a message, and the table stays loaded for other settings.
      if (isOutOfMemory(e)) return msgProblem('out-of-memory', msg('reading.outOfMemoryPrepare'));
      throw e;
    }
  },

  /** The loaded table through these settings: warnings (exact class counts from `summary`, the last
   * prepare's, when it is for the same target), each column's type and the inferred task. */
  describe(settings: RecipeSettings, summary: PrepareSummary | null = null): RecipeView {
    if (!report) return { warnings: [], types: {}, inferredTask: null };
    const types: Record<string, ColumnType> = {};
    for (const col of report.columns) types[col.name] = effectiveType(col, settings);
    const target = report.columns.find((c) => c.name === settings.target);
    return {
      warnings: computeWarnings(report, settings, summary),
      types,
      inferredTask: target ? inferTask(target, types[target.name]) : null,
    };
  },

  /** The settings after a warning's fix. */
  applyFix(settings: RecipeSettings, fix: Fix): RecipeSettings {
    return applyFix(settings, fix);
  },

  /** The features of new raw rows (prediction on new data). */
  applyRecipe(
    recipe: Recipe,
    rows: RawRow[],
    header: string[] | null = null,
  ): { x: Float32Array; m: number; nX: number } {
    return applyRecipeToRows(recipe, rows, header);
  },

  /** Memory facts for the loaded table: bytes held by typed columns, and the worker's JS heap when the browser tells. */
  memory(): { storedBytes: number; rows: number; columns: number; heapUsed: number | null } {
    const perf = globalThis.performance as Performance & { memory?: { usedJSHeapSize: number } };
    return {
      storedBytes: table ? storedBytes(table) : 0,
      rows: table ? table.rows : 0,
      columns: table ? table.columns.length : 0,
      heapUsed: perf.memory ? perf.memory.usedJSHeapSize : null,
    };
  },

  /** Prediction with a saved model: modelInputs, predictRow, predictFile, cancelPrediction. */
  ...predictApi,
};
