// Runs the exported script with the system's python3 + numpy on a CSV and compares with the app's predictions.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkSpec, SerializedNetwork } from '../../../workers/core/types.ts';
import { createRng } from '../../../workers/core/rng.ts';
import { DEFAULT_MISSING_TOKENS, exportFeatureNames, numpyScript, pyFloat, validateExport, type ExportRecipe } from './numpy-export.ts';

function pythonStatus(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (r.error) return 'python3 is not installed (apt-get install python3-numpy)';
  if (r.status !== 0) return 'python3 has no numpy (apt-get install python3-numpy)';
  return null;
}
const missingPython = pythonStatus();

function runScript(script: string, csv: string): { stdout: string; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'numpy-export-'));
  try {
    writeFileSync(join(dir, 'model.py'), script);
    writeFileSync(join(dir, 'data.csv'), csv);
    const r = spawnSync('python3', [join(dir, 'model.py'), join(dir, 'data.csv')], { encoding: 'utf8' });
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
      { kind: 'categorical', column: 'île', categories: ['Biscoe', 'Dream', 'other'], impute: 'Dream', otherIndex: 2 },
      { kind: 'boolean', column: 'tagged', trueValues: ['yes', 'true'], falseValues: ['no', 'false'], impute: 0.5 },
    ],
    scale: [{ mean: 5.8, std: 0.8 }, { mean: 3.05, std: 0.43 }, null, null, null, { mean: 0.5, std: 0.5 }],
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
    expect(s).toContain(pyFloat(net.params[0].W[0]));
    expect(s).toContain('"categories": ["Biscoe", "Dream", "other"]');
    expect(s).not.toMatch(/^import (?!csv|math|re|sys|numpy)/m);
    expect(exportFeatureNames(recipe)).toEqual(['length', 'width "cm"', 'île=Biscoe', 'île=Dream', 'île=other', 'tagged']);
  });

  it('refuses a recipe that does not fit the network, naming the mismatch', () => {
    const net = randomNetwork({ ...spec, inputs: 5 }, 1);
    expect(() => validateExport(net, recipe)).toThrow(/recipe makes 6 features but the network expects 5/);
    const bad = randomNetwork(spec, 1);
    bad.params[1].W.pop();
    expect(() => numpyScript(bad, recipe)).toThrow(/W\[2\] has 19 values but should be 4 x 5/);
    const nan = randomNetwork(spec, 1);
    nan.params[0].b[0] = NaN;
    expect(() => numpyScript(nan, recipe)).toThrow(/not finite/);
  });

  it.skipIf(missingPython !== null)(`reproduces the predictions with python3 + numpy${missingPython ? ` (skipped: ${missingPython})` : ''}`, () => {
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
    const feats = raw.map((x) => x.map((v, j) => (recipe.scale[j] ? (v - recipe.scale[j]!.mean) / recipe.scale[j]!.std : v)));
    const expected = feats.map((x) => referenceForward(net, x));
    out.rows.forEach((row, i) => {
      const probs = row.slice(1).map(Number);
      expected[i].forEach((p, k) => expect(probs[k]).toBeCloseTo(p, 9));
      const best = expected[i].indexOf(Math.max(...expected[i]));
      expect(row[0]).toBe(recipe.classLabels[best]);
    });
  });

  it.skipIf(missingPython !== null)('tells the user which column is missing from the CSV', () => {
    const r = runScript(numpyScript(randomNetwork(spec, 2), recipe), 'length,tagged\n1,yes\n');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("The CSV has no column named 'width \"cm\"', 'île'");
  });
});

/** Float64 forward pass used until the test switches to the engine's predict. */
function referenceForward(net: SerializedNetwork, x: number[]): number[] {
  let a = x;
  const L = net.params.length;
  net.params.forEach((p, i) => {
    const n = p.b.length;
    const z = Array.from({ length: n }, (_, r) => p.b[r] + a.reduce((s, v, c) => s + p.W[r * a.length + c] * v, 0));
    const act = i === L - 1 ? net.spec.output : net.spec.hidden[i].activation;
    if (act === 'softmax') {
      const mx = Math.max(...z);
      const e = z.map((v) => Math.exp(v - mx));
      const s = e.reduce((u, v) => u + v, 0);
      a = e.map((v) => v / s);
    } else
      a = z.map((v) =>
        act === 'tanh' ? Math.tanh(v) : act === 'relu' ? Math.max(0, v) : act === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : act === 'leaky_relu' ? (v > 0 ? v : 0.01 * v) : v,
      );
  });
  return a;
}

