// A lesson in a link, with no server: where the data comes from (a built-in sample, a generated set
// with its options, or a file), the data settings, how the file was read and, when it fits, the file's
// bytes, packed as JSON + bytes, compressed (deflate-raw, CompressionStream) and base64url-encoded into
// the URL hash beside the training configuration (config-hash.ts). A student who opens the link gets the
// same bytes, the same prepared data and the same network and seed: the same run, bit for bit.
//
// Packed layout (before compression): 4 bytes big-endian header length, the header as UTF-8 JSON
// `{ v: 1, source, settings, parse }` (settings and parse only where they differ from the defaults),
// then the file's bytes (nothing for a sample, a generated set or a file too big for a link).
import { TASKS } from '../../../workers/core/types.ts';
import {
  DEFAULT_PARSE_OPTIONS,
  DEFAULT_RECIPE_SETTINGS,
  DEFAULT_SYNTHETIC,
  SYNTHETIC_KINDS,
  type CategoricalImpute,
  type ColumnType,
  type Delimiter,
  type NumericImpute,
  type ParseOptions,
  type RecipeSettings,
  type SyntheticKind,
  type SyntheticOptions,
} from '../../../workers/data/types.ts';
import { TABLE_SAMPLES } from '../../../workers/data/samples.ts';
import { toBase64 } from '../../../workers/store/files.ts';
import type { MessageKey, MsgParams } from '../i18n/keys.ts';

/** The most compressed data a link carries (bigger data: the lesson pack file). */
export const LINK_DATA_LIMIT = 32 * 1024;
/** The most a link's lesson may unpack to (a hostile link stops here, not in the tab's memory). */
export const UNPACKED_LIMIT = 16 * 1024 * 1024;
/** The longest lesson parameter read (base64url of a little more than the limit). */
export const PARAM_LIMIT = 96 * 1024;
export const LESSON_VERSION = 1;

export type LessonSource =
  | { kind: 'sample'; id: string }
  | { kind: 'synthetic'; synthetic: SyntheticKind; options: SyntheticOptions }
  | { kind: 'file'; name: string; type: string; size: number };

/** How a file was read: the choices that change what the parser makes of the bytes. */
export type LinkParse = Pick<ParseOptions, 'delimiter' | 'decimalComma' | 'raggedRows'>;

export interface SharedLesson {
  source: LessonSource;
  settings: RecipeSettings;
  parse: LinkParse;
  /** The file's bytes (a file source), or null when they do not travel in the link. */
  data: Uint8Array | null;
}

export interface PackedLesson {
  /** The hash parameter's value (base64url). */
  packed: string;
  /** Whether the file's bytes are in the link. */
  dataIncluded: boolean;
  /** Compressed size of the lesson with its data (what was measured against the limit). */
  compressedBytes: number;
}

/** A message for the page (a catalogue key with its parameters). */
export interface LinkMessage {
  key: MessageKey;
  params?: MsgParams;
}

export interface UnpackedLesson {
  /** The lesson, or null when the link's lesson could not be read at all. */
  lesson: SharedLesson | null;
  /** Why it could not be read (lesson is null), or null. */
  problem: LinkMessage | null;
  /** Settings that could not be read and got their default value (field names). */
  ignored: string[];
}

// ---- bytes -----------------------------------------------------------------------------------

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates, giving up (null) past `limit` bytes or on damaged data. */
async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array | null> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel();
        return null;
      }
      parts.push(value);
    }
  } catch {
    return null;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Base64url to bytes, or null when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// ---- packing ---------------------------------------------------------------------------------

/** The fields of `value` whose JSON differs from `defaults` (a short link for the usual settings). */
function changed<T extends object>(value: T, defaults: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(defaults) as Array<keyof T>)
    if (JSON.stringify(value[k]) !== JSON.stringify(defaults[k])) out[k] = value[k];
  return out;
}

function layout(header: object, data: Uint8Array | null): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + head.length + (data?.length ?? 0));
  new DataView(out.buffer).setUint32(0, head.length);
  out.set(head, 4);
  if (data) out.set(data, 4 + head.length);
  return out;
}

/** Packs a lesson for a link: with the file's bytes when they fit in `limit` compressed bytes,
 * else without them (the link then tells the student to import the lesson pack). */
export async function packLesson(
  lesson: SharedLesson,
  limit = LINK_DATA_LIMIT,
): Promise<PackedLesson> {
  const header = {
    v: LESSON_VERSION,
    source: lesson.source,
    settings: changed(lesson.settings, DEFAULT_RECIPE_SETTINGS),
    parse: changed(lesson.parse, pickParse(DEFAULT_PARSE_OPTIONS)),
  };
  const full = await deflate(layout(header, lesson.data));
  if (full.length <= limit || !lesson.data)
    return {
      packed: toBase64Url(full),
      dataIncluded: lesson.data !== null,
      compressedBytes: full.length,
    };
  const bare = await deflate(layout(header, null));
  return { packed: toBase64Url(bare), dataIncluded: false, compressedBytes: full.length };
}

export function pickParse(p: ParseOptions): LinkParse {
  return { delimiter: p.delimiter, decimalComma: p.decimalComma, raggedRows: p.raggedRows };
}

// ---- reading ---------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = 1000): v is string => typeof v === 'string' && v.length <= max;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isShare = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

// Records keyed by the types, so tsc fails when a type gains a member these checks do not know.
const COLUMN_TYPES: Record<ColumnType, true> = {
  numeric: true,
  categorical: true,
  boolean: true,
  id: true,
  constant: true,
  text: true,
};
const NUMERIC_IMPUTES: Record<NumericImpute, true> = { mean: true, median: true };
const CATEGORICAL_IMPUTES: Record<CategoricalImpute, true> = {
  most_frequent: true,
  missing_category: true,
};
const DELIMITERS: Record<Delimiter | 'auto', true> = {
  ',': true,
  ';': true,
  '\t': true,
  auto: true,
};
const has = (set: object, v: unknown): boolean => typeof v === 'string' && Object.hasOwn(set, v);

