// Names and ids: an import or a save never overwrites silently, a clash gets a " (2)" suffix.

/** `wanted` if free, else `wanted (2)`, `wanted (3)`, ... (an existing "(n)" suffix is continued). */
export function uniqueName(wanted: string, taken: Iterable<string>): string {
  const base0 = wanted.trim() || 'Untitled';
  const used = new Set(taken);
  if (!used.has(base0)) return base0;
  const m = /^(.*) \((\d+)\)$/.exec(base0);
  const base = m ? m[1] : base0;
  let n = m ? Number(m[2]) + 1 : 2;
  while (used.has(`${base} (${n})`)) n++;
  return `${base} (${n})`;
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
