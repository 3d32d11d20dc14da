// Where a file goes, by what it is (not only by its name): a table (CSV, TSV, text) to the data area,
// a file exported by Backprop Lab (model, run, lesson pack, backup) to the library's import, anything
// else refused with a message naming the file and what the app opens. Used for files dropped anywhere,
// opened from the file manager (launchQueue) and shared from another app (share target).
import type { LinkMessage } from './share-link.ts';

export type FileRoute = { to: 'data' } | { to: 'import' } | { to: 'refuse'; why: LinkMessage };

/** Bytes read from the start of a file to tell what it is. */
export const SNIFF_BYTES = 64 * 1024;

const OUR_FORMAT = /"format"\s*:\s*"backprop-lab\/(?:model|run|lesson|backup)"/;
const TABLE_EXT = /\.(csv|tsv|tab|txt)$/i;
const TABLE_TYPES = ['text/csv', 'text/tab-separated-values', 'text/plain', 'application/csv'];
const SHEET_EXT = /\.(xlsx|xlsm|xls|ods|numbers)$/i;

/** Decides from a file's name, type and first bytes (`head`, decoded as text). */
export function routeOf(name: string, type: string, head: string): FileRoute {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{') && OUR_FORMAT.test(text)) return { to: 'import' };
  if (/\.json$/i.test(name) || type === 'application/json' || text.startsWith('{'))
    return { to: 'refuse', why: { key: 'launch.notOurs', params: { name } } };
  if (SHEET_EXT.test(name))
    return { to: 'refuse', why: { key: 'launch.spreadsheet', params: { name } } };
  // A table: by its name or type, or any file of text (a CSV without an extension).
  if (
    TABLE_EXT.test(name) ||
    TABLE_TYPES.includes(type) ||
    (head.length > 0 && !head.includes('\u0000'))
  )
    return { to: 'data' };
  return { to: 'refuse', why: { key: 'launch.unknown', params: { name } } };
}

/** Reads the start of a file and decides where it goes. */
export async function routeFile(file: Blob & { name?: string }): Promise<FileRoute> {
  const head = await file.slice(0, SNIFF_BYTES).text();
  return routeOf(file.name ?? '', file.type, head);
}
