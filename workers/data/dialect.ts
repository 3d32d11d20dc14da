// A CSV file's dialect and header: which line break and delimiter it uses (judged on the first rows),
// and its header names made usable (empty ones named, duplicates renamed, the user told).
import Papa from 'papaparse';
import { msg, type Msg } from '../messages/index.ts';
import type { Delimiter } from './types.ts';

/** The line break used by the file: the first one outside quotes decides. */
export function guessNewline(sample: string): '\n' | '\r\n' | '\r' {
  let inQuotes = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && c === 10) return '\n';
    else if (!inQuotes && c === 13) return sample.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
  }
  return '\n';
}

/** Comma, semicolon or tab: the one that splits the first rows into the same number (>= 2) of fields. */
export function guessDelimiter(sample: string, newline: string): Delimiter {
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const d of [',', ';', '\t'] as Delimiter[]) {
    const rows = (
      Papa.parse<string[]>(sample, { delimiter: d, newline: newline as '\n', preview: 30 })
        .data as string[][]
    ).filter((r) => !(r.length === 1 && r[0].trim() === ''));
    if (rows.length === 0) continue;
    const width = rows[0].length;
    if (width < 2) continue;
    // The last row of a sample may be cut short: judge on the others when there are several.
    const judged = rows.length > 2 ? rows.slice(0, -1) : rows;
    const same = judged.filter((r) => r.length === width).length / judged.length;
    const score = same * 1000 + Math.min(width, 999);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

/** Renames empty and duplicate headers; returns the names and one notice per change. */
export function cleanHeaders(raw: string[]): {
  names: string[];
  originals: Array<string | null>;
  notices: Msg[];
} {
  const names: string[] = [];
  const originals: Array<string | null> = [];
  const notices: Msg[] = [];
  const used = new Set<string>();
  raw.forEach((h, i) => {
    const t = h.trim();
    let name = t === '' ? `column_${i + 1}` : t;
    if (t === '') notices.push(msg('reading.notice.unnamed', { column: i + 1, name }));
    if (used.has(name)) {
      let k = 2;
      while (used.has(`${name}_${k}`)) k++;
      const renamed = `${name}_${k}`;
      notices.push(msg('reading.notice.renamed', { name, column: i + 1, renamed }));
      name = renamed;
    }
    used.add(name);
    names.push(name);
    originals.push(name === t ? null : h);
  });
  return { names, originals, notices };
}
