// The library's lists: search, sort and the one-line summary of each run and model (pure; the Library
// state and the library views call these).
import { layerSizes } from '../../../workers/core/types.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import { formatBrief } from './format.ts';

export type SortKey = 'newest' | 'oldest' | 'name' | 'best';
export const SORTS: ReadonlyArray<{ key: SortKey; label: string }> = [
  { key: 'newest', label: 'Newest first' },
  { key: 'oldest', label: 'Oldest first' },
  { key: 'name', label: 'Name' },
  { key: 'best', label: 'Best result' },
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

/** "12 of 50 epochs · loss 0.123 · accuracy 0.950": where a run got to. */
export function runSummary(r: RunRecord): string {
  const last = r.history.at(-1);
  if (!last) return 'no epoch saved yet';
  const parts = [
    `${last.epoch} of ${r.config.epochs} epochs`,
    `loss ${formatBrief(last.trainLoss)}`,
  ];
  const acc = r.final?.testAccuracy ?? last.devAccuracy;
  if (Number.isFinite(acc)) parts.push(`accuracy ${formatBrief(acc)}`);
  else if (Number.isFinite(r.final?.testRmse ?? NaN))
    parts.push(`RMSE ${formatBrief(r.final?.testRmse ?? NaN)}`);
  return parts.join(' · ');
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
