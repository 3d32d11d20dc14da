// The names of a run's files (chart PNGs, history CSV, the results zip): the data's name without its
// extension, kept readable in any script ("模型.loss.png"). App provides it as a context.
import { safeFileName } from '../../../workers/store/names.ts';

export const RUN_FILES = Symbol('run-files');

export interface RunFiles {
  /** The data's name (a file's or sample's), or null before any. */
  readonly source: string | null;
}

/** The data's name without its extension ("iris.csv" -> "iris"). */
export function baseOf(source: string | null | undefined): string {
  const s = (source ?? '').trim();
  const dot = s.lastIndexOf('.');
  return (dot > 0 ? s.slice(0, dot) : s) || 'backprop-lab';
}

/** A run file's name: `<data>.<part>.<ext>`, safe on every system. */
export function runFileName(files: RunFiles | undefined, part: string, ext: string): string {
  return safeFileName(`${baseOf(files?.source)}.${part}`, ext);
}

/** The name a data source's files are called by: the file's or sample's file name, or the
 * generated set's kind. */
export function dataName(
  source:
    | { kind: 'file'; name: string }
    | { kind: 'sample'; sample: { file: string } }
    | { kind: 'synthetic'; synthetic: string }
    | null,
): string | null {
  if (!source) return null;
  if (source.kind === 'file') return source.name;
  if (source.kind === 'sample') return source.sample.file.split('/').pop() ?? null;
  return source.synthetic;
}
