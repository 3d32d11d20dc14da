// The data session and the library's stored datasets: what to store of the loaded data (its bytes, or
// a generated set's description, with the reading options and recipe settings), and loading a stored
// dataset back with a run's settings so that the run continues or replays without a data step.
import type { HealthReport, ParseOptions, Recipe } from '../../../workers/data/types.ts';
import { DEFAULT_PARSE_OPTIONS } from '../../../workers/data/types.ts';
import { TABLE_SAMPLES } from '../../../workers/data/samples.ts';
import type { DatasetRecord } from '../../../workers/store/schema.ts';
import {
  SYNTHETIC_TYPE,
  fullSyntheticOptions,
  sourceOf,
  syntheticFile,
  type NewDataset,
} from '../../../workers/store/datasets.ts';
import type { DataSource } from './data-backend.ts';

/** The parts of the data session this module reads. */
export interface StorableSession {
  readonly source: DataSource | null;
  readonly report: HealthReport | null;
  readonly recipe: Recipe | null;
  readonly file: Blob | null;
  readonly parseOptions: ParseOptions;
}

/** What to store of the loaded data, or null when nothing is loaded (or a sample cannot be read).
 *  Plain copies: the session's fields may be runes state. */
async function fetchBytes(url: string): Promise<Blob> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.blob();
}

export async function storableData(
  s: StorableSession,
  baseUrl: string,
  read: (url: string) => Promise<Blob> = fetchBytes,
): Promise<NewDataset | null> {
  const src = s.source;
  const report = s.report;
  if (!src || !report) return null;
  const common = {
    summary: structuredClone(report),
    parseOptions: {
      ...s.parseOptions,
      valueTokens: s.parseOptions.valueTokens.map(({ column, token }) => ({ column, token })),
    },
    settings: s.recipe ? structuredClone(s.recipe.settings) : null,
  };
  if (src.kind === 'file') {
    if (!s.file) return null;
    const type = s.file.type || 'text/csv';
    return { ...common, name: src.name, type, bytes: s.file, source: { kind: 'file' } };
  }
  if (src.kind === 'sample') {
    try {
      const bytes = await read(new URL(src.sample.file, baseUrl).href);
      const source = { kind: 'sample', id: src.sample.id } as const;
      return { ...common, name: src.sample.title, type: 'text/csv', bytes, source };
    } catch {
      return null;
    }
  }
  const bytes = syntheticFile(src.synthetic, src.options);
  return {
    ...common,
    name: report.source,
    type: SYNTHETIC_TYPE,
    bytes,
    source: {
      kind: 'synthetic',
      synthetic: src.synthetic,
      options: fullSyntheticOptions(src.options),
    },
  };
}

/** How the session reads a stored dataset: where it came from, the column to predict when no
 *  settings are given, and the read itself (the data worker's loadFile or loadSynthetic). */
export interface StoredLoad {
  source: DataSource;
  target: string | null;
  file: (Blob & { name?: string }) | null;
  parseOptions: ParseOptions;
  read: 'file' | 'synthetic';
}

/** What loading a stored dataset means for the session: a bundled sample keeps its title and licence
 *  but is read from the stored bytes (it works offline), a file is read as dropped, a generated set is
 *  generated again from its description. */
export async function storedLoad(record: DatasetRecord): Promise<StoredLoad> {
  const src = await sourceOf(record);
  const parseOptions = { ...DEFAULT_PARSE_OPTIONS, ...(record.parseOptions ?? {}) };
  if (src.kind === 'synthetic')
    return {
      source: { kind: 'synthetic', synthetic: src.synthetic, options: { ...src.options } },
      target: 'label',
      file: null,
      parseOptions: { ...DEFAULT_PARSE_OPTIONS },
      read: 'synthetic',
    };
  const sample = src.kind === 'sample' ? TABLE_SAMPLES.find((x) => x.id === src.id) : undefined;
  if (sample)
    return {
      source: { kind: 'sample', sample },
      target: sample.target,
      file: null,
      parseOptions,
      read: 'file',
    };
  const file = new File([record.file], record.name, { type: record.type || 'text/csv' });
  return {
    source: { kind: 'file', name: record.name },
    target: null,
    file,
    parseOptions,
    read: 'file',
  };
}
