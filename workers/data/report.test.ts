import { describe, expect, it } from 'vitest';
import { columnFromValues } from './columns.ts';
import { parseCsv } from './parse.ts';
import { buildReport, columnReport } from './report.ts';
import { generate, syntheticTable } from './synthetic.ts';
import { DEFAULT_RECIPE_SETTINGS, type HealthReport, type RecipeSettings } from './types.ts';
import { applyFix, computeWarnings } from './warnings.ts';
import { booleanPair, isMissing, orderLabels, parseNumber } from './values.ts';
import { english } from '../store/english.test-support.ts';

const typeOf = (values: Array<string | number>) =>
  columnReport(columnFromValues('c', values), 0).inferredType;
const range = (n: number, f: (i: number) => string | number) =>
  Array.from({ length: n }, (_, i) => f(i));

describe('values', () => {
  it('missing tokens', () => {
    for (const t of ['', 'NA', 'na', 'N/A', 'NaN', 'null', 'NULL', '?', '-', '#N/A'])
      expect(isMissing(t)).toBe(true);
    for (const t of ['0', 'none', 'NAN1', 'x', '--']) expect(isMissing(t)).toBe(false);
  });
  it('strict numbers', () => {
    expect(parseNumber('1.5e3', false)).toBe(1500);
    expect(parseNumber('-.5', false)).toBe(-0.5);
    expect(parseNumber('+7', false)).toBe(7);
    for (const t of [
      '1e400',
      'Infinity',
      '-Infinity',
      'abc',
      '#N/A',
      '0x10',
      '1,5',
      '1 000',
      '12abc',
      '',
    ])
      expect(parseNumber(t, false)).toBeNaN();
    expect(parseNumber('1,5', true)).toBe(1.5);
    expect(parseNumber('1.5', true)).toBe(1.5);
  });
  it('yes/no pairs and label order', () => {
    expect(booleanPair(['yes', 'no'])).toEqual(['no', 'yes']);
    expect(booleanPair(['TRUE', 'FALSE'])).toEqual(['FALSE', 'TRUE']);
    expect(booleanPair(['1', '0'])).toEqual(['0', '1']);
    expect(booleanPair(['a', 'b'])).toBeNull();
    expect(orderLabels(['10', '9', '1'])).toEqual(['1', '9', '10']);
    expect(orderLabels(['b', 'C', 'a'])).toEqual(['a', 'b', 'C']);
  });
});

