// The library's lists: search, sort, runs grouped by dataset and the one-line summary of each run and
// model (pure; the Library state and the library views call these).
import { layerSizes, type EpochMetrics, type TrainingState } from '../../../workers/core/types.ts';
import type { ModelRecord, RunRecord, RunStatus } from '../../../workers/store/schema.ts';
import { i18n, t } from '../i18n/i18n.svelte.ts';
import type { MessageKey } from '../i18n/keys.ts';
import { formatBrief } from './format.ts';

export type SortKey = 'newest' | 'oldest' | 'name' | 'best';
export const SORTS: ReadonlyArray<{ key: SortKey; label: MessageKey }> = [
  { key: 'newest', label: 'library.sort.newest' },
  { key: 'oldest', label: 'library.sort.oldest' },
  { key: 'name', label: 'library.sort.name' },
  { key: 'best', label: 'library.sort.best' },
];

/** The words of a search, lower case. */
export function searchWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** The text a record is searched in, lower case: built once per record (an index, not a scan of its
 * fields at every keystroke). */
export class SearchIndex<T extends object> {
  readonly #text = new WeakMap<T, string>();
  readonly #fields: (t: T) => Array<string | null | undefined>;
  constructor(fields: (t: T) => Array<string | null | undefined>) {
    this.#fields = fields;
  }
  text(t: T): string {
    let s = this.#text.get(t);
    if (s === undefined) {
      s = this.#fields(t).filter(Boolean).join(' ').toLowerCase();
      this.#text.set(t, s);
    }
    return s;
  }
  /** Builds the text of the items not indexed yet, a chunk at a time with `pause` between chunks
   *  (after a list is read, so the first keystroke of a search does not index 20,000 records). */
  async index(items: readonly T[], pause: () => Promise<void>, chunk = 1000): Promise<void> {
    for (let i = 0; i < items.length; i += chunk) {
      const end = Math.min(items.length, i + chunk);
      for (let j = i; j < end; j++) this.text(items[j]);
      if (end < items.length) await pause();
    }
  }
  /** The items (in their order) whose text holds every word of the query. */
  filter(items: readonly T[], query: string): T[] {
    const words = searchWords(query);
    if (!words.length) return [...items];
    return items.filter((t) => {
      const s = this.text(t);
      return words.every((w) => s.includes(w));
    });
  }
}

export const runIndex = new SearchIndex<RunRecord>((r) => [
  r.name,
  r.datasetName,
  r.status,
  r.targetName,
  r.config.optimizer,
]);
export const modelIndex = new SearchIndex<ModelRecord>((m) => [
  m.name,
  m.targetName,
  m.task,
  ...m.classLabels,
]);

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

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Items in the order of `key` (a new array; the sort runs once per change of list or order, not per
 * keystroke: searching filters the sorted list). */
export function sortBy<T extends { name: string; created: number }>(
  items: readonly T[],
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
      return out.sort((a, b) => collator.compare(a.name, b.name));
    case 'best': {
      const scores = new Map(out.map((t) => [t, score(t)]));
      return out.sort(
        (a, b) => (scores.get(b) as number) - (scores.get(a) as number) || b.created - a.created,
      );
    }
  }
}

export function filterRuns(runs: RunRecord[], query: string, sort: SortKey): RunRecord[] {
  return runIndex.filter(sortBy(runs, sort, runScore), query.trim());
}

export function filterModels(models: ModelRecord[], query: string, sort: SortKey): ModelRecord[] {
  return modelIndex.filter(sortBy(models, sort, modelScore), query.trim());
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
  const kept = final?.keptEpoch;
  if (kept !== undefined && kept > 0 && kept < epoch)
    parts.push(t('runs.summary.kept', { epoch: kept }));
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
  /** The runs shown (the list's pages so far). */
  runs: RunRecord[];
  /** All the group's runs in the list, shown or not yet (its count and Compare). */
  total: number;
}

/** Runs that trained on the same data belong together (by the stored dataset, else by its name). */
export function groupKey(r: RunRecord): string {
  return r.datasetHash ?? `name:${r.datasetName}`;
}

/** The runs grouped by dataset: groups in the order their first run has in `runs` (already sorted),
 *  named by the stored dataset when known (`names`: hash -> name). `all`: the whole list `runs` is the
 *  first pages of, which each group's total counts. */
export function groupRuns(
  runs: RunRecord[],
  names: ReadonlyMap<string, string>,
  all: readonly RunRecord[] = runs,
): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const r of runs) {
    const key = groupKey(r);
    let g = groups.get(key);
    if (!g) {
      const name = (r.datasetHash && names.get(r.datasetHash)) || r.datasetName || 'data';
      g = { key, name, runs: [], total: 0 };
      groups.set(key, g);
    }
    g.runs.push(r);
  }
  for (const r of all) {
    const g = groups.get(groupKey(r));
    if (g) g.total++;
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
  const three = (v: number) =>
    i18n.number(v, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  if (acc !== undefined && Number.isFinite(acc))
    return t('library.model.accuracy', { value: three(acc) });
  const rmse = m.metrics.testRmse;
  if (rmse !== undefined && Number.isFinite(rmse))
    return t('library.model.rmse', { value: three(rmse) });
  return t('library.model.noMetrics');
}
