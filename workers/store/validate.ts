// Checks run BEFORE anything is allocated from an imported file or stored: the size of a file (never
// read when too big), safe JSON (no __proto__ keys, truncation explained), and the schemas of
// schemas/ (valibot): each parse* turns an unknown value into a typed one or throws an ImportError
// whose message names the field's path and says what was expected.
import type * as v from 'valibot';
import type { NetworkSpec, SerializedNetwork, TrainConfig } from '../core/types.ts';
import type { Recipe } from '../data/types.ts';
import { MessageError, type Msg } from '../messages/index.ts';
import { LIMITS, MB } from './limits.ts';
import {
  NetworkSchema,
  RecipeSchema,
  SpecSchema,
  TrainConfigSchema,
  parseOr,
  parameterCount,
} from './schemas/index.ts';

export { LIMITS, MB, parameterCount };

/** A file refused: `msg` says which field and what was expected. */
export class ImportError extends MessageError {
  constructor(m: Msg) {
    super(m);
    this.name = 'ImportError';
  }
}

function refuse(m: Msg): never {
  throw new ImportError(m);
}

/** `schema`'s output for `value`, or an ImportError naming the first problem's path from `root`. */
export function parseWith<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  root: string,
): v.InferOutput<S> {
  return parseOr(schema, value, root, refuse);
}

export type FileKind = 'model' | 'run' | 'lesson' | 'backup';

/** A size for messages: "12.5 MB". */
export function mbText(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

/** Refuses a file by its size alone (File.size), so a huge file is never read. */
export function checkFileSize(
  file: { size: number; name?: string },
  kind: FileKind | 'anyFile' = 'anyFile',
): void {
  const limit = LIMITS[kind];
  const name = file.name ?? 'file';
  if (!Number.isFinite(file.size) || file.size < 0) refuse({ key: 'store.file.noSize' });
  if (file.size === 0) refuse({ key: 'store.file.empty', params: { name } });
  if (file.size > limit)
    refuse({
      key: 'store.file.tooLarge',
      params: { name, size: mbText(file.size), max: mbText(limit), kind },
    });
}

/** Keys that could reach an object's prototype if a file were merged into an object carelessly. The
 * schemas copy checked fields into new objects, so "constructor" or "prototype" keys are harmless (a
 * column may be called that); "__proto__" never appears in our files and is refused outright. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

/** JSON.parse that rejects __proto__ keys and explains truncated or broken JSON (`whole`: the text is a
 * whole file, so one that stops mid-way was cut short). */
export function parseJsonSafely(text: string, whole = true): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) refuse({ key: 'store.file.proto', params: { key } });
      return value;
    });
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const trimmed = text.trimEnd();
    const truncated = whole && trimmed.length > 0 && !/[}\]]$/.test(trimmed);
    return refuse(
      truncated
        ? { key: 'store.file.truncated' }
        : {
            key: 'store.file.badJson',
            params: { detail: (e instanceof Error ? e.message : String(e)).slice(0, 120) },
          },
    );
  }
}

// ---- the checks by part, for code that holds one part of a record

export function parseNetwork(v: unknown, root = 'network'): SerializedNetwork {
  return parseWith(NetworkSchema, v, root);
}

export function parseSpec(v: unknown, root = 'spec'): NetworkSpec {
  return parseWith(SpecSchema, v, root);
}

export function parseTrainConfig(v: unknown, root = 'config'): TrainConfig {
  return parseWith(TrainConfigSchema, v, root);
}

export function parseRecipe(v: unknown, root = 'recipe'): Recipe | null {
  return v === null || v === undefined ? null : parseWith(RecipeSchema, v, root);
}
