// The library's link to the data session: the loaded file's bytes, name, report and recipe (stored
// with each run, packed into lesson packs), and loading a file or settings back (lesson packs,
// replays).
import type {
  DataProblem,
  HealthReport,
  Recipe,
  RecipeSettings,
} from '../../../workers/data/types.ts';
import type { DatasetRecord } from '../../../workers/store/schema.ts';
import type { NewDataset } from '../../../workers/store/datasets.ts';
import { problemText } from './data-problem.ts';

/** What the library needs from the data session (all optional: the library works without it). */
export interface DataLink {
  readonly recipe?: Recipe | null;
  /** The name of the loaded file or sample. */
  readonly sourceName?: string;
  /** The original bytes of a dropped file (null for a generated sample). */
  readonly file?: Blob | null;
  readonly report?: HealthReport | null;
  /** Loads a file (a lesson pack's dataset, a replay's data) as if it were dropped. */
  loadFile?(file: File): Promise<unknown>;
  /** Applies data settings (target, recipe choices) from a lesson pack, after loadFile. */
  useSettings?(settings: unknown): Promise<unknown> | void;
  /** The stored dataset (its hash) the loaded data is, once known. */
  readonly storedHash?: string | null;
  /** What to store of the loaded data, and the load it belongs to (see dataset-store.ts). */
  storable?(): Promise<{ dataset: NewDataset; load: number } | null>;
  /** The data of load `load` is stored under `hash`. */
  markStored?(hash: string, load: number): void;
  /** Loads a stored dataset with a run's recipe settings; true once prepared. */
  loadStored?(record: DatasetRecord, settings: RecipeSettings | null): Promise<boolean>;
  /** What stopped the last load or prepare, in words for students (null when nothing did). */
  readonly problem?: string | null;
}

/** The data session's parts the library reads (DatasetSession satisfies it). */
export interface DatasetSessionLike {
  readonly recipe: Recipe | null;
  readonly report: HealthReport | null;
  readonly source: { kind: string; name?: string } | null;
  /** The last dropped file as it is (null after a sample). */
  readonly file: Blob | null;
  loadFile(file: Blob & { name?: string }): Promise<void>;
  update(patch: Partial<RecipeSettings>): Promise<void>;
  readonly storedHash?: string | null;
  readonly loadProblem?: DataProblem | null;
  readonly prepareProblem?: DataProblem | null;
  storable?(): Promise<{ dataset: NewDataset; load: number } | null>;
  markStored?(hash: string, load: number): void;
  loadStored?(record: DatasetRecord, settings: RecipeSettings | null): Promise<boolean>;
}

/** A DataLink over the data session. */
export function dataLink(session: DatasetSessionLike): DataLink {
  return {
    get recipe() {
      return session.recipe;
    },
    get report() {
      return session.report;
    },
    get sourceName() {
      const s = session.source;
      return s && 'name' in s && s.name ? s.name : (session.report?.source ?? 'data');
    },
    get file() {
      return session.source?.kind === 'file' ? session.file : null;
    },
    loadFile: (f: File) => session.loadFile(f),
    useSettings: (settings: unknown) => session.update(settings as Partial<RecipeSettings>),
    get storedHash() {
      return session.storedHash ?? null;
    },
    get problem() {
      const p = session.loadProblem ?? session.prepareProblem;
      return p ? problemText(p) : null;
    },
    storable: () => session.storable?.() ?? Promise.resolve(null),
    markStored: (hash: string, load: number) => session.markStored?.(hash, load),
    loadStored: (record: DatasetRecord, settings: RecipeSettings | null) =>
      session.loadStored ? session.loadStored(record, settings) : Promise.resolve(false),
  };
}
