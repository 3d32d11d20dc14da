// A run's results as files: its history and test results as CSV (headers in the user's language),
// each chart as PNG, and all of them as one zip (fflate, loaded when first needed).
import type { EpochMetrics, Task, TestMetrics } from '../../../../workers/core/types.ts';
import type { ZipEntry } from '../../../../workers/store/zip.ts';
import { historyCsv, testCsv, type HistoryField, type TestWords } from '../../state/run-outputs.ts';
import { checkAborted, type ActionStep } from '../../state/long-action.svelte.ts';
import { chartFigures, chartPng } from '../train/chart-image.ts';
import { runFileName, type RunFiles } from '../run-files.ts';
import { t } from '../../i18n/i18n.svelte.ts';

const HISTORY_LABELS: Record<HistoryField, Parameters<typeof t>[0]> = {
  epoch: 'report.column.epoch',
  trainLoss: 'report.column.trainLoss',
  devLoss: 'report.column.devLoss',
  trainAccuracy: 'report.column.trainAccuracy',
  devAccuracy: 'report.column.devAccuracy',
  trainRmse: 'report.column.trainRmse',
  devRmse: 'report.column.devRmse',
  examplesPerSecond: 'report.column.examplesPerSecond',
  elapsedMs: 'report.column.elapsedMs',
};

/** The history CSV with the headers in the current language. */
export function historyText(history: readonly EpochMetrics[], task: Task): string {
  return historyCsv(history, task, (f) => t(HISTORY_LABELS[f]));
}

export function testText(test: TestMetrics): string {
  const w: TestWords = {
    class: t('report.test.class'),
    precision: t('report.test.precision'),
    recall: t('report.test.recall'),
    examples: t('report.test.examples'),
    metric: t('report.test.metric'),
    value: t('report.test.value'),
    corner: t('report.confusion.corner'),
    rmse: 'RMSE',
    mae: 'MAE',
    r2: 'R²',
    accuracy: t('report.test.accuracy'),
  };
  return testCsv(test, w);
}

export interface ResultsInput {
  files: RunFiles | undefined;
  history: readonly EpochMetrics[];
  task: Task;
  test: TestMetrics | null;
}

/** The run's files: history, test results, and a PNG per chart on the page. */
export async function resultEntries(
  r: ResultsInput,
  step: ActionStep,
  signal: AbortSignal,
): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [
    { name: runFileName(r.files, 'history', 'csv'), data: historyText(r.history, r.task) },
  ];
  if (r.test) entries.push({ name: runFileName(r.files, 'test', 'csv'), data: testText(r.test) });
  step();
  for (const figure of chartFigures()) {
    checkAborted(signal);
    const png = await chartPng(figure);
    if (png)
      entries.push({
        name: runFileName(r.files, figure.dataset.chart ?? 'chart', 'png'),
        data: new Uint8Array(await png.arrayBuffer()),
      });
    step();
  }
  return entries;
}

/** All the run's files as one zip. */
export async function resultsZip(
  r: ResultsInput,
  step: ActionStep,
  signal: AbortSignal,
): Promise<Uint8Array<ArrayBuffer>> {
  const entries = await resultEntries(r, step, signal);
  checkAborted(signal);
  const { zipFiles } = await import('../../../../workers/store/zip.ts');
  const zip = zipFiles(entries);
  step();
  return zip;
}

/** Steps of resultsZip for `charts` charts (for the progress bar). */
export function resultsSteps(): number {
  return chartFigures().length + 2;
}
