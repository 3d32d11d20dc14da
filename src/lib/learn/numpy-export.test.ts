// The NumPy export: the script's text, its refusals, and python3 + numpy running it against a hand-made
// recipe and against the engine's backward pass.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkSpec, SerializedNetwork } from '../../../workers/core/types.ts';
import { createRng } from '../../../workers/core/rng.ts';
import { createNetwork, forwardBackward } from '../../../workers/core/network.ts';
import {
  DEFAULT_MISSING_TOKENS,
  exportFeatureNames,
  numpyScript,
  pyFloat,
  validateExport,
  type ExportRecipe,
} from './numpy-export.ts';
import { missingPython, parseOutput, runScript } from './numpy-test-support.ts';

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
