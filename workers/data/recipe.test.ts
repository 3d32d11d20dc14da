import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseCsv, type Table } from './parse.ts';
import { applyRecipe, fitRecipe, unscaleTarget, type FitOutput } from './recipe.ts';
import { buildReport } from './report.ts';
import { DEFAULT_RECIPE_SETTINGS, type HealthReport, type RecipeSettings } from './types.ts';
import { english } from '../store/english.test-support.ts';

async function load(text: string): Promise<{ table: Table; report: HealthReport }> {
  const res = await parseCsv(new Blob([text]), 't.csv');
  if (!res.ok) throw new Error(res.problem.message);
  return { table: res.table, report: buildReport(res.table) };
}
function settings(patch: Partial<RecipeSettings>): RecipeSettings {
  return { ...structuredClone(DEFAULT_RECIPE_SETTINGS), ...patch };
}
async function fit(text: string, patch: Partial<RecipeSettings>): Promise<FitOutput> {
  const { table, report } = await load(text);
  const res = fitRecipe(table, report, settings(patch));
  if (!res.ok) throw new Error(res.problem.message);
  return res;
}
/** Raw rows of a CSV as objects (what a user would paste for prediction). */
function rawRows(text: string): Array<Record<string, string>> {
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}
const column = (x: Float32Array, m: number, i: number, nX: number) =>
  Array.from({ length: nX }, (_, f) => x[f * m + i]);

const penguins = readFileSync(
  new URL('../../static/samples/penguins.csv', import.meta.url),
  'utf8',
);
const iris = readFileSync(new URL('../../static/samples/iris.csv', import.meta.url), 'utf8');

describe('the bundled samples', () => {
  it('iris: 150 rows, 4 numbers and 3 classes of 50', async () => {
    const { report } = await load(iris);
    expect(report.rows).toBe(150);
    expect(report.columns.map((c) => c.inferredType)).toEqual([
      'numeric',
      'numeric',
      'numeric',
      'numeric',
      'categorical',
    ]);
    expect(report.columns[4].top).toEqual([
      { value: 'setosa', count: 50 },
      { value: 'versicolor', count: 50 },
      { value: 'virginica', count: 50 },
    ]);
    expect(report.columns[0].mean).toBeCloseTo(5.843333, 5);
  });
  it('iris prepares to 4 features x 105 training examples, stratified 35 per class', async () => {
    const out = await fit(iris, { target: 'species' });
    expect(out.dataset.task).toBe('multiclass');
    expect(out.dataset.featureNames).toEqual([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
    ]);
    expect(out.summary).toMatchObject({ features: 4, train: 105, dev: 24, test: 21 });
    const y = out.dataset.train.y;
    const m = out.dataset.train.m;
    for (let k = 0; k < 3; k++)
      expect(y.subarray(k * m, (k + 1) * m).reduce((a, b) => a + b, 0)).toBe(35);
  });
  it('penguins: 344 rows with NA cells read as missing', async () => {
    const { report } = await load(penguins);
    expect(report.rows).toBe(344);
    const byName = Object.fromEntries(report.columns.map((c) => [c.name, c]));
    expect(byName.bill_length_mm.missing).toBe(2);
    expect(byName.sex.missing).toBe(11);
    expect(byName.species.top.map((t) => t.count)).toEqual([152, 124, 68]);
  });
});

