// Property-based fuzz of the file checks: valid files with random damage (fields removed, replaced with
// values of the wrong kind, repeated, stretched, cut short). Every outcome is either a refusal that
// names a path, or records that are stored, read back as valid, and predict finite numbers; never
// another exception. A bounded number of cases, so it runs with every test run.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as v from 'valibot';
import { createNetwork, predict, serialize } from '../core/network.ts';
import { applyRecipe } from '../data/recipe.ts';
import type { Recipe } from '../data/types.ts';
import { LabStore } from './store.ts';
import { modelFile, runFile, toJson } from './file-export.ts';
import { parseImport, storeImport } from './file-import.ts';
import type { ModelData } from './files.ts';
import { ModelRecordSchema, RunRecordSchema } from './schemas/index.ts';
import { ImportError } from './validate.ts';
import { config, network, runRecordStub } from './fixtures.test-support.ts';
import { english } from './english.test-support.ts';

type Json = unknown;

const recipe: Recipe = {
  version: 1,
  settings: {
    target: 'label',
    task: null,
    types: [{ column: 'c', type: 'categorical' }],
    dropped: ['id'],
    dropIdLike: true,
    numericImpute: 'mean',
    categoricalImpute: 'most_frequent',
    oneHotCap: 20,
    standardize: true,
    split: { train: 0.7, dev: 0.15, test: 0.15 },
    stratify: true,
    seed: 42,
  },
  target: 'label',
  task: 'multiclass',
  classLabels: ['red', 'green', 'blue'],
  targetScale: null,
  decimalComma: false,
  columns: [
    { name: 'n', kind: 'numeric', impute: 1.5, mean: 2, std: 0.5 },
    {
      name: 'c',
      kind: 'categorical',
      categories: ['a', 'b'],
      imputeCategory: 'a',
      missingColumn: true,
      otherColumn: true,
    },
    { name: 'b', kind: 'boolean', positive: 'yes', negative: 'no', impute: 1 },
  ],
  droppedColumns: [{ name: 'id', reason: 'an id' }],
  featureNames: ['n', 'c=a', 'c=b', 'c=(missing)', 'c=(other)', 'b=yes'],
};

function seeds(): Json[] {
  const net = createNetwork(
    {
      inputs: 6,
      hidden: [{ units: 4, activation: 'relu', keepProb: 1 }],
      outputs: 3,
      output: 'softmax',
    },
    { init: 'xavier', seed: 3 },
  );
  const withRecipe: ModelData = {
    name: 'colours',
    created: 1,
    network: serialize(net),
    recipe,
    task: 'multiclass',
    targetName: 'label',
    featureNames: recipe.featureNames,
    classLabels: recipe.classLabels,
    targetScale: null,
    metrics: { testAccuracy: 0.9, testRmse: NaN },
  };
  const model = JSON.parse(
    toJson(modelFile({ ...withRecipe, id: 'm', runId: null, datasetHash: null })),
  ) as Json;
  const run = JSON.parse(
    toJson(
      runFile(runRecordStub(), {
        runId: 'run-1',
        epoch: 1,
        savedAt: 1,
        network: network(),
        trainerState: null,
      }),
    ),
  ) as Json;
  const lesson = {
    format: 'backprop-lab/lesson',
    version: 1,
    app: 'Backprop Lab',
    exportedAt: '2026-01-01T00:00:00.000Z',
    title: 'L',
    note: 'n',
    dataset: { name: 'd.csv', type: 'text/csv', base64: btoa('n,c,b\n1,a,yes\n'), summary: null },
    recipeSettings: recipe.settings,
    config,
  };
  const backup = {
    format: 'backprop-lab/backup',
    version: 1,
    app: 'Backprop Lab',
    exportedAt: '2026-01-01T00:00:00.000Z',
    models: [(model as { model: Json }).model, (model as { model: Json }).model],
    runs: [
      { run: (run as { run: Json }).run, checkpoint: (run as { checkpoint: Json }).checkpoint },
    ],
    datasets: [lesson.dataset],
  };
  return [model, run, lesson, backup];
}

/** Every path to a value in a JSON tree (arrays sampled: weights lists are long). */
function paths(x: Json, at: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(at);
  if (Array.isArray(x)) x.slice(0, 6).forEach((y, i) => paths(y, [...at, i], out));
  else if (x && typeof x === 'object')
    for (const [k, y] of Object.entries(x)) paths(y, [...at, k], out);
  return out;
}

