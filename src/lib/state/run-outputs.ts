// What a teacher takes away from a run as files: its history (one row per epoch) and its test
// results as CSV, written by the formula-safe writer (workers/store/csv.ts) so a class label such as
// "=1+1" stays text in a spreadsheet. Column headers come from the page's catalogue (`label`).
import {
  EPOCH_FIELDS,
  type EpochMetrics,
  type Task,
  type TestMetrics,
} from '../../../workers/core/types.ts';
import { toCsv, type Cell } from '../../../workers/store/csv.ts';

export type HistoryField = (typeof EPOCH_FIELDS)[number];

/** The history's columns for a task (the other task's score columns would be empty). */
export function historyFields(task: Task): HistoryField[] {
  const other: HistoryField[] =
    task === 'regression' ? ['trainAccuracy', 'devAccuracy'] : ['trainRmse', 'devRmse'];
  return EPOCH_FIELDS.filter((f) => !other.includes(f));
}

/** One row per epoch, every number exactly as the run computed it (NaN: an empty cell). */
export function historyCsv(
  history: readonly EpochMetrics[],
  task: Task,
  label: (field: HistoryField) => string,
): string {
  const fields = historyFields(task);
  return toCsv(
    fields.map(label),
    history.map((r) => fields.map((f) => r[f])),
  );
}

export interface TestWords {
  /** Header of the per-class table's first column, of the value column, ... */
  class: string;
  precision: string;
  recall: string;
  examples: string;
  metric: string;
  value: string;
  /** The confusion matrix's corner cell ("actual \ predicted"). */
  corner: string;
  rmse: string;
  mae: string;
  r2: string;
  accuracy: string;
}

/** The test results: per class precision, recall and examples then the confusion matrix
 * (classification), or RMSE, MAE, R² and the number of examples (regression). */
export function testCsv(test: TestMetrics, w: TestWords): string {
  if (test.task === 'regression') {
    const r = test.regression;
    return toCsv(
      [w.metric, w.value],
      [
        [w.rmse, r.rmse],
        [w.mae, r.mae],
        [w.r2, r.r2],
        [w.examples, r.m],
      ],
    );
  }
  const c = test.classification;
  const rows: Cell[][] = test.labels.map((label, i) => [
    label,
    c.precision[i],
    c.recall[i],
    c.support[i],
  ]);
  rows.push([w.accuracy, c.accuracy, '', c.m]);
  rows.push([]);
  rows.push([w.corner, ...test.labels]);
  test.labels.forEach((label, i) => rows.push([label, ...(c.confusion[i] ?? [])]));
  return toCsv([w.class, w.precision, w.recall, w.examples], rows);
}
