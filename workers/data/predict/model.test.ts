import { describe, expect, it } from 'vitest';
import { createNetwork, predict, serialize } from '../../core/network.ts';
import type { NetworkSpec } from '../../core/types.ts';
import type { ModelRecord } from '../../store/schema.ts';
import { applyRecipe } from '../encode.ts';
import { DEFAULT_RECIPE_SETTINGS, type Recipe } from '../types.ts';
import { predictFile } from './file.ts';
import { inputColumns, Predictor, PredictStop } from './model.ts';
import type { RawRow } from '../encode.ts';
import { english } from '../../store/english.test-support.ts';

/** What a student reads when `f` stops: the PredictStop's message in English. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof PredictStop ? english(e.msg) : String(e);
  }
  return 'nothing thrown';
}

const predictRows = (m: ModelRecord, rows: RawRow[], header: string[] | null = null) =>
  new Predictor(m).predict(rows, header);

/** The downloaded CSV of these rows (header + rows, CRLF), through the streaming file path. */
async function predictionsCsv(m: ModelRecord, header: string[], rows: string[][]): Promise<string> {
  const text = [header, ...rows].map((r) => r.join(',')).join('\n');
  const res = await predictFile(m, new Blob([text]), 'rows.csv');
  if (!res.ok) throw new Error(res.problem.message);
  return res.batch.csv.text();
}

const recipe: Recipe = {
  version: 1,
  settings: { ...DEFAULT_RECIPE_SETTINGS, target: 'y' },
  target: 'y',
  task: 'multiclass',
  classLabels: ['a', 'b', 'c'],
  targetScale: null,
  decimalComma: false,
  columns: [
    { name: 'n', kind: 'numeric', impute: 1, mean: 1, std: 2 },
    {
      name: 'c',
      kind: 'categorical',
      categories: ['red', 'blue'],
      imputeCategory: 'red',
      missingColumn: false,
      otherColumn: false,
    },
  ],
  droppedColumns: [],
  featureNames: ['n', 'c=red', 'c=blue'],
};

function model(spec: NetworkSpec, extra: Partial<ModelRecord> = {}): ModelRecord {
  return {
    id: 'm',
    name: 'm',
    created: 0,
    network: serialize(createNetwork(spec, { init: 'xavier', seed: 3 })),
    recipe,
    task: 'multiclass',
    targetName: 'y',
    featureNames: recipe.featureNames,
    classLabels: ['a', 'b', 'c'],
    targetScale: null,
    metrics: {},
    runId: null,
    datasetHash: null,
    ...extra,
  };
}

describe('prediction on raw rows', () => {
  const softmax: NetworkSpec = {
    inputs: 3,
    hidden: [{ units: 4, activation: 'tanh', keepProb: 0.5 }],
    outputs: 3,
    output: 'softmax',
  };

  it('goes through the recipe and the forward pass, and names the most probable class', () => {
    const m = model(softmax);
    const rows = [
      { n: '3', c: 'blue' },
      { n: '', c: 'green' },
      { n: '-2.5', c: 'red' },
    ];
    const preds = predictRows(m, rows);
    const { x } = applyRecipe(recipe, rows);
    const A = predict(createNetwork(m.network.spec, m.network.params), {
      rows: 3,
      cols: 3,
      data: x,
    }).data;
    preds.forEach((p, i) => {
      expect(p.probabilities).toHaveLength(3);
      expect(p.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
      p.probabilities.forEach((v, k) => expect(v).toBe(A[k * 3 + i]));
      const best = p.probabilities.indexOf(Math.max(...p.probabilities));
      expect(p.label).toBe(['a', 'b', 'c'][best]);
    });
    expect(inputColumns(m).map((c) => [c.name, c.kind, c.choices])).toEqual([
      ['n', 'numeric', []],
      ['c', 'categorical', ['red', 'blue']],
    ]);
  });

  it('maps a regression output back to the target units', () => {
    const spec: NetworkSpec = { inputs: 1, hidden: [], outputs: 1, output: 'linear' };
    const m = model(spec, {
      recipe: null,
      featureNames: ['x'],
      classLabels: [],
      task: 'regression',
      targetScale: { mean: 100, std: 10 },
    });
    m.network.params = [{ W: [2], b: [0.5] }];
    const [p] = predictRows(m, [{ x: '1.5' }]);
    expect(p.value).toBeCloseTo((2 * 1.5 + 0.5) * 10 + 100, 10);
    expect(thrown(() => predictRows(m, [{ x: 'ten' }]))).toMatch(
      'Row 1, column "x": "ten" is not a number',
    );
  });

  it('a binary model labels by the 0.5 threshold with the user\u2019s labels', async () => {
    const spec: NetworkSpec = { inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' };
    const m = model(spec, {
      recipe: null,
      featureNames: ['x1', 'x2'],
      classLabels: ['no', 'yes'],
      task: 'binary',
    });
    m.network.params = [{ W: [1, -1], b: [0] }];
    const p = predictRows(
      m,
      [
        ['2', '0'],
        ['0', '2'],
      ],
      ['x1', 'x2'],
    );
    expect(p.map((q) => q.label)).toEqual(['yes', 'no']);
    expect(p[0].probabilities[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    const csv = (
      await predictionsCsv(
        m,
        ['x1', 'x2', 'note'],
        [
          ['2', '0', '=1+1'],
          ['0', '2', '@x'],
        ],
      )
    ).split('\r\n');
    expect(csv[0]).toBe('x1,x2,note,predicted y,probability no,probability yes');
    expect(csv[1]).toBe("2,0,'=1+1,yes,0.119203,0.880797");
    expect(csv[2]).toBe("0,2,'@x,no,0.880797,0.119203");
  });

  it('refuses a recipe that does not fit the network', () => {
    const m = model({ inputs: 2, hidden: [], outputs: 3, output: 'softmax' });
    expect(thrown(() => new Predictor(m).features([{ n: '1', c: 'red' }]))).toMatch(
      /makes 3 features but its network takes 2/,
    );
  });
  it('refuses a damaged recipe, naming the column', () => {
    const broken = structuredClone(recipe) as unknown as {
      columns: Array<Record<string, unknown>>;
    };
    delete broken.columns[1].categories;
    expect(
      thrown(() => new Predictor(model(softmax, { recipe: broken as unknown as Recipe }))),
    ).toMatch(
      'This model\'s recipe is damaged at column "c": its categories must be a list of texts. Export the model again from its run.',
    );
    const flat = structuredClone(recipe);
    flat.columns[0] = { name: 'n', kind: 'numeric', impute: 1, mean: 1, std: 0 };
    expect(thrown(() => new Predictor(model(softmax, { recipe: flat })))).toMatch(
      /damaged at column "n": its impute, mean and std must be numbers \(std above 0\)/,
    );
    const short = { ...structuredClone(recipe), featureNames: ['n', 'c=red'] };
    expect(thrown(() => new Predictor(model(softmax, { recipe: short })))).toMatch(
      "This model's recipe makes 3 features from its columns but lists 2 feature names.",
    );
  });
});
