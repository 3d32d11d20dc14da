// The library's lists: search, sort, runs grouped by dataset and the one-line summary of each run and
// model (pure; the Library state and the library views call these).
import { layerSizes, type EpochMetrics, type TrainingState } from '../../../workers/core/types.ts';
import type { ModelRecord, RunRecord, RunStatus } from '../../../workers/store/schema.ts';
import { t } from '../i18n/i18n.svelte.ts';
import { formatBrief } from './format.ts';

export type SortKey = 'newest' | 'oldest' | 'name' | 'best';
export const SORTS: ReadonlyArray<{ key: SortKey; label: string }> = [
  { key: 'newest', label: 'Newest first' },
  { key: 'oldest', label: 'Oldest first' },
  { key: 'name', label: 'Name' },
  { key: 'best', label: 'Best result' },
];

function matches(q: string, ...fields: Array<string | null | undefined>): boolean {
  if (!q) return true;
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = fields.filter(Boolean).join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** A score where higher is better: accuracy for classification, minus the loss otherwise. */
export function runScore(r: RunRecord): number {
  const last = r.history.at(-1);
  const acc = r.final?.testAccuracy ?? r.final?.accuracy ?? last?.devAccuracy;
  if (acc !== undefined && Number.isFinite(acc)) return 1000 + acc;
  const loss = last ? (Number.isFinite(last.devLoss) ? last.devLoss : last.trainLoss) : NaN;
  return Number.isFinite(loss) ? -loss : -Infinity;
}

export function modelScore(m: ModelRecord): number {
  const acc = m.metrics.testAccuracy ?? m.metrics.accuracy;
  if (acc !== undefined && Number.isFinite(acc)) return 1000 + acc;
  const r2 = m.metrics.testR2 ?? m.metrics.r2;
  if (r2 !== undefined && Number.isFinite(r2)) return r2;
  return -Infinity;
}

function sortBy<T extends { name: string; created: number }>(
  items: T[],
  key: SortKey,
  score: (t: T) => number,
): T[] {
  const out = [...items];
  switch (key) {
    case 'newest':
      return out.sort((a, b) => b.created - a.created);
    case 'oldest':
      return out.sort((a, b) => a.created - b.created);
    case 'name':
      return out.sort((a, b) =>
        a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }),
      );
    case 'best':
      return out.sort((a, b) => score(b) - score(a) || b.created - a.created);
  }
}

export function filterRuns(runs: RunRecord[], query: string, sort: SortKey): RunRecord[] {
  const q = query.trim();
  return sortBy(
    runs.filter((r) =>
      matches(q, r.name, r.datasetName, r.status, r.targetName, r.config.optimizer),
    ),
    sort,
    runScore,
  );
}

export function filterModels(models: ModelRecord[], query: string, sort: SortKey): ModelRecord[] {
  const q = query.trim();
  return sortBy(
    models.filter((m) => matches(q, m.name, m.targetName, m.task, ...m.classLabels)),
    sort,
    modelScore,
  );
}

/** "12 of 50 epochs · loss 0.123 · accuracy 0.950": where a run got to (`epoch`: epochs done, which
 *  the training area may count ahead of the last saved row). */
export function progressSummary(
  epoch: number,
  epochs: number,
  last: EpochMetrics | null | undefined,
  final: RunRecord['final'] = null,
): string {
  if (!last)
    return epoch > 0 ? t('runs.summary.epochs', { epoch, epochs }) : t('runs.summary.none');
  const parts = [
    t('runs.summary.epochs', { epoch, epochs }),
    t('runs.summary.loss', { value: formatBrief(last.trainLoss) }),
  ];
  const acc = final?.testAccuracy ?? last.devAccuracy;
  if (Number.isFinite(acc)) parts.push(t('runs.summary.accuracy', { value: formatBrief(acc) }));
  else if (Number.isFinite(final?.testRmse ?? NaN))
    parts.push(t('runs.summary.rmse', { value: formatBrief(final?.testRmse ?? NaN) }));
  return parts.join(' · ');
}

export function runSummary(r: RunRecord): string {
  const last = r.history.at(-1);
  return progressSummary(last?.epoch ?? 0, r.config.epochs, last, r.final);
}

/** The run status the training area's state means for the run it trains (null: nothing to say, the
 *  stored status stands: idle or preparing, or a run a closed tab cut short). */
export function liveStatus(state: TrainingState): RunStatus | null {
  switch (state) {
    case 'running':
    case 'paused':
      return 'running';
    case 'done':
      return 'completed';
    case 'stopped':
    case 'diverged':
      return state;
    default:
      return null;
  }
}

/** A run status in words. */
export function statusText(s: RunStatus): string {
  const key = {
    running: 'runs.status.running',
    completed: 'runs.status.completed',
    stopped: 'runs.status.stopped',
    diverged: 'runs.status.diverged',
    interrupted: 'runs.status.interrupted',
  } as const;
  return t(key[s]);
}

/** The model a run keeps (its last saved weights) in a few words: "network 4-8-3 · test accuracy
 *  0.967". */
export function runModelText(r: RunRecord): string {
  const shape = r.spec ? layerSizes(r.spec).join('-') : '?';
  const acc = r.final?.testAccuracy;
  const rmse = r.final?.testRmse;
  const result =
    acc !== undefined && Number.isFinite(acc)
      ? t('runs.result.accuracy', { value: acc.toFixed(3) })
      : rmse !== undefined && Number.isFinite(rmse)
        ? t('runs.result.rmse', { value: rmse.toFixed(3) })
        : t('runs.result.epoch', { epoch: r.checkpointEpoch });
  return t('runs.model', { shape, result });
}

/** The runs of one dataset, in the list's order. */
export interface RunGroup {
  key: string;
  name: string;
  runs: RunRecord[];
}

/** Runs that trained on the same data belong together (by the stored dataset, else by its name). */
export function groupKey(r: RunRecord): string {
  return r.datasetHash ?? `name:${r.datasetName}`;
}

/** The runs grouped by dataset: groups in the order their first run has in `runs` (already sorted),
 *  named by the stored dataset when known (`names`: hash -> name). */
export function groupRuns(runs: RunRecord[], names: ReadonlyMap<string, string>): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const r of runs) {
    const key = groupKey(r);
    let g = groups.get(key);
    if (!g) {
      const name = (r.datasetHash && names.get(r.datasetHash)) || r.datasetName || 'data';
      g = { key, name, runs: [] };
      groups.set(key, g);
    }
    g.runs.push(r);
  }
  return [...groups.values()];
}

/** A kept model of these weights of the run: same run, same epoch. */
export function keptModelOf(models: readonly ModelRecord[], r: RunRecord): ModelRecord | undefined {
  return models.find((m) => m.runId === r.id && m.metrics.epoch === r.checkpointEpoch);
}

/** The layer sizes of a model's network, "2-8-1". */
export function modelShape(m: ModelRecord): string {
  return layerSizes(m.network.spec).join('-');
}

/** A model's test result in a few words. */
export function modelMetrics(m: ModelRecord): string {
  const acc = m.metrics.testAccuracy;
  if (acc !== undefined && Number.isFinite(acc)) return `test accuracy ${acc.toFixed(3)}`;
  const rmse = m.metrics.testRmse;
  if (rmse !== undefined && Number.isFinite(rmse)) return `test RMSE ${rmse.toFixed(3)}`;
  return 'no test metrics';
}
