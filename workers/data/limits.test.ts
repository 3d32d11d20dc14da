// Bounded work for any file: a header wider than the column limit, a table past the cell budget,
// matrices past the feature budget and a target with too many classes end in a specific problem;
// blank lines or a short first chunk never size the storage; allocation failures are problems too.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ColumnBuilder } from './columns.ts';
import { parseCsv } from './parse.ts';
import { fitRecipe } from './recipe.ts';
import { buildReport } from './report.ts';
import { DATA_LIMITS, DEFAULT_RECIPE_SETTINGS, type ParseOptions } from './types.ts';

const limits = DATA_LIMITS as { -readonly [K in keyof typeof DATA_LIMITS]: number };
const saved = { ...DATA_LIMITS };

afterEach(() => {
  Object.assign(limits, saved);
  vi.restoreAllMocks();
});

function wide(columns: number, rows: number): string {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
  const row = Array.from({ length: columns }, (_, i) => String(i % 10)).join(',');
  return [header, ...Array<string>(rows).fill(row)].join('\n') + '\n';
}

async function read(text: string, options: Partial<ParseOptions> = {}) {
  return parseCsv(new Blob([text]), 'test.csv', options);
}

describe('the column limit', () => {
  it('refuses a 100,000-column file at its header, with both numbers, before storing a row', async () => {
    const text = wide(100_000, 20);
    expect(text.length).toBeGreaterThan(4 << 20);
    const t0 = performance.now();
    const res = await read(text);
    const ms = performance.now() - t0;
    if (res.ok) throw new Error('expected a problem');
    expect(res.problem.code).toBe('too-many-columns');
    expect(res.problem.msg).toEqual({
      key: 'reading.tooManyColumns',
      params: { columns: 100_000, limit: DATA_LIMITS.columns },
    });
    // Reading stops at the header: the 20 rows of 100,000 cells are never stored.
    expect(ms).toBeLessThan(3000);
  });

  it('refuses a header still incomplete after 64 KiB as soon as it is too wide', async () => {
    // One header line of 1.3 MB and no line break: no row is ever parsed.
    const header = Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(',');
    const res = await read(header, { chunkBytes: 1 << 16 });
    if (res.ok) throw new Error('expected a problem');
    expect(res.problem.code).toBe('too-many-columns');
    expect(res.problem.msg?.params?.columns).toBeGreaterThan(DATA_LIMITS.columns);
  });

  it('reads a file at the limit', async () => {
    const res = await read(wide(DATA_LIMITS.columns, 3));
    if (!res.ok) throw new Error(res.problem.message);
    expect(res.table.columns).toHaveLength(DATA_LIMITS.columns);
    expect(res.table.rows).toBe(3);
  });

  it('refuses one column more', async () => {
    const res = await read(wide(DATA_LIMITS.columns + 1, 3));
    expect(res.ok ? null : res.problem.msg?.params).toEqual({
      columns: DATA_LIMITS.columns + 1,
      limit: DATA_LIMITS.columns,
    });
  });
});

