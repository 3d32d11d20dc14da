// Names and ids: an import or a save never overwrites silently, a clash gets a " (2)" suffix; file
// names for exports stay readable in every script.
import { LIMITS } from './limits.ts';

/** `s` cut to at most `max` characters (never in the middle of a character pair), trimmed. */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  let t = s.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(t)) t = t.slice(0, -1);
  return t.trimEnd();
}

/** `wanted` if free, else `wanted (2)`, `wanted (3)`, ... (an existing "(n)" suffix is continued). The
 * result has at most `max` characters (LIMITS.name): a long name is shortened before its suffix, so a
 * name the app gives always fits what a file may carry. Pass a Set when there are many names. */
export function uniqueName(
  wanted: string,
  taken: Iterable<string>,
  max: number = LIMITS.name,
): string {
  const base0 = shorten(wanted.trim() || 'Untitled', max);
  const used = taken instanceof Set ? (taken as Set<string>) : new Set(taken);
  if (!used.has(base0)) return base0;
  const m = /^(.*) \((\d+)\)$/.exec(base0);
  const base = m ? m[1] : base0;
  let n = m ? Number(m[2]) + 1 : 2;
  for (;;) {
    const suffix = ` (${n})`;
    const name = shorten(base, max - suffix.length) + suffix;
    if (!used.has(name)) return name;
    n++;
  }
}

/** A random id (UUID v4 where available). */
export function newId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of some bytes, lowercase hex. Compute it BEFORE opening a transaction. */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Characters no file system takes (Windows is the strictest), whitespace, and other punctuation. */
const NOT_IN_NAMES = /[^\p{L}\p{N}\p{M}_.-]+/gu;
/** Names Windows keeps for devices, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_NAME = 80;

/** A file name safe on every system that keeps the name readable in any script: letters and digits
 * of every language ("模型", "Übung", "señal"), dot, dash and underscore; every other run of
 * characters becomes one dash. An empty result falls back to "backprop-lab". */
export function safeFileName(name: string, ext: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(NOT_IN_NAMES, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  // Cut by characters, not UTF-16 units, so a surrogate pair is never split.
  let base = Array.from(cleaned)
    .slice(0, MAX_NAME)
    .join('')
    .replace(/[-.]+$/, '');
  if (RESERVED.test(base)) base += '-';
  return `${base || 'backprop-lab'}.${ext}`;
}
