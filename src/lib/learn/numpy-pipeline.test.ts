// The exported script against the real pipeline: the data worker's recipe, the engine's network and
// predict, then the script under python3 + numpy on raw rows (unknown categories, missing and malformed
// cells, a decimal comma).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { NetworkSpec } from '../../../workers/core/types.ts';
import {
  createNetwork,
  forwardBackward,
  gdStep,
  predict,
  serialize,
} from '../../../workers/core/network.ts';
import { parseCsv } from '../../../workers/data/parse.ts';
import { buildReport } from '../../../workers/data/report.ts';
import { applyRecipe, fitRecipe } from '../../../workers/data/recipe.ts';
import { isMissing } from '../../../workers/data/values.ts';
import { DEFAULT_RECIPE_SETTINGS, type RecipeSettings } from '../../../workers/data/types.ts';
import { APP_MISSING_TOKENS, exportRecipeFrom } from './recipe-export.ts';
import { numpyScript } from './numpy-export.ts';
import { missingPython, parseOutput, runScript } from './numpy-test-support.ts';

const penguins = readFileSync(
  new URL('../../../static/samples/penguins.csv', import.meta.url),
  'utf8',
);

async function fitPenguins(patch: Partial<RecipeSettings>) {
  const parsed = await parseCsv(new Blob([penguins]), 'penguins.csv');
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const fit = fitRecipe(parsed.table, buildReport(parsed.table), {
    ...structuredClone(DEFAULT_RECIPE_SETTINGS),
    ...patch,
  });
  if (!fit.ok) throw new Error(fit.problem.message);
  return fit;
}

/** Trains a small network on the prepared split with the engine's library API (batch gradient descent). */
function trainOn(
  ds: Awaited<ReturnType<typeof fitPenguins>>['dataset'],
  output: NetworkSpec['output'],
  outputs: number,
  steps: number,
) {
  const spec: NetworkSpec = {
    inputs: ds.featureNames.length,
    hidden: [
      { units: 6, activation: 'tanh', keepProb: 1 },
      { units: 4, activation: 'relu', keepProb: 1 },
    ],
    outputs,
    output,
  };
  const net = createNetwork(spec, { init: 'xavier', seed: 9 });
  const X = { rows: spec.inputs, cols: ds.train.m, data: ds.train.x };
  const Y = { rows: outputs, cols: ds.train.m, data: ds.train.y };
  let first = NaN;
  let last = NaN;
  for (let i = 0; i < steps; i++) {
    const r = forwardBackward(net, X, Y, { lambda: 0.1 });
    if (i === 0) first = r.cost.total;
    last = r.cost.total;
    gdStep(net, r, 0.1);
  }
  return { net, first, last };
}

/** Extra rows the training data never had: unknown island, missing and malformed cells. */
const TRICKY = [
  'Gentoo,Atlantis,47.5,15,217,5200,female', // unknown category
  'Adelie,Dream,NA,18,190,?,', // missing numbers and sex
  'Chinstrap, Dream ,49.1,abc,195,3800,MALE', // padded category, a word in a number column, unknown case
  'Adelie,Biscoe,1e400,17.1,185,#N/A,male', // overflow and #N/A
];