const REPLACEMENTS: Json[] = [
  null,
  undefined,
  {},
  [],
  '',
  'x',
  'x'.repeat(5000),
  0,
  -1,
  0.5,
  1e308,
  -1e308,
  true,
  { kind: 'numeric' },
  [null],
  ['a', 'a'],
  'sigmoid',
  'categorical',
];

const mutation = fc.record({
  pick: fc.nat(),
  replacement: fc.constantFrom(...REPLACEMENTS.keys()),
  how: fc.constantFrom('replace', 'replace', 'delete', 'repeat', 'number'),
  number: fc.double({ noNaN: true }),
});

function mutate(root: Json, m: Json): Json {
  const { pick, replacement, how, number } = m as {
    pick: number;
    replacement: number;
    how: string;
    number: number;
  };
  const all = paths(root).filter((p) => p.length > 0);
  const path = all[pick % all.length];
  let parent = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const key = path[path.length - 1];
  if (how === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (how === 'repeat' && Array.isArray(parent)) parent.push(structuredClone(parent[0]));
  else if (how === 'number') parent[key] = Number.isFinite(number) ? number : null;
  else parent[key] = structuredClone(REPLACEMENTS[replacement]);
  return root;
}

const store = new LabStore({ name: 'fuzz', broadcast: false, onFirstWrite: () => undefined });

/** A stored model is usable: it reads back as valid and predicts finite numbers from typical rows. */
function usableModel(m: ModelData): void {
  const { spec, params } = m.network;
  const r = m.recipe;
  const rows = [0, 1].map((i) =>
    r
      ? Object.fromEntries(
          r.columns.map((c) => [
            c.name,
            c.kind === 'numeric'
              ? String(c.mean)
              : c.kind === 'boolean'
                ? [c.positive, c.negative][i]
                : (c.categories[i] ?? 'unknown'),
          ]),
        )
      : [],
  );
  const x = r ? applyRecipe(r, rows, null).x : new Float32Array(spec.inputs * 2).fill(0.5);
  const out = predict(createNetwork(spec, params), { rows: spec.inputs, cols: 2, data: x }).data;
  expect(Array.from(out).every(Number.isFinite)).toBe(true);
  if (r)
    for (const c of r.columns) {
      const choices =
        c.kind === 'categorical'
          ? c.categories
          : c.kind === 'boolean'
            ? [c.negative, c.positive]
            : [];
      expect(new Set(choices).size).toBe(choices.length);
    }
  expect(new Set(m.classLabels).size).toBe(m.classLabels.length);
}

async function outcome(text: string): Promise<void> {
  let bundle;
  try {
    bundle = parseImport(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    // A refusal is a sentence in English (every key and parameter present).
    expect(english((e as ImportError).msg).length).toBeGreaterThan(10);
    return;
  }
  for (const r of bundle.refused) expect(typeof r.reason.params?.path).toBe('string');
  bundle.models.forEach(usableModel);
  const report = await storeImport(store, bundle);
  for (const { id } of report.models) {
    const back = await store.read((db) => db.get('models', id));
    expect(v.safeParse(ModelRecordSchema, back).success).toBe(true);
  }
  for (const { id } of report.runs) {
    const back = await store.read((db) => db.get('runs', id));
    expect(v.safeParse(RunRecordSchema, back).success).toBe(true);
  }
}

describe('fuzz: a damaged file is refused with a path, or stored and usable', () => {
  it('field damage (up to three changes per file)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (which, ms) => {
          let file = seeds()[which];
          for (const m of ms) file = mutate(file, m);
          await outcome(JSON.stringify(file) ?? 'null');
        },
      ),
      { numRuns: 400, seed: 20260101 },
    );
  }, 60_000);

  it('text damage: cut short, a character changed or inserted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 3 }),
        fc.nat(),
        fc.constantFrom('cut', 'change', 'insert'),
        fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '0', 'x', ' '),
        async (which, at, how, ch) => {
          const text = JSON.stringify(seeds()[which]);
          const i = at % text.length;
          const damaged =
            how === 'cut'
              ? text.slice(0, i)
              : how === 'change'
                ? text.slice(0, i) + ch + text.slice(i + 1)
                : text.slice(0, i) + ch + text.slice(i);
          await outcome(damaged);
        },
      ),
      { numRuns: 300, seed: 20260102 },
    );
  }, 60_000);
});
