// Every registered sample is a file in static/ with the rows it says, a target column it has, and a
// row in static/samples/SOURCES.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TABLE_SAMPLES } from './samples.ts';

const root = new URL('../../static/', import.meta.url);
const sources = readFileSync(new URL('samples/SOURCES.md', root), 'utf8');

describe('the bundled samples', () => {
  it('registers iris, penguins, wine, diabetes and digits', () => {
    expect(TABLE_SAMPLES.map((s) => s.id)).toEqual([
      'iris',
      'penguins',
      'wine',
      'diabetes',
      'digits',
    ]);
  });
  it.each(TABLE_SAMPLES.map((s) => [s.id, s] as const))(
    '%s: file, rows, target, source',
    (_, s) => {
      const lines = readFileSync(new URL(s.file, root), 'utf8').trim().split(/\r?\n/);
      expect(lines.length - 1).toBe(s.rows);
      expect(lines[0].split(',')).toContain(s.target);
      expect(sources).toContain(`| ${s.file.replace('samples/', '')}`);
      expect(s.sourceUrl).toMatch(/^https:\/\//);
    },
  );
});
