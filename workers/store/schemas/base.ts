// The building blocks of the file schemas (valibot): bounded texts and lists, numbers in a range, unique
// lists, and the translation of a schema's first issue into a message that names the field's path
// ("model.recipe.columns[1].categories is missing") and says what was expected.
import * as v from 'valibot';
import type { FieldRange } from '../../core/types.ts';
import type { Msg, MsgParams, WorkerMessageKey } from '../../messages/index.ts';

// ---- messages of custom checks

const TAG = '\u0001';

/** The message of a custom check: a catalogue key and its parameters (the path is added later). */
export function says(key: WorkerMessageKey, params: MsgParams = {}): string {
  return TAG + JSON.stringify({ key, params });
}

/** A short, safe rendering of any value for a message: at most 40 characters. */
export function shown(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    s = Object.prototype.toString.call(value);
  }
  return s.length > 40 ? `${s.slice(0, 39)}\u2026` : s;
}

/** The kind of a value, as the messages name it. */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return 'other';
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'number',
  array: 'list',
  object: 'object',
  boolean: 'boolean',
  null: 'null',
};

/** `root` followed by the issue's path: `model.recipe.columns[1].categories`. */
export function pathText(root: string, path: readonly v.IssuePathItem[] | undefined): string {
  let s = root;
  for (const item of path ?? []) {
    const k: unknown = item.key;
    if (typeof k === 'number') s += `[${k}]`;
    else if (typeof k === 'string')
      s += /^[A-Za-z_$][\w$]*$/.test(k) ? (s ? `.${k}` : k) : `[${JSON.stringify(shown(k))}]`;
  }
  return s || 'file';
}

/** The options of a picklist, literal or variant issue: `("a" | "b")` -> `a, b`. */
function options(expected: string | null): string {
  if (!expected) return '';
  return expected
    .replace(/^\(|\)$/g, '')
    .split(' | ')
    .map((o) => o.replace(/^"|"$/g, ''))
    .join(', ');
}

/** The message for a schema issue, its path starting at `root`. */
export function issueMsg(issue: v.BaseIssue<unknown>, root: string): Msg {
  const path = pathText(root, issue.path);
  if (issue.message.startsWith(TAG)) {
    const m = JSON.parse(issue.message.slice(1)) as { key: WorkerMessageKey; params: MsgParams };
    return { key: m.key, params: { path, ...m.params } };
  }
  const input = issue.input;
  const req = (issue as { requirement?: unknown }).requirement;
  switch (issue.type) {
    case 'max_length':
      return typeof input === 'string'
        ? {
            key: 'store.file.textTooLong',
            params: { path, length: input.length, max: Number(req) },
          }
        : {
            key: 'store.file.listTooLong',
            params: { path, length: (input as unknown[]).length, max: Number(req) },
          };
    case 'min_length':
      return typeof input === 'string'
        ? { key: 'store.file.textEmpty', params: { path } }
        : { key: 'store.file.listTooShort', params: { path, min: Number(req) } };
    case 'finite':
      return { key: 'store.file.notFinite', params: { path } };
    case 'integer':
      return { key: 'store.file.notWhole', params: { path, value: shown(input) } };
    case 'min_value':
    case 'gt_value':
      return {
        key: issue.type === 'min_value' ? 'store.file.tooSmall' : 'store.file.notMoreThan',
        params: { path, value: shown(input), min: Number(req) },
      };
    case 'max_value':
    case 'lt_value':
      return {
        key: issue.type === 'max_value' ? 'store.file.tooBig' : 'store.file.notLessThan',
        params: { path, value: shown(input), max: Number(req) },
      };
    case 'picklist':
    case 'literal':
    case 'variant':
      if (input === undefined) return { key: 'store.file.missing', params: { path } };
      return {
        key: 'store.file.option',
        params: { path, value: shown(input), options: options(issue.expected) },
      };
    default:
      if (input === undefined) return { key: 'store.file.missing', params: { path } };
      return {
        key: 'store.file.type',
        params: { path, expected: EXPECTED[issue.type] ?? 'other', received: kindOf(input) },
      };
  }
}

// ---- schemas

/** Text of at most `max` characters. */
export const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
/** Text of 1 to `max` characters. */
export const filled = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
/** A list of at most `max` items. */
export const list = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item), v.maxLength(max));
/** A finite number. */
export const finite = v.pipe(v.number(), v.finite());
/** A finite number at least `min`. */
export const atLeast = (min: number) => v.pipe(v.number(), v.finite(), v.minValue(min));
/** A whole number at least `min`. */
export const count = (min = 0) => v.pipe(v.number(), v.integer(), v.minValue(min));
/** A whole number between `min` and `max`. */
export const whole = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/** A number in a FieldRange (core's limits of the editor). */
export function inRange(r: FieldRange) {
  return v.pipe(
    v.number(),
    v.finite(),
    v.check(
      (x) => !r.integer || Number.isInteger(x),
      (issue) => says('store.file.notWhole', { value: shown(issue.input) }),
    ),
    r.minInclusive ? v.minValue(r.min) : v.gtValue(r.min),
    r.maxInclusive ? v.maxValue(r.max) : v.ltValue(r.max),
  );
}

/** A metric: a finite number, or NaN where it does not apply (null in JSON, read back as NaN). */
export const metric = v.pipe(
  v.custom<number | null>(
    (x) => x === null || typeof x === 'number',
    (issue) => says('store.file.type', { expected: 'number', received: kindOf(issue.input) }),
  ),
  v.check((x) => x === null || !(x === Infinity || x === -Infinity), says('store.file.notFinite')),
  v.transform((x): number => (x === null ? NaN : x)),
);

/** The index of the first repeated entry of a list, or -1. */
export function firstRepeat(items: readonly string[], fold = (s: string) => s): number {
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const k = fold(items[i]);
    if (seen.has(k)) return i;
    seen.add(k);
  }
  return -1;
}

/** A path item for issues added by a raw check. */
export function at(key: string | number, input: unknown): v.IssuePathItem {
  return {
    type: 'object',
    origin: 'value',
    input: input as Record<string, unknown>,
    key,
    value: undefined,
  } as v.IssuePathItem;
}

/** A list of texts in which no entry repeats (class labels, categories, column names). */
export const uniqueTexts = (item: v.GenericSchema<unknown, string>, max: number) =>
  v.pipe(
    list(item, max),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const i = firstRepeat(dataset.value);
      if (i >= 0)
        addIssue({
          message: says('store.file.duplicate', { value: shown(dataset.value[i]) }),
          path: [{ ...at(i, dataset.value), type: 'array' } as v.IssuePathItem],
        });
    }),
  );

/** A value that must be exactly `value`, or the message `key` (a format or version). */
export const exactly = <T extends string | number>(value: T, key: WorkerMessageKey) =>
  v.custom<T>((x) => x === value, says(key, { expected: value }));

/** Parses `value` with `schema`; the first issue becomes the message (its path starting at `root`). */
export function parseOr<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  root: string,
  fail: (m: Msg) => never,
): v.InferOutput<S> {
  const r = v.safeParse(schema, value, { abortEarly: true, abortPipeEarly: true });
  if (r.success) return r.output;
  return fail(issueMsg(r.issues[0], root));
}
