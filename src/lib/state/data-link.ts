// The library's link to the data session: the loaded file's bytes, name, report and recipe (stored
// with each run, packed into lesson packs), and loading a file or settings back (lesson packs,
// replays).
import type { HealthReport, Recipe, RecipeSettings } from '../../../workers/data/types.ts';

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
  };
}