describe('column typing', () => {
  it('numeric, with a few non-numbers flagged', () => {
    expect(typeOf(range(30, (i) => i * 0.3))).toBe('numeric');
    const r = columnReport(columnFromValues('c', [...range(30, (i) => i * 0.3), 'abc']), 0);
    expect(r.inferredType).toBe('numeric');
    expect(r.invalidCount).toBe(1);
    expect(r.invalidSamples).toEqual([{ row: 32, value: 'abc' }]);
  });
  it('categorical', () =>
    expect(typeOf(range(30, (i) => ['red', 'green', 'blue'][i % 3]))).toBe('categorical'));
  it('boolean', () => {
    expect(typeOf(range(30, (i) => (i % 2 ? 'yes' : 'no')))).toBe('boolean');
    expect(typeOf(range(30, (i) => i % 2))).toBe('boolean');
  });
  it('ID-like: counting numbers or a different text on every row', () => {
    expect(typeOf(range(30, (i) => i + 1000))).toBe('id');
    expect(typeOf(range(30, (i) => `user-${i}`))).toBe('id');
    // unique measurements are not IDs
    expect(typeOf(range(30, (i) => Math.sin(i) * 10))).toBe('numeric');
  });
  it('constant and all missing', () => {
    expect(typeOf(range(30, () => 'x'))).toBe('constant');
    const all = columnReport(
      columnFromValues(
        'c',
        range(30, () => 'NA'),
      ),
      0,
    );
    expect(all.inferredType).toBe('constant');
    expect(all.missing).toBe(30);
    expect(english(all.typeReason)).toMatch(/missing/);
  });
  it('free text', () =>
    expect(
      typeOf(range(30, (i) => `The quick brown fox number ${i} jumps over the lazy dog`)),
    ).toBe('text'));
  it('statistics and a histogram', () => {
    const r = columnReport(columnFromValues('c', [1, 2, 3, 4, 'NA']), 0);
    expect(r).toMatchObject({ min: 1, max: 4, mean: 2.5, missing: 1, unique: 4 });
    expect(r.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(r.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(r.top[0]).toEqual({ value: '1', count: 1 });
  });
  it('counts distinct values of a hashed column', async () => {
    const res = await parseCsv(
      new Blob(['t,y\n' + range(30000, (i) => `word${i % 25000},1`).join('\n')]),
      't',
    );
    if (!res.ok) throw new Error(res.problem.message);
    expect(buildReport(res.table).columns[0].unique).toBe(25000);
  });
});

describe('synthetic sets', () => {
  it('are deterministic for a seed and differ between seeds', () => {
    for (const kind of ['moons', 'circle', 'xor', 'gaussians', 'spiral'] as const) {
      const a = generate(kind, { n: 100, seed: 3 });
      const b = generate(kind, { n: 100, seed: 3 });
      const c = generate(kind, { n: 100, seed: 4 });
      expect(Array.from(a.x1)).toEqual(Array.from(b.x1));
      expect(Array.from(a.x1)).not.toEqual(Array.from(c.x1));
      expect(a.x1.length).toBe(100);
    }
  });
  it('have the promised shapes', () => {
    const circle = generate('circle', { n: 400, noise: 0 });
    for (let i = 0; i < 400; i++) {
      const r = Math.hypot(circle.x1[i], circle.x2[i]);
      if (circle.label[i] === 1) expect(r).toBeLessThanOrEqual(0.5);
      else expect(r).toBeGreaterThanOrEqual(0.7);
    }
    const xor = generate('xor', { n: 200, noise: 0 });
    for (let i = 0; i < 200; i++) expect(xor.label[i]).toBe(xor.x1[i] * xor.x2[i] > 0 ? 1 : 0);
    const g = generate('gaussians', { n: 300, classes: 4 });
    expect(new Set(g.label).size).toBe(4);
    const moons = generate('moons', { n: 200, noise: 0.3 });
    expect(new Set(moons.label).size).toBe(2);
  });
  it('noise moves the points', () => {
    const a = generate('moons', { n: 50, noise: 0 });
    const b = generate('moons', { n: 50, noise: 0.2 });
    expect(Array.from(a.x1)).not.toEqual(Array.from(b.x1));
  });
  it('become a table with x1, x2, label', () => {
    const t = syntheticTable('spiral', { n: 90, classes: 3 });
    expect(t.columns.map((c) => c.name)).toEqual(['x1', 'x2', 'label']);
    expect(t.rows).toBe(90);
    expect(
      buildReport(t)
        .columns[2].top.map((x) => x.value)
        .sort(),
    ).toEqual(['0', '1', '2']);
  });
});

describe('warnings', () => {
  async function report(text: string): Promise<HealthReport> {
    const res = await parseCsv(new Blob([text]), 't');
    if (!res.ok) throw new Error(res.problem.message);
    return buildReport(res.table);
  }
  const s = (patch: Partial<RecipeSettings>): RecipeSettings => ({
    ...structuredClone(DEFAULT_RECIPE_SETTINGS),
    ...patch,
  });
  const lines = ['id,const,city,income,age,y'];
  for (let i = 0; i < 60; i++)
    lines.push(
      `${i + 1},same,city${i % 30},${20000 + i * i * 13},${20 + (i % 40)},${i % 10 === 0 ? 'rare' : i === 5 ? '' : 'common'}`,
    );
  const text = lines.join('\n');

  it('finds constant, ID-like, high-cardinality, missing target, imbalance and unscaled ranges', async () => {
    const ws = computeWarnings(
      await report(text),
      s({ target: 'y', standardize: false, stratify: false, dropIdLike: false }),
    );
    expect(ws.map((w) => w.kind).sort()).toEqual([
      'class-imbalance',
      'constant',
      'high-cardinality',
      'id-like',
      'missing-target',
      'unscaled',
    ]);
    expect(english(ws.find((w) => w.kind === 'missing-target')!.message)).toMatch(
      /^1 row has no value/,
    );
  });
  it('each fix changes the settings so the warning is handled', async () => {
    const r = await report(text);
    let settings = s({ target: 'y', standardize: false, stratify: false, dropIdLike: false });
    for (const w of computeWarnings(r, settings))
      if (!w.fixed) settings = applyFix(settings, w.fix);
    expect(computeWarnings(r, settings).every((w) => w.fixed)).toBe(true);
    expect(settings.dropped.sort()).toEqual(['city', 'id']); // constant columns are always left out: nothing to fix
    expect(settings.standardize).toBe(true);
    expect(settings.stratify).toBe(true);
  });
  it('class imbalance uses every class when the prepared summary is known', async () => {
    const rows = ['x,y'];
    const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    for (let i = 0; i < 140; i++) rows.push(`${i % 13},${i < 4 ? 'g' : labels[i % 6]}`);
    const r = await report(rows.join('\n'));
    const settings = s({ target: 'y' });
    expect(computeWarnings(r, settings).some((w) => w.kind === 'class-imbalance')).toBe(false); // top 5 only: looks balanced
    const summary = {
      features: 1,
      train: 98,
      dev: 21,
      test: 21,
      droppedRows: 0,
      classCounts: labels.map((l) => ({ label: l, count: l === 'g' ? 4 : 22 })),
    };
    const w = computeWarnings(r, settings, summary).find((x) => x.kind === 'class-imbalance');
    expect(english(w!.message)).toMatch(/"g" only 4/);
  });

  it('an all-missing column and non-numbers in a number column', async () => {
    const ws = computeWarnings(
      await report('x,e,y\n1,,a\n2,,b\nabc,NA,a\n' + range(20, (i) => `${i},,b`).join('\n')),
      s({ target: 'y' }),
    );
    expect(english(ws.find((w) => w.kind === 'all-missing')!.message)).toMatch(
      /every value is missing/,
    );
    expect(english(ws.find((w) => w.kind === 'not-numbers')!.message)).toMatch(/\(row 4: "abc"\)/);
  });
});