describe('recipe', () => {
  it('standardizes with training-split statistics only', async () => {
    const out = await fit(iris, { target: 'species' });
    const { train, dev } = out.dataset;
    for (let f = 0; f < 4; f++) {
      const row = train.x.subarray(f * train.m, (f + 1) * train.m);
      const mean = row.reduce((a, b) => a + b, 0) / train.m;
      const std = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / train.m);
      expect(mean).toBeCloseTo(0, 5);
      expect(std).toBeCloseTo(1, 4);
    }
    // the dev split is scaled with the training statistics, so its mean is not exactly 0
    const devMean = dev.x.subarray(0, dev.m).reduce((a, b) => a + b, 0) / dev.m;
    expect(Math.abs(devMean)).toBeGreaterThan(1e-4);
    const rc = out.recipe.columns[0];
    expect(rc.kind).toBe('numeric');
  });

  it('round trip: the recipe applied to the raw training rows gives exactly the training features', async () => {
    const out = await fit(penguins, { target: 'species', categoricalImpute: 'missing_category' });
    const rows = rawRows(penguins);
    const trainRows = Array.from(out.split.train, (r) => rows[r]);
    const applied = applyRecipe(out.recipe, trainRows);
    expect(applied.nX).toBe(out.dataset.featureNames.length);
    expect(applied.m).toBe(out.dataset.train.m);
    expect(Array.from(applied.x)).toEqual(Array.from(out.dataset.train.x));
    const testApplied = applyRecipe(
      out.recipe,
      Array.from(out.split.test, (r) => rows[r]),
    );
    expect(Array.from(testApplied.x)).toEqual(Array.from(out.dataset.test.x));
  });

  it('round trip with string arrays by column name', async () => {
    const out = await fit(iris, { target: 'species' });
    const parsed = Papa.parse<string[]>(iris.trim()).data;
    const header = parsed[0];
    const applied = applyRecipe(
      out.recipe,
      Array.from(out.split.dev, (r) => parsed[r + 1]),
      header,
    );
    expect(Array.from(applied.x)).toEqual(Array.from(out.dataset.dev.x));
  });

  it('one-hot encodes categories, imputes missing ones, sends unknown ones to (other) or all zeros', async () => {
    const lines = ['c,x,y'];
    const cats = ['a', 'a', 'a', 'b', 'b', 'c', 'NA'];
    for (let i = 0; i < 70; i++)
      lines.push(`${cats[i % cats.length]},${(i * 7) % 11},${i % 2 ? 'yes' : 'no'}`);
    const text = lines.join('\n');
    const capped = await fit(text, {
      target: 'y',
      oneHotCap: 2,
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(capped.recipe.featureNames).toEqual(['c=a', 'c=b', 'c=(other)', 'x']);
    const a = applyRecipe(capped.recipe, [
      { c: 'zzz', x: '3' },
      { c: 'NA', x: '' },
      { c: 'c', x: '1e400' },
    ]);
    expect(column(a.x, 3, 0, 3)).toEqual([0, 0, 1]); // unknown -> (other)
    expect(column(a.x, 3, 1, 3)).toEqual([1, 0, 0]); // missing -> most frequent ('a')
    expect(column(a.x, 3, 2, 3)).toEqual([0, 0, 1]); // c beyond the cap -> (other)
    // missing and overflowing numbers take the imputed value (the training mean), i.e. 0 after standardizing
    expect(a.x[3 * 3 + 1]).toBeCloseTo(0, 6);
    expect(a.x[3 * 3 + 2]).toBeCloseTo(0, 6);

    const full = await fit(text, {
      target: 'y',
      categoricalImpute: 'missing_category',
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(full.recipe.featureNames).toEqual(['c=a', 'c=b', 'c=c', 'c=(missing)', 'x']);
    const b = applyRecipe(full.recipe, [{ c: 'zzz', x: '1' }, { c: '' }]);
    expect(column(b.x, 2, 0, 4)).toEqual([0, 0, 0, 0]); // unknown, no (other): all zeros
    expect(column(b.x, 2, 1, 4)).toEqual([0, 0, 0, 1]); // missing -> (missing)
  });

  it('imputes numbers with the mean or the median of the training rows', async () => {
    const text = 'x,y\n1,a\n2,b\n3,a\n100,b\nNA,a\n';
    const mean = await fit(text, {
      target: 'y',
      standardize: false,
      stratify: false,
      split: { train: 1, dev: 0, test: 0 },
    });
    const median = await fit(text, {
      target: 'y',
      standardize: false,
      numericImpute: 'median',
      stratify: false,
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(mean.recipe.columns[0]).toMatchObject({
      kind: 'numeric',
      impute: 26.5,
      mean: 0,
      std: 1,
    });
    expect(median.recipe.columns[0]).toMatchObject({ kind: 'numeric', impute: 2.5 });
    expect(mean.dataset.train.x[4]).toBe(26.5);
  });

  it('drops constant, ID-like and text columns; never divides by zero', async () => {
    const lines = ['id,const,note,x,y'];
    for (let i = 0; i < 40; i++)
      lines.push(
        `${i + 1},7,"this is a rather long free text comment number ${i}",${i % 5},${i % 2}`,
      );
    const out = await fit(lines.join('\n'), { target: 'y' });
    expect(out.recipe.featureNames).toEqual(['x']);
    expect(out.recipe.droppedColumns.map((d) => d.name)).toEqual(['id', 'const', 'note']);
    expect(Array.from(out.dataset.train.x).every(Number.isFinite)).toBe(true);
    const kept = await fit(lines.join('\n'), { target: 'y', dropIdLike: false });
    expect(kept.recipe.featureNames).toEqual(['id', 'x']);
  });

  it('drops rows with a missing target and reports how many', async () => {
    const out = await fit('x,y\n1,a\n2,\n3,b\n4,NA\n5,a\n6,b\n', {
      target: 'y',
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(out.summary.droppedRows).toBe(2);
    expect(out.summary.train).toBe(4);
  });

  it("infers binary, multi-class and regression; class labels stay the user's strings", async () => {
    const bin = await fit('x,y\n1,Yes\n2,No\n3,Yes\n4,No\n', {
      target: 'y',
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(bin.dataset.task).toBe('binary');
    expect(bin.dataset.classLabels).toEqual(['No', 'Yes']);
    expect(Array.from(bin.dataset.train.y)).toEqual([1, 0, 1, 0]);
    const multi = await fit('x,y\n1,3\n2,1\n3,2\n4,1\n', {
      target: 'y',
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(multi.dataset.task).toBe('multiclass');
    expect(multi.dataset.classLabels).toEqual(['1', '2', '3']);
    const lines = ['x,y'];
    for (let i = 0; i < 30; i++) lines.push(`${i * 0.5},${(i * 1.7 + 3).toFixed(2)}`);
    const reg = await fit(lines.join('\n'), { target: 'y' });
    expect(reg.dataset.task).toBe('regression');
    expect(reg.dataset.classLabels).toEqual([]);
    const s = reg.dataset.targetScale as { mean: number; std: number };
    expect(s.std).toBeGreaterThan(0);
    // y is standardized with the training statistics; unscaleTarget maps it back
    const r0 = reg.split.train[0];
    expect(unscaleTarget(reg.recipe, reg.dataset.train.y[0])).toBeCloseTo(r0 * 1.7 + 3, 4);
  });

  it('the task can be overridden', async () => {
    const out = await fit('x,y\n1,3\n2,1\n3,2\n4,1\n5,2\n6,3\n', {
      target: 'y',
      task: 'regression',
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(out.dataset.task).toBe('regression');
  });

  it('splits 70/15/15 by default, seeded: same seed same split, another seed another split', async () => {
    const a = await fit(penguins, { target: 'species' });
    const b = await fit(penguins, { target: 'species' });
    const c = await fit(penguins, { target: 'species', seed: 7 });
    expect(a.summary.train + a.summary.dev + a.summary.test).toBe(344);
    expect(a.summary.train / 344).toBeCloseTo(0.7, 1);
    expect(Array.from(a.split.train)).toEqual(Array.from(b.split.train));
    expect(Array.from(a.split.train)).not.toEqual(Array.from(c.split.train));
    const all = new Set([...a.split.train, ...a.split.dev, ...a.split.test]);
    expect(all.size).toBe(344);
  });

  it('puts X in shared memory, shape (features, examples)', async () => {
    const out = await fit(iris, { target: 'species' });
    expect(out.dataset.train.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(out.dataset.train.x.length).toBe(4 * 105);
    expect(out.dataset.train.y.length).toBe(3 * 105);
  });

  it('refuses a target with one class, with a clear message', async () => {
    const { table, report } = await load('x,y\n1,a\n2,a\n3,a\n');
    const res = fitRecipe(table, report, settings({ target: 'y' }));
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.problem.code).toBe('one-class');
      expect(english(res.problem.msg!)).toMatch(/only one value \("a"\)/);
    }
  });

  it('refuses more than 50 classes and a regression target without numbers', async () => {
    const lines = ['x,y'];
    for (let i = 0; i < 60; i++) lines.push(`${i},class ${i}`);
    const { table, report } = await load(lines.join('\n'));
    const many = fitRecipe(table, report, settings({ target: 'y', task: 'multiclass' }));
    expect(!many.ok && many.problem.code).toBe('too-many-classes');
    const reg = fitRecipe(table, report, settings({ target: 'y', task: 'regression' }));
    expect(!reg.ok && reg.problem.code).toBe('target-not-numeric');
  });

  it('a column where every value is missing is left out', async () => {
    const out = await fit('x,empty,y\n1,,a\n2,NA,b\n3,,a\n4,,b\n', {
      target: 'y',
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(out.recipe.featureNames).toEqual(['x']);
    expect(out.recipe.droppedColumns).toEqual([{ name: 'empty', reason: 'all-missing' }]);
  });

  it('says so when no feature is left', async () => {
    const { table, report } = await load('x,y\n1,a\n2,b\n3,a\n');
    const res = fitRecipe(table, report, settings({ target: 'y', dropped: ['x'] }));
    expect(!res.ok && res.problem.code).toBe('no-features');
  });

  it('columns named __proto__ and constructor work as features', async () => {
    const out = await fit('__proto__,constructor,y\n1,a,p\n2,b,q\n3,a,p\n4,b,q\n', {
      target: 'y',
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(out.recipe.featureNames).toEqual(['__proto__', 'constructor=a', 'constructor=b']);
    const rows = [JSON.parse('{"__proto__": "2", "constructor": "b"}') as Record<string, string>];
    const a = applyRecipe(out.recipe, rows);
    expect(Array.from(a.x)).toEqual([out.dataset.train.x[1], 0, 1]);
  });

  it('the recipe is plain, versioned data that survives JSON', async () => {
    const out = await fit(penguins, { target: 'species' });
    expect(out.recipe.version).toBe(1);
    const copy = JSON.parse(JSON.stringify(out.recipe));
    expect(copy).toEqual(out.recipe);
    const rows = rawRows(penguins).slice(0, 5);
    expect(Array.from(applyRecipe(copy, rows).x)).toEqual(
      Array.from(applyRecipe(out.recipe, rows).x),
    );
  });
});

describe('missing-value tokens read as values', () => {
  const text = [
    'region,size,label',
    ...Array.from({ length: 40 }, (_, i) =>
      [['NA', 'EU', '.', 'AS'][i % 4], (i % 7) + 1, i % 2 ? 'a' : 'b'].join(','),
    ),
  ].join('\n');

  it('"." is missing by default and a category when the table was read with it as a value', async () => {
    const plain = await fit(text, { target: 'label' });
    expect(plain.recipe.featureNames.filter((f) => f.startsWith('region=')).sort()).toEqual([
      'region=AS',
      'region=EU',
    ]);
    const tokens = [{ column: 'region', token: '.' }];
    const res = await parseCsv(new Blob([text]), 't.csv', { valueTokens: tokens });
    if (!res.ok) throw new Error(res.problem.message);
    const kept = fitRecipe(
      res.table,
      buildReport(res.table),
      settings({ target: 'label', valueTokens: tokens }),
    );
    if (!kept.ok) throw new Error(kept.problem.message);
    const names = kept.recipe.featureNames;
    expect(names.filter((f) => f.startsWith('region=')).sort()).toEqual([
      'region=.',
      'region=AS',
      'region=EU',
    ]);
    // Prediction on raw rows reads "." as its category; "NA" stays missing (imputed).
    const dot = names.indexOf('region=.');
    const { x, m, nX } = applyRecipe(kept.recipe, [
      { region: '.', size: '3' },
      { region: 'NA', size: '3' },
    ]);
    expect(column(x, m, 0, nX)[dot]).toBe(1);
    const rc = kept.recipe.columns.find((c) => c.name === 'region');
    const imputed = rc?.kind === 'categorical' ? rc.imputeCategory : null;
    expect(column(x, m, 1, nX)[dot]).toBe(imputed === '.' ? 1 : 0);
    // A recipe without the choice reads "." as missing, as before: the same features as "NA".
    const old = applyRecipe(plain.recipe, [
      { region: '.', size: '3' },
      { region: 'NA', size: '3' },
    ]);
    expect(column(old.x, old.m, 0, old.nX)).toEqual(column(old.x, old.m, 1, old.nX));
  });
});
