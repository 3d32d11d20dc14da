// Several exported files as one zip (fflate, synchronous: the files are a few hundred kilobytes at
// most). Names keep any script (UTF-8 names in the archive); two files with one name never overwrite.
import { strToU8, zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  /** The file's name inside the archive (no folders). */
  name: string;
  data: string | Uint8Array | ArrayBuffer;
}

/** Formats that are compressed already and gain nothing from deflate. */
const STORED = /\.(png|jpe?g|gif|webp|zip|gz|bin)$/i;

/** The entries' names, each unique: a repeated "a.csv" becomes "a (2).csv". */
export function uniqueEntryNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let out = name;
    const dot = name.indexOf('.', 1);
    const base = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    for (let n = 2; used.has(out); n++) out = `${base} (${n})${ext}`;
    used.add(out);
    return out;
  });
}

/** One zip archive holding every entry (text as UTF-8). */
export function zipFiles(entries: readonly ZipEntry[]): Uint8Array<ArrayBuffer> {
  const names = uniqueEntryNames(entries.map((e) => e.name));
  const files: Zippable = {};
  entries.forEach((e, i) => {
    const bytes =
      typeof e.data === 'string'
        ? strToU8(e.data)
        : e.data instanceof Uint8Array
          ? e.data
          : new Uint8Array(e.data);
    files[names[i]] = [bytes, { level: STORED.test(names[i]) ? 0 : 6 }];
  });
  return zipSync(files);
}
