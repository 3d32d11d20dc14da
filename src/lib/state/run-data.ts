// A run and its data: storing the dataset a run trains on (once per content, with how it was read and
// prepared), and making sure the data loaded is a run's own before it continues or replays, loading
// the stored dataset with the run's recipe settings when it is not (one click, online or offline).
import type { LabStore } from '../../../workers/store/store.ts';
import type { RunRecord } from '../../../workers/store/schema.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { RecipeSettings } from '../../../workers/data/types.ts';
import { getDataset, putDataset } from '../../../workers/store/datasets.ts';
import { t } from '../i18n/i18n.svelte.ts';
import type { DataLink } from './data-link.ts';

/** Stores the loaded data for a run (see DatasetSession.storable) and returns its hash, or null when
 *  there is nothing to store. The data session learns the hash, so a later continue knows its data. */
export async function storeRunData(store: LabStore, data: DataLink | null): Promise<string | null> {
  if (!data) return null;
  if (data.storable) {
    const s = await data.storable();
    if (!s) return null;
    const record = await putDataset(store, s.dataset);
    data.markStored?.(record.hash, s.load);
    return record.hash;
  }
  if (!data.file) return null;
  const record = await putDataset(store, {
    name: data.sourceName ?? 'data.csv',
    bytes: data.file,
    summary: data.report ? structuredClone(data.report) : null,
    type: data.file.type || 'text/csv',
  });
  return record.hash;
}

/** Plain data compared by value, object keys in any order. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export function sameSettings(a: RecipeSettings | null, b: RecipeSettings | null): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** True when the prepared data has the run's features and target, in order. */
export function fitsRun(ds: PreparedDataset | null, run: RunRecord): boolean {
  return (
    !!ds &&
    ds.targetName === run.targetName &&
    ds.featureNames.length === run.featureNames.length &&
    ds.featureNames.every((f, i) => f === run.featureNames[i])
  );
}

/** True when the data loaded now is the run's own: the same stored dataset (when the run knows it),
 *  the same recipe settings (when it has a recipe), the same features and target. */
export function isRunData(ds: PreparedDataset | null, data: DataLink | null, run: RunRecord) {
  if (!fitsRun(ds, run)) return false;
  if (run.datasetHash && data?.storedHash !== run.datasetHash) return false;
  if (run.recipe && data?.recipe && !sameSettings(run.recipe.settings, data.recipe.settings))
    return false;
  return true;
}

/** What loading the run's data needs from the library. */
export interface RunDataHost {
  store: LabStore;
  dataset(): PreparedDataset | null;
  data: DataLink | null;
  /** The button pressed, in words ("Continue", "Replay"), for the messages. */
  action: string;
  /** Lets the page take the new data in (its effects run) before training starts. */
  settle(): Promise<void>;
}

/** Makes the run's data the loaded data: nothing to do when it already is; else its stored dataset
 *  is loaded with the run's recipe settings. Throws, in words for students, when that cannot be. */
export async function ensureRunData(host: RunDataHost, run: RunRecord): Promise<void> {
  const { data, action } = host;
  if (isRunData(host.dataset(), data, run)) return;
  const record = run.datasetHash ? await getDataset(host.store, run.datasetHash) : undefined;
  const loadFirst = () =>
    new Error(t('runs.error.loadData', { run: run.name, dataset: run.datasetName || '—', action }));
  if (!record || !data?.loadStored) {
    // A run recorded before its data was kept: its data may still be loaded by hand.
    if (fitsRun(host.dataset(), run) && !run.datasetHash) return;
    throw loadFirst();
  }
  const ok = await data.loadStored(record, run.recipe?.settings ?? record.settings ?? null);
  await host.settle();
  if (!ok)
    throw new Error(
      t('runs.error.dataFailed', { run: run.name, problem: data.problem ?? '', action }),
    );
  if (!fitsRun(host.dataset(), run))
    throw new Error(
      t('runs.error.dataChanged', { run: run.name, count: run.featureNames.length, action }),
    );
}