/** Each data setting's check: a link is untrusted input. */
const SETTING_CHECKS: { [K in keyof RecipeSettings]: (v: unknown) => boolean } = {
  target: (v) => v === null || isText(v),
  task: (v) => v === null || (TASKS as readonly unknown[]).includes(v),
  types: (v) =>
    Array.isArray(v) &&
    v.length <= 10_000 &&
    v.every((t) => isObj(t) && isText(t.column) && has(COLUMN_TYPES, t.type)),
  dropped: (v) => Array.isArray(v) && v.length <= 10_000 && v.every((c) => isText(c)),
  dropIdLike: (v) => typeof v === 'boolean',
  numericImpute: (v) => has(NUMERIC_IMPUTES, v),
  categoricalImpute: (v) => has(CATEGORICAL_IMPUTES, v),
  oneHotCap: (v) => isInt(v) && v >= 1 && v <= 100_000,
  standardize: (v) => typeof v === 'boolean',
  split: (v) => isObj(v) && isShare(v.train) && v.train > 0 && isShare(v.dev) && isShare(v.test),
  stratify: (v) => typeof v === 'boolean',
  seed: (v) => isInt(v),
};

const PARSE_CHECKS: { [K in keyof LinkParse]: (v: unknown) => boolean } = {
  delimiter: (v) => has(DELIMITERS, v),
  decimalComma: (v) => v === 'auto' || typeof v === 'boolean',
  raggedRows: (v) => v === 'stop' || v === 'skip',
};

/** Defaults overridden by each field of `raw` that passes its check; the others are named in `ignored`. */
function readFields<T extends object>(
  raw: unknown,
  defaults: T,
  checks: { [K in keyof T]: (v: unknown) => boolean },
  ignored: string[],
): T {
  const out = structuredClone(defaults);
  if (!isObj(raw)) {
    if (raw !== undefined) ignored.push('settings');
    return out;
  }
  for (const k of Object.keys(raw)) {
    if (!Object.hasOwn(checks, k)) continue;
    const key = k as keyof T;
    if (checks[key](raw[k])) out[key] = structuredClone(raw[k]) as T[keyof T];
    else ignored.push(k);
  }
  return out;
}

function readSource(v: unknown): LessonSource | LinkMessage {
  const damaged: LinkMessage = { key: 'share.error.damaged' };
  if (!isObj(v)) return damaged;
  if (v.kind === 'sample') {
    const id = v.id;
    if (!TABLE_SAMPLES.some((s) => s.id === id))
      return { key: 'share.error.sample', params: { id: String(id).slice(0, 40) } };
    return { kind: 'sample', id: id as string };
  }
  if (v.kind === 'synthetic') {
    if (!SYNTHETIC_KINDS.some((s) => s.kind === v.synthetic)) return damaged;
    const o = isObj(v.options) ? v.options : {};
    const options: SyntheticOptions = { ...DEFAULT_SYNTHETIC };
    if (isInt(o.n) && o.n >= 20 && o.n <= 20_000) options.n = o.n;
    if (typeof o.noise === 'number' && o.noise >= 0 && o.noise <= 1) options.noise = o.noise;
    if (isInt(o.seed)) options.seed = o.seed;
    if (isInt(o.classes) && o.classes >= 2 && o.classes <= 10) options.classes = o.classes;
    return { kind: 'synthetic', synthetic: v.synthetic as SyntheticKind, options };
  }
  if (v.kind === 'file') {
    if (!isText(v.name, 300) || !isText(v.type, 200) || !isInt(v.size)) return damaged;
    return { kind: 'file', name: v.name, type: v.type, size: v.size };
  }
  return damaged;
}

/** Reads a link's lesson parameter. Never throws: a damaged link gives a problem to show. */
export async function unpackLesson(param: string): Promise<UnpackedLesson> {
  const fail = (problem: LinkMessage): UnpackedLesson => ({ lesson: null, problem, ignored: [] });
  if (param.length > PARAM_LIMIT) return fail({ key: 'share.error.tooLong' });
  const compressed = fromBase64Url(param);
  if (!compressed) return fail({ key: 'share.error.damaged' });
  const bytes = await inflate(compressed, UNPACKED_LIMIT);
  if (!bytes) return fail({ key: 'share.error.damaged' });
  if (bytes.length < 4) return fail({ key: 'share.error.damaged' });
  const headLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  if (headLength > bytes.length - 4) return fail({ key: 'share.error.damaged' });
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + headLength)),
    );
  } catch {
    return fail({ key: 'share.error.damaged' });
  }
  if (!isObj(header)) return fail({ key: 'share.error.damaged' });
  if (header.v !== LESSON_VERSION)
    return fail({ key: 'share.error.version', params: { version: String(header.v).slice(0, 10) } });
  const source = readSource(header.source);
  if ('key' in source) return fail(source);
  const ignored: string[] = [];
  const settings = readFields(header.settings, DEFAULT_RECIPE_SETTINGS, SETTING_CHECKS, ignored);
  const parse = readFields(header.parse, pickParse(DEFAULT_PARSE_OPTIONS), PARSE_CHECKS, ignored);
  const rest = bytes.subarray(4 + headLength);
  let data: Uint8Array | null = null;
  if (source.kind === 'file' && rest.length > 0) {
    if (rest.length !== source.size) return fail({ key: 'share.error.damaged' });
    data = rest.slice();
  }
  return { lesson: { source, settings, parse, data }, problem: null, ignored };
}