describe('the exported script against the app (recipe + engine)', () => {
  it('treats the same cells as missing as the data pipeline does', () => {
    for (const t of APP_MISSING_TOKENS) expect(isMissing(t), t).toBe(true);
    for (const t of ['NA', 'N/A', 'NaN', 'NULL', '#N/A']) expect(isMissing(t), t).toBe(true);
    for (const t of ['0', 'none', 'missing', '--'])
      expect(isMissing(t), t).toBe(APP_MISSING_TOKENS.includes(t.toLowerCase()));
  });

  it.skipIf(missingPython !== null)(
    'multiclass (penguins species): same probabilities and labels as applyRecipe + predict',
    async () => {
      const fit = await fitPenguins({ target: 'species', categoricalImpute: 'missing_category' });
      const ds = fit.dataset;
      expect(ds.task).toBe('multiclass');
      const { net, first, last } = trainOn(ds, 'softmax', ds.classLabels.length, 150);
      expect(last).toBeLessThan(first * 0.5); // it did learn
      const csv = [penguins.trimEnd(), ...TRICKY].join('\n');
      const header = csv.split('\n')[0].split(',');
      const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data.slice(1);
      const app = applyRecipe(fit.recipe, rows, header);
      const A = predict(net, { rows: app.nX, cols: app.m, data: app.x });
      const r = runScript(numpyScript(serialize(net), exportRecipeFrom(fit.recipe)), csv);
      expect(r.stderr).toBe('');
      const out = parseOutput(r.stdout);
      expect(out.header).toEqual(['prediction', ...ds.classLabels.map((c) => `p(${c})`)]);
      expect(out.rows).toHaveLength(app.m);
      let worst = 0;
      out.rows.forEach((row, j) => {
        const probs = row.slice(1).map(Number);
        const ours = Array.from({ length: A.rows }, (_, k) => A.data[k * app.m + j]);
        ours.forEach((p, k) => (worst = Math.max(worst, Math.abs(p - probs[k]))));
        const sorted = [...ours].sort((a, b) => b - a);
        if (sorted[0] - sorted[1] > 1e-4)
          expect(row[0], `row ${j + 2}`).toBe(ds.classLabels[ours.indexOf(sorted[0])]);
      });
      // The app's features are float32; the script computes in float64.
      expect(worst).toBeLessThan(1e-5);
    },
  );

  it.skipIf(missingPython !== null)(
    'regression (body mass in grams): same values in the original units',
    async () => {
      const fit = await fitPenguins({ target: 'body_mass_g', categoricalImpute: 'most_frequent' });
      const ds = fit.dataset;
      expect(ds.task).toBe('regression');
      expect(ds.targetScale).not.toBeNull();
      const { net } = trainOn(ds, 'linear', 1, 100);
      const csv = [penguins.trimEnd(), ...TRICKY].join('\n');
      const objects = Papa.parse<Record<string, string>>(csv, {
        header: true,
        skipEmptyLines: true,
      }).data;
      const app = applyRecipe(fit.recipe, objects);
      const A = predict(net, { rows: app.nX, cols: app.m, data: app.x });
      const scale = ds.targetScale!;
      const r = runScript(numpyScript(serialize(net), exportRecipeFrom(fit.recipe)), csv);
      expect(r.stderr).toBe('');
      const out = parseOutput(r.stdout);
      expect(out.header).toEqual(['prediction']);
      expect(out.rows).toHaveLength(app.m);
      out.rows.forEach((row, j) =>
        expect(
          Math.abs(Number(row[0]) - (A.data[j] * scale.std + scale.mean)),
          `row ${j + 2}`,
        ).toBeLessThan(0.05),
      );
    },
  );

  it.skipIf(missingPython !== null)('binary with a decimal comma and semicolons', async () => {
    const text = penguins
      .trimEnd()
      .split('\n')
      .map((l) => l.replaceAll(',', ';').replace(/(\d)\.(\d)/g, '$1,$2'))
      .join('\n');
    const parsed = await parseCsv(new Blob([text]), 'p.csv');
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const fit = fitRecipe(parsed.table, buildReport(parsed.table), {
      ...structuredClone(DEFAULT_RECIPE_SETTINGS),
      target: 'sex',
    });
    if (!fit.ok) throw new Error(fit.problem.message);
    expect(fit.recipe.decimalComma).toBe(true);
    expect(fit.dataset.task).toBe('binary');
    const { net } = trainOn(fit.dataset, 'sigmoid', 1, 100);
    const header = text.split('\n')[0].split(';');
    const rows = Papa.parse<string[]>(text, { delimiter: ';', skipEmptyLines: true }).data.slice(1);
    const app = applyRecipe(fit.recipe, rows, header);
    const A = predict(net, { rows: app.nX, cols: app.m, data: app.x });
    const r = runScript(numpyScript(serialize(net), exportRecipeFrom(fit.recipe, ';')), text);
    expect(r.stderr).toBe('');
    const out = parseOutput(r.stdout);
    expect(out.header).toEqual(['prediction', ...fit.dataset.classLabels.map((c) => `p(${c})`)]);
    out.rows.forEach((row, j) => {
      expect(Math.abs(Number(row[2]) - A.data[j])).toBeLessThan(1e-5);
      if (Math.abs(A.data[j] - 0.5) > 1e-4)
        expect(row[0]).toBe(fit.dataset.classLabels[A.data[j] >= 0.5 ? 1 : 0]);
    });
  });
});