describe('storage grows by need', () => {
  it('blank lines after the header do not size the columns (the first chunk is all blank lines)', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${i % 3},x${i % 4}`).join('\n');
    const text = 'a,b,c\n' + '\n'.repeat(300_000) + rows + '\n';
    const res = await read(text, { chunkBytes: 1 << 16 });
    if (!res.ok) throw new Error(res.problem.message);
    expect(res.table.rows).toBe(50);
    for (const c of res.table.columns) {
      // 300 KB of blank lines once made room for 300,000 rows per column.
      if (c.num.length) expect(c.num.buffer.byteLength).toBeLessThanOrEqual(8 * 2048);
      if (c.codes) expect(c.codes.buffer.byteLength).toBeLessThanOrEqual(4 * 2048);
    }
  });

  it('many rows read in small chunks: every value kept, little spare room at the end', async () => {
    const n = 30_000;
    const lines = ['x,y'];
    for (let i = 0; i < n; i++) lines.push(`${i},${i % 5 === 0 ? 'a' : 'b'}`);
    const res = await read(lines.join('\n') + '\n', { chunkBytes: 4096 });
    if (!res.ok) throw new Error(res.problem.message);
    const [x, y] = res.table.columns;
    expect(res.table.rows).toBe(n);
    expect(x.num.length).toBe(n);
    expect(x.num[n - 1]).toBe(n - 1);
    expect(Array.from(x.num.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(x.num.buffer.byteLength).toBeLessThanOrEqual(8 * (n + (n >> 4) + 4096));
    expect(y.counts).toEqual([n / 5, n - n / 5]);
  });

  it('stops at the cell budget with the rows and columns it can hold', async () => {
    limits.cells = 3000;
    const res = await read(wide(3, 1500), { chunkBytes: 1024 });
    if (res.ok) throw new Error('expected a problem');
    expect(res.problem.code).toBe('too-big');
    expect(res.problem.msg).toEqual({
      key: 'reading.tooBig',
      params: { rows: 1000, columns: 3, limit: 3000 },
    });
    // Exactly at the budget is fine.
    const ok = await read(wide(3, 1000), { chunkBytes: 1024 });
    expect(ok.ok).toBe(true);
  });

  it('an allocation that fails while reading is a problem, not a crash', async () => {
    vi.spyOn(ColumnBuilder.prototype, 'reserve').mockImplementation(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    const res = await read(wide(2, 5000), { chunkBytes: 1024 });
    if (res.ok) throw new Error('expected a problem');
    expect(res.problem.code).toBe('out-of-memory');
    expect(res.problem.msg?.key).toBe('reading.outOfMemory');
  });

  it('other errors of a sink are not taken for memory', async () => {
    vi.spyOn(ColumnBuilder.prototype, 'reserve').mockImplementation(() => {
      throw new TypeError('a bug');
    });
    await expect(read(wide(2, 5000), { chunkBytes: 1024 })).rejects.toThrow('a bug');
  });
});

describe('preparing', () => {
  async function loaded(text: string) {
    const res = await read(text);
    if (!res.ok) throw new Error(res.problem.message);
    return { table: res.table, report: buildReport(res.table) };
  }

  it('refuses matrices past the feature budget with the counts', async () => {
    const lines = ['a,b,c,label'];
    for (let i = 0; i < 200; i++)
      lines.push(`${(i * 37) % 101},${(i * 13) % 17}.5,k${i % 7},${i % 2 ? 'yes' : 'no'}`);
    const { table, report } = await loaded(lines.join('\n'));
    const settings = { ...DEFAULT_RECIPE_SETTINGS, target: 'label' };
    const fitted = fitRecipe(table, report, settings);
    if (!fitted.ok) throw new Error(fitted.problem.message);
    const features = fitted.summary.features;
    expect(features).toBe(2 + 7); // two numbers and 7 one-hot categories
    limits.featureCells = features * 200 - 1;
    const res = fitRecipe(table, report, settings);
    if (res.ok) throw new Error('expected a problem');
    expect(res.problem.code).toBe('too-big');
    expect(res.problem.msg).toEqual({
      key: 'reading.tooManyFeatures',
      params: { features, examples: 200, limit: features * 200 - 1 },
    });
    limits.featureCells = features * 200;
    expect(fitRecipe(table, report, settings).ok).toBe(true);
  });

  it('refuses a target with more classes than the limit, naming it', async () => {
    const lines = ['x,kind'];
    for (let i = 0; i < 300; i++) lines.push(`${i},k${i % (DATA_LIMITS.classes + 1)}`);
    const { table, report } = await loaded(lines.join('\n'));
    const res = fitRecipe(table, report, {
      ...DEFAULT_RECIPE_SETTINGS,
      target: 'kind',
      task: 'multiclass',
    });
    if (res.ok) throw new Error('expected a problem');
    expect(res.problem.code).toBe('too-many-classes');
    expect(res.problem.msg).toEqual({
      key: 'reading.tooManyClasses',
      params: { column: 'kind', limit: DATA_LIMITS.classes },
    });
  });
});
