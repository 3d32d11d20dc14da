// Runs the exported script with the system's python3 + numpy on a CSV and compares with the app's predictions.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkSpec, SerializedNetwork } from '../../../workers/core/types.ts';
import { createRng } from '../../../workers/core/rng.ts';
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
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { APP_MISSING_TOKENS, exportRecipeFrom } from './recipe-export.ts';
import {
  DEFAULT_MISSING_TOKENS,
  exportFeatureNames,
  numpyScript,
  pyFloat,
  validateExport,
  type ExportRecipe,
} from './numpy-export.ts';

function pythonStatus(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], {
    encoding: 'utf8',
  });
  if (r.error) return 'python3 is not installed (apt-get install python3-numpy)';
  if (r.status !== 0) return 'python3 has no numpy (apt-get install python3-numpy)';
  return null;
}
const missingPython = pythonStatus();

function runScript(
  script: string,
  csv: string,
): { stdout: string; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'numpy-export-'));
  try {
    writeFileSync(join(dir, 'model.py'), script);
    writeFileSync(join(dir, 'data.csv'), csv);
    const r = spawnSync('python3', [join(dir, 'model.py'), join(dir, 'data.csv')], {
      encoding: 'utf8',
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseOutput(stdout: string): { header: string[]; rows: string[][] } {
  // The script writes plain CSV; our labels in these tests hold no quotes or newlines except where noted.
  const lines = stdout.trim().split(/\r?\n/);
  const split = (l: string) => {
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < l.length; i++) {
      const ch = l[i];
      if (q) {
        if (ch === '"' && l[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

/** A network with float32-representable random weights, as a trained network holds them. */
function randomNetwork(spec: NetworkSpec, seed: number): SerializedNetwork {
  const rng = createRng(seed);
  const sizes = [spec.inputs, ...spec.hidden.map((h) => h.units), spec.outputs];
  const params = sizes.slice(1).map((n, i) => ({
    W: Array.from({ length: n * sizes[i] }, () => Math.fround(rng.gaussian() * 0.8)),
    b: Array.from({ length: n }, () => Math.fround(rng.gaussian() * 0.2)),
  }));
  return { format: 'backprop-lab/network', version: 1, spec, params };
}

describe('numpyScript', () => {
  const spec: NetworkSpec = {
    inputs: 6,
    hidden: [
      { units: 5, activation: 'tanh', keepProb: 0.8 },
      { units: 4, activation: 'relu', keepProb: 1 },
    ],
    outputs: 3,
    output: 'softmax',
  };
  const recipe: ExportRecipe = {
    task: 'multiclass',
    targetName: 'species',
    classLabels: ['setosa', 'versi"color', 'virginica'],
    columns: [
      { kind: 'numeric', column: 'length', impute: 5.8 },
      { kind: 'numeric', column: 'width "cm"', impute: 3.05 },
      {
        kind: 'categorical',
        column: 'île',
        categories: ['Biscoe', 'Dream'],
        extra: ['(other)'],
        missingIndex: 1,
        otherIndex: 2,
      },
      {
        kind: 'boolean',
        column: 'tagged',
        trueValues: ['yes', 'true'],
        falseValues: ['no', 'false'],
        impute: 0.5,
      },
    ],
    scale: [
      { mean: 5.8, std: 0.8 },
      { mean: 3.05, std: 0.43 },
      null,
      null,
      null,
      { mean: 0.5, std: 0.5 },
    ],
    targetScale: null,
    delimiter: ',',
    decimalComma: false,
    missingTokens: DEFAULT_MISSING_TOKENS,
  };

  it('holds the weights and the recipe in the notes style', () => {
    const net = randomNetwork(spec, 1);
    const s = numpyScript(net, recipe, { title: 'Iris "model"' });
    expect(s).toContain('import numpy as np');
    expect(s).toContain('Z1 = np.dot(W1, A0) + b1');
    expect(s).toContain('A2 = relu(Z2)');
    expect(s).toContain('A3 = softmax(Z3)');
    expect(s).toContain('np.sum(E, axis=0, keepdims=True)');
    expect(s).toContain('db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)');
    expect(s).toContain('dW3 = 1 / m * np.dot(dZ3, A2.T) + lambd / m * W3');
    expect(s).toContain(pyFloat(net.params[0].W[0]));
    expect(s).toContain('"slots": {"Biscoe": 0, "Dream": 1}, "width": 3, "missing": 1, "other": 2');
    expect(s).not.toMatch(/^import (?!csv|math|re|sys|numpy)/m);
    expect(exportFeatureNames(recipe)).toEqual([
      'length',
      'width "cm"',
      'île=Biscoe',
      'île=Dream',
      'île=(other)',
      'tagged',
    ]);
  });

  it('refuses a recipe that does not fit the network, naming the mismatch', () => {
    const net = randomNetwork({ ...spec, inputs: 5 }, 1);
    expect(() => validateExport(net, recipe)).toThrow(
      /recipe makes 6 features but the network expects 5/,
    );
    const bad = randomNetwork(spec, 1);
    bad.params[1].W.pop();
    expect(() => numpyScript(bad, recipe)).toThrow(/W\[2\] has 19 values but should be 4 x 5/);
    const nan = randomNetwork(spec, 1);
    nan.params[0].b[0] = NaN;
    expect(() => numpyScript(nan, recipe)).toThrow(/not finite/);
  });

  it.skipIf(missingPython !== null)(
    `reproduces the predictions with python3 + numpy${missingPython ? ` (skipped: ${missingPython})` : ''}`,
    () => {
      const net = randomNetwork(spec, 7);
      const csv = [
        'length,"width ""cm""",île,tagged,species',
        '5.1,3.5,Biscoe,yes,setosa',
        '6.7,3.0,Dream,no,virginica',
        'NA,2.9,Torgersen,TRUE,versi"color', // missing number, unknown category -> other
        '7.2, ,?,,setosa', // blank number, missing category -> impute, missing boolean -> impute
        '4.4,abc,"Dream",false,x', // not a number -> impute
        '',
        '5.0,1e400,Biscoe,maybe,x', // overflow -> impute, unknown boolean -> impute
      ].join('\n');
      const r = runScript(numpyScript(net, recipe), csv);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = parseOutput(r.stdout);
      expect(out.header).toEqual(['prediction', 'p(setosa)', 'p(versi"color)', 'p(virginica)']);
      expect(out.rows).toHaveLength(6);
      // The app's features for those rows, by hand from the recipe.
      const raw: number[][] = [
        [5.1, 3.5, 1, 0, 0, 1],
        [6.7, 3.0, 0, 1, 0, 0],
        [5.8, 2.9, 0, 0, 1, 1],
        [7.2, 3.05, 0, 1, 0, 0.5],
        [4.4, 3.05, 0, 1, 0, 0],
        [5.0, 3.05, 1, 0, 0, 0.5],
      ];
      const feats = raw.map((x) =>
        x.map((v, j) => (recipe.scale[j] ? (v - recipe.scale[j]!.mean) / recipe.scale[j]!.std : v)),
      );
      const expected = feats.map((x) => referenceForward(net, x));
      out.rows.forEach((row, i) => {
        const probs = row.slice(1).map(Number);
        expected[i].forEach((p, k) => expect(probs[k]).toBeCloseTo(p, 9));
        const best = expected[i].indexOf(Math.max(...expected[i]));
        expect(row[0]).toBe(recipe.classLabels[best]);
      });
    },
  );

  it.skipIf(missingPython !== null)(
    'imputes a column the CSV lacks, as the app does, and says so',
    () => {
      const r = runScript(numpyScript(randomNetwork(spec, 2), recipe), 'length,tagged\n1,yes\n');
      expect(r.status).toBe(0);
      expect(r.stderr).toContain(
        "the CSV has no column named 'width \"cm\"', 'île'; its values are imputed",
      );
      const row = parseOutput(r.stdout).rows[0].slice(1).map(Number);
      const x = [1, 3.05, 0, 1, 0, 1].map((v, j) =>
        recipe.scale[j] ? (v - recipe.scale[j]!.mean) / recipe.scale[j]!.std : v,
      );
      referenceForward(randomNetwork(spec, 2), x).forEach((p, k) =>
        expect(row[k]).toBeCloseTo(p, 9),
      );
    },
  );
});

/** Float64 forward pass used until the test switches to the engine's predict. */
function referenceForward(net: SerializedNetwork, x: number[]): number[] {
  let a = x;
  const L = net.params.length;
  net.params.forEach((p, i) => {
    const n = p.b.length;
    const z = Array.from(
      { length: n },
      (_, r) => p.b[r] + a.reduce((s, v, c) => s + p.W[r * a.length + c] * v, 0),
    );
    const act = i === L - 1 ? net.spec.output : net.spec.hidden[i].activation;
    if (act === 'softmax') {
      const mx = Math.max(...z);
      const e = z.map((v) => Math.exp(v - mx));
      const s = e.reduce((u, v) => u + v, 0);
      a = e.map((v) => v / s);
    } else
      a = z.map((v) =>
        act === 'tanh'
          ? Math.tanh(v)
          : act === 'relu'
            ? Math.max(0, v)
            : act === 'sigmoid'
              ? 1 / (1 + Math.exp(-v))
              : act === 'leaky_relu'
                ? v > 0
                  ? v
                  : 0.01 * v
                : v,
      );
  });
  return a;
}

// ---- the real pipeline: the data worker's recipe, the engine's network and predict, then python3 ----

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

describe('the script backward pass (notes style) against the engine', () => {
  /** Runs model.backward(X, Y, lambd) from the generated script and returns the cost and the gradients. */
  function pythonBackward(
    script: string,
    X: number[][],
    Y: number[][],
    lambd: number,
  ): { cost: number; grads: Record<string, number[][]> } {
    const dir = mkdtempSync(join(tmpdir(), 'numpy-backward-'));
    try {
      writeFileSync(join(dir, 'model.py'), script);
      writeFileSync(join(dir, 'xy.json'), JSON.stringify({ X, Y, lambd }));
      const driver = [
        'import json, sys',
        `sys.path.insert(0, ${JSON.stringify(dir)})`,
        'import numpy as np',
        'import model',
        `d = json.load(open(${JSON.stringify(join(dir, 'xy.json'))}))`,
        'cost, g = model.backward(np.array(d["X"]), np.array(d["Y"]), d["lambd"])',
        'print(json.dumps({"cost": float(cost), "grads": {k: v.tolist() for k, v in g.items()}}))',
      ].join('\n');
      const r = spawnSync('python3', ['-c', driver], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout) as { cost: number; grads: Record<string, number[][]> };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const cases: Array<[NetworkSpec['output'], number]> = [
    ['softmax', 3],
    ['sigmoid', 1],
    ['linear', 1],
  ];
  for (const [output, ny] of cases) {
    it.skipIf(missingPython !== null)(
      `${output} output, every hidden activation: same cost, dW and db`,
      () => {
        const spec: NetworkSpec = {
          inputs: 3,
          hidden: [
            { units: 4, activation: 'tanh', keepProb: 1 },
            { units: 4, activation: 'relu', keepProb: 1 },
            { units: 3, activation: 'sigmoid', keepProb: 1 },
            { units: 3, activation: 'leaky_relu', keepProb: 1 },
            { units: 2, activation: 'linear', keepProb: 1 },
          ],
          outputs: ny,
          output,
        };
        const net = randomNetwork(spec, 21);
        const rng = createRng(5);
        const m = 7;
        const X = Array.from({ length: 3 }, () => Array.from({ length: m }, () => rng.gaussian()));
        const Y = Array.from({ length: ny }, () => Array.from({ length: m }, () => 0));
        for (let j = 0; j < m; j++) {
          if (output === 'softmax') Y[j % ny][j] = 1;
          else Y[0][j] = output === 'sigmoid' ? j % 2 : rng.gaussian();
        }
        const lambd = 0.3;
        const ours = forwardBackward(
          createNetwork(spec, net.params),
          { rows: 3, cols: m, data: X.flat() },
          { rows: ny, cols: m, data: Y.flat() },
          { lambda: lambd },
        );
        const py = pythonBackward(
          numpyScript(net, {
            ...syntheticRecipe(3),
            task:
              output === 'softmax' ? 'multiclass' : output === 'sigmoid' ? 'binary' : 'regression',
            classLabels:
              output === 'softmax' ? ['a', 'b', 'c'] : output === 'sigmoid' ? ['n', 'y'] : [],
          }),
          X,
          Y,
          lambd,
        );
        expect(py.cost).toBeCloseTo(ours.cost.total, 10);
        for (let l = 1; l <= spec.hidden.length + 1; l++) {
          py.grads[`dW${l}`]
            .flat()
            .forEach((v, i) => expect(v, `dW${l}[${i}]`).toBeCloseTo(ours.dW[l].data[i], 10));
          py.grads[`db${l}`]
            .flat()
            .forEach((v, i) => expect(v, `db${l}[${i}]`).toBeCloseTo(ours.db[l].data[i], 10));
        }
      },
    );
  }
});

function syntheticRecipe(nx: number): ExportRecipe {
  return {
    task: 'regression',
    targetName: 'y',
    classLabels: [],
    columns: Array.from({ length: nx }, (_, i) => ({
      kind: 'numeric' as const,
      column: `x${i + 1}`,
      impute: 0,
    })),
    scale: Array.from({ length: nx }, () => null),
    targetScale: null,
    delimiter: ',',
    decimalComma: false,
    missingTokens: DEFAULT_MISSING_TOKENS,
  };
}
