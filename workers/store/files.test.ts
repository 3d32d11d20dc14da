import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { SerializedNetwork } from '../core/types.ts';
import { DEFAULT_RECIPE_SETTINGS } from '../data/types.ts';
import { ImportError, LIMITS, checkFileSize, parseJsonSafely, parameterCount } from './validate.ts';
import { parseNetwork } from './validate.ts';
import { modelFile, runFile, toJson } from './file-export.ts';
import { parseImport, readImportFile } from './file-import.ts';
import { config, model, network, runRecordStub } from './fixtures.test-support.ts';
import { englishOf } from './english.test-support.ts';

type Json = Record<string, unknown>;

function modelText(mutate: (m: Json) => void = () => undefined): string {
  const f = JSON.parse(toJson(modelFile({ ...model(), id: 'x', created: 1 }))) as Json;
  mutate(f.model as Json);
  return JSON.stringify(f);
}

/** The English message of the refusal `fn` throws (it must throw an ImportError). */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return englishOf(e);
  }
  throw new Error('expected a refusal');
}

const recipe = () => ({
  version: 1,
  settings: {
    target: 'label',
    task: null,
    types: [],
    dropped: [],
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
  task: 'binary',
  classLabels: ['out', 'in'],
  targetScale: null,
  decimalComma: false,
  columns: [
    { name: 'x', kind: 'numeric', impute: 0, mean: 0, std: 1 },
    { name: 'y', kind: 'numeric', impute: 0, mean: 0, std: 1 },
  ] as Json[],
  droppedColumns: [],
  featureNames: ['x', 'y'],
});

describe('hostile and broken files are refused with the field’s path, and nothing is stored', () => {
  it('a 500 MB model file is refused by its size alone, without reading a byte', async () => {
    let read = false;
    const huge = {
      size: 1500 * 1024 * 1024,
      name: 'huge.json',
      text: () => {
        read = true;
        return Promise.resolve('');
      },
    } as unknown as Blob & { name: string };
    await expect(readImportFile(huge)).rejects.toBeInstanceOf(ImportError);
    expect(read).toBe(false);
    expect(refusal(() => checkFileSize(huge))).toMatch(
      /“huge.json” is 1500 MB, more than the 1024 MB allowed for a file.*Nothing was read/,
    );
    expect(
      refusal(() => checkFileSize({ size: 400 * 1024 * 1024, name: 'm.json' }, 'model')),
    ).toMatch(/400 MB, more than the 300 MB allowed for a model file/);
    expect(refusal(() => checkFileSize({ size: 0, name: 'e.json' }))).toMatch(/is empty/);
  });

  it('truncated or broken JSON says so', () => {
    const text = modelText();
    expect(refusal(() => parseImport(text.slice(0, Math.floor(text.length / 2))))).toMatch(
      /cut short/,
    );
    expect(refusal(() => parseImport('{"format": oops}'))).toMatch(/not valid JSON/);
    expect(refusal(() => parseImport('[1,2,3]'))).toMatch(/one JSON object/);
    expect(refusal(() => parseImport(`${text} {}`))).toMatch(/after the end of the data/);
  });

  it('a __proto__ key is refused and pollutes nothing; "constructor" or "prototype" metrics are dropped', () => {
    const text = modelText().replace('"model":{', '"model":{"__proto__":{"polluted":true},');
    expect(refusal(() => parseImport(text))).toMatch(/“__proto__”.*refused for safety/);
    expect(({} as Json).polluted).toBeUndefined();
    expect(refusal(() => parseJsonSafely('{"a":{"__proto__":{"isAdmin":true}}}'))).toMatch(
      /__proto__/,
    );
    const bundle = parseImport(modelText((m) => (m.metrics = { constructor: 1, prototype: 2 })));
    expect(Object.keys(bundle.models[0].metrics)).toEqual([]);
    expect(Object.getPrototypeOf(bundle.models[0].metrics)).toBe(Object.prototype);
    expect(({} as Json).constructor).toBe(Object);
  });

  it('weights: NaN (null in JSON), text, 1e308 are refused with the path of the number', () => {
    const W = (m: Json) => (m.network as SerializedNetwork).params[0].W as unknown[];
    expect(refusal(() => parseImport(modelText((m) => (W(m)[4] = null))))).toBe(
      'model.network.params[0].W[4] is null; every weight must be a number.',
    );
    expect(refusal(() => parseImport(modelText((m) => (W(m)[0] = '1'))))).toMatch(
      /model\.network\.params\[0\]\.W\[0\] is 1; every weight must be a number/,
    );
    expect(refusal(() => parseImport(modelText((m) => (W(m)[1] = 1e308))))).toBe(
      'model.network.params[0].W[1] is 1e+308; every weight must be between -1,000,000 and 1,000,000.',
    );
    expect(refusal(() => parseImport(modelText((m) => (W(m)[1] = -2e6))))).toMatch(
      /W\[1\] is -2000000; every weight must be between -1,000,000 and 1,000,000/,
    );
    expect(refusal(() => parseImport(modelText().replace(/"W":\[[^,]+/, '"W":[NaN')))).toMatch(
      /not valid JSON/,
    );
  });

  it('shapes beyond the network editor’s limits are refused before any weight is looked at', () => {
    const spec = (m: Json) => (m.network as SerializedNetwork).spec;
    expect(refusal(() => parseImport(modelText((m) => (spec(m).hidden[0].units = 100_000))))).toBe(
      'model.network.spec.hidden[0].units is 100000; it should be at most 1,024.',
    );
    const deep = modelText((m) => {
      spec(m).hidden = Array.from({ length: 32 }, () => ({
        units: 4,
        activation: 'relu',
        keepProb: 1,
      }));
    });
    expect(refusal(() => parseImport(deep))).toBe(
      'model.network.spec.hidden has 32 entries; at most 8 are allowed.',
    );
    const many = modelText((m) => {
      spec(m).inputs = 50_000;
      spec(m).hidden = [1, 2].map(() => ({ units: 1024, activation: 'relu', keepProb: 1 }));
    });
    expect(refusal(() => parseImport(many))).toBe(
      'model.network.spec would have 52,251,649 parameters; at most 10,000,000 are allowed.',
    );
    expect(
      parameterCount({
        inputs: 2,
        hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
        outputs: 1,
        output: 'sigmoid',
      }),
    ).toBe(13);
  });

  it('weights that do not fit the shape, and names that do not fit the network', () => {
    const net = (m: Json) => m.network as SerializedNetwork;
    expect(refusal(() => parseImport(modelText((m) => net(m).params[0].W.pop())))).toBe(
      'model.network.params[0].W has 5 numbers, but a 3 x 2 matrix needs 6.',
    );
    expect(refusal(() => parseImport(modelText((m) => net(m).params.pop())))).toBe(
      'model.network.params has weights for 1 layer, but the network has 2 layers.',
    );
    expect(refusal(() => parseImport(modelText((m) => (m.featureNames = ['x']))))).toBe(
      'model.featureNames names 1 input feature, but the network takes 2 inputs.',
    );
    expect(refusal(() => parseImport(modelText((m) => (m.task = 'multiclass'))))).toMatch(
      /^model\.network\.spec has 1 output \(sigmoid\), but a several-class model needs 2 outputs \(softmax\)/,
    );
  });

  it('class labels that repeat, and a boolean target with three labels', () => {
    expect(refusal(() => parseImport(modelText((m) => (m.classLabels = ['a', 'a']))))).toBe(
      'model.classLabels[1] repeats “a”; every entry must be different.',
    );
    expect(refusal(() => parseImport(modelText((m) => (m.classLabels = ['a', 'b', 'c']))))).toBe(
      'model.classLabels lists 3 classes, but the network has 1 output.',
    );
  });

  it('every recipe column kind needs its members: categories, yes and no values, unique names', () => {
    const withColumn = (c: Json) =>
      modelText((m) => {
        const r = recipe();
        r.columns[1] = c;
        m.recipe = r;
      });
    // Settings the file leaves out take a new table's defaults.
    expect(parseImport(modelText((m) => (m.recipe = recipe()))).models[0].recipe).toEqual({
      ...recipe(),
      settings: { ...DEFAULT_RECIPE_SETTINGS, ...recipe().settings },
    });
    expect(
      refusal(() =>
        parseImport(
          withColumn({
            name: 'y',
            kind: 'categorical',
            imputeCategory: null,
            missingColumn: false,
            otherColumn: false,
          }),
        ),
      ),
    ).toBe('model.recipe.columns[1].categories is missing.');
    expect(refusal(() => parseImport(withColumn({ name: 'y', kind: 'boolean', impute: 0 })))).toBe(
      'model.recipe.columns[1].positive is missing.',
    );
    expect(
      refusal(() =>
        parseImport(
          withColumn({ name: 'y', kind: 'boolean', positive: 'yes', negative: 'yes', impute: 0 }),
        ),
      ),
    ).toMatch(/^model\.recipe\.columns\[1\]\.negative is “yes”, the same as the yes value/);
    expect(
      refusal(() =>
        parseImport(
          withColumn({
            name: 'y',
            kind: 'categorical',
            categories: ['a', 'a'],
            imputeCategory: null,
            missingColumn: false,
            otherColumn: false,
          }),
        ),
      ),
    ).toBe('model.recipe.columns[1].categories[1] repeats “a”; every entry must be different.');
    expect(
      refusal(() =>
        parseImport(
          withColumn({
            name: 'y',
            kind: 'categorical',
            categories: ['a', 'b'],
            imputeCategory: 'c',
            missingColumn: false,
            otherColumn: false,
          }),
        ),
      ),
    ).toMatch(/^model\.recipe\.columns\[1\]\.imputeCategory is “c”, which is not one of/);
    expect(refusal(() => parseImport(withColumn({ name: 'x', kind: 'magic' })))).toBe(
      'model.recipe.columns[1].kind is “magic”; it should be one of: numeric, categorical, boolean.',
    );
    expect(
      refusal(() =>
        parseImport(withColumn({ name: 'x', kind: 'numeric', impute: 0, mean: 0, std: 1 })),
      ),
    ).toBe('model.recipe.columns[1].name repeats “x”; every entry must be different.');
    expect(
      refusal(() => parseImport(modelText((m) => (m.recipe = { ...recipe(), version: 2 })))),
    ).toMatch(/^model\.recipe\.version should be recipe version 1/);
    expect(
      refusal(() =>
        parseImport(modelText((m) => (m.recipe = { ...recipe(), featureNames: ['x', 'y', 'z'] }))),
      ),
    ).toBe(
      'model.recipe.featureNames lists 3 feature names, but the recipe’s columns make 2 features.',
    );
  });

  it('wrong format or version gets a message that says what to do', () => {
    expect(refusal(() => parseImport('{"format":"something-else","version":1}'))).toMatch(
      /not a Backprop Lab file \(its “format” is something-else\)/,
    );
    expect(refusal(() => parseImport(modelText().replace('"version":1', '"version":9')))).toMatch(
      /model file has version 9; this app reads version 1\. Update the app/,
    );
    expect(
      refusal(() =>
        parseNetwork({
          format: 'backprop-lab/network',
          version: 1,
          spec: { inputs: 2, hidden: [], outputs: 1, output: 'cubic' },
          params: [],
        }),
      ),
    ).toBe('network.spec.output is “cubic”; it should be one of: sigmoid, softmax, linear.');
  });

  it('a run file: settings beyond the editor’s limits and weights of another shape are refused', () => {
    const text = (mutate: (f: Json) => void) => {
      const f = JSON.parse(
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
      mutate(f);
      return JSON.stringify(f);
    };
    expect(
      refusal(() =>
        parseImport(text((f) => ((f.run as { config: Json }).config.learningRate = -1))),
      ),
    ).toBe('run.config.learningRate is -1; it should be more than 0.');
    expect(
      refusal(() => parseImport(text((f) => ((f.run as { config: Json }).config.init = {})))),
    ).toMatch(/^run\.config\.init is “\{\}”; it should be one of: zeros, random, xavier, he\./);
    expect(
      refusal(() =>
        parseImport(
          text(
            (f) =>
              ((f.checkpoint as { network: SerializedNetwork }).network.spec.hidden[0].units = 4),
          ),
        ),
      ),
    ).toMatch(/^checkpoint\.network\.params\[0\]\.W has 6 numbers, but a 4 x 2 matrix needs 8/);
    expect(
      refusal(() =>
        parseImport(
          text((f) => {
            const n = (f.checkpoint as { network: SerializedNetwork }).network;
            n.spec.hidden[0].activation = 'relu';
          }),
        ),
      ),
    ).toBe(
      'checkpoint.network.spec does not match the run’s network shape, so these weights do not belong to this run.',
    );
  });

  it('lesson packs: fields of the wrong type are refused; no target yet (null) is fine', () => {
    const lesson = (patch: Json) =>
      JSON.stringify({
        format: 'backprop-lab/lesson',
        version: 1,
        app: 'Backprop Lab',
        exportedAt: '2026-01-01T00:00:00.000Z',
        title: 'L',
        note: '',
        dataset: { name: 'd.csv', type: 'text/csv', base64: btoa('x,y\n1,2\n'), summary: null },
        recipeSettings: { ...recipe().settings },
        config,
        ...patch,
      });
    expect(parseImport(lesson({})).lesson?.recipeSettings?.target).toBe('label');
    expect(parseImport(lesson({ recipeSettings: null })).lesson?.recipeSettings).toBeNull();
    // A pack naming only its target: the other settings are those a new table gets.
    const partial = parseImport(lesson({ recipeSettings: { target: 'art' } })).lesson;
    expect(partial?.recipeSettings).toEqual({ ...DEFAULT_RECIPE_SETTINGS, target: 'art' });
    expect(refusal(() => parseImport(lesson({ recipeSettings: { target: 5 } })))).toMatch(
      /^recipeSettings\.target /,
    );
    expect(refusal(() => parseImport(lesson({ recipeSettings: 'art' })))).toMatch(
      /^recipeSettings /,
    );
    const settings = (patch: Json) =>
      lesson({ recipeSettings: { ...recipe().settings, ...patch } });
    expect(refusal(() => parseImport(settings({ types: 'numeric' })))).toBe(
      'recipeSettings.types should be a list, but it is text.',
    );
    expect(refusal(() => parseImport(settings({ dropped: null })))).toBe(
      'recipeSettings.dropped should be a list, but it is empty (null).',
    );
    expect(refusal(() => parseImport(settings({ numericImpute: { a: 1 } })))).toBe(
      'recipeSettings.numericImpute is “{"a":1}”; it should be one of: mean, median.',
    );
    expect(
      refusal(() => parseImport(settings({ types: [{ column: 'x', type: 'image' }] }))),
    ).toMatch(/^recipeSettings\.types\[0\]\.type is “image”; it should be one of: numeric,/);
    const deep = {
      ...config,
      hidden: Array.from({ length: 32 }, () => ({ units: 8, activation: 'relu', keepProb: 1 })),
    };
    expect(refusal(() => parseImport(lesson({ config: deep })))).toBe(
      'config.hidden has 32 entries; at most 8 are allowed.',
    );
    expect(refusal(() => parseImport(lesson({ dataset: { name: 'd', base64: 'ab$=' } })))).toBe(
      'dataset.base64 is not valid base64 data.',
    );
  });

  it('a backup keeps its good records and lists each bad one with its path', () => {
    const m = JSON.parse(modelText()) as { model: Json };
    const bad = structuredClone(m.model);
    (bad.network as SerializedNetwork).params[0].W[0] = null as unknown as number;
    const backup = {
      format: 'backprop-lab/backup',
      version: 1,
      models: [m.model, bad, { ...m.model, name: 'third' }, 42],
      runs: [],
      datasets: [],
    };
    const bundle = parseImport(JSON.stringify(backup));
    expect(bundle.models.map((x) => x.name)).toEqual(['circle', 'third']);
    expect(bundle.refusedCount).toBe(2);
    expect(bundle.refused.map((r) => [r.what, r.index, r.name])).toEqual([
      ['model', 1, 'circle'],
      ['model', 3, null],
    ]);
    expect(bundle.refused.map((r) => englishOf({ msg: r.reason }))).toEqual([
      'models[1].network.params[0].W[0] is null; every weight must be a number.',
      'models[3] should be a group of named fields, but it is a number.',
    ]);
  });

  it('limits are stated in one place', () => {
    expect(LIMITS.parameters).toBe(10_000_000);
    expect(LIMITS.features).toBeGreaterThanOrEqual(5000);
    expect(LIMITS.featureName).toBeGreaterThan(2 * LIMITS.text);
  });
});
