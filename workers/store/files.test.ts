import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SerializedNetwork, TrainConfig } from '../core/types.ts';
import { createNetwork, predict, serialize } from '../core/network.ts';
import { LabStore } from './store.ts';
import {
  ImportError,
  LIMITS,
  checkFileSize,
  parseJsonSafely,
  parameterCount,
  parseNetwork,
} from './validate.ts';
import { fromBase64, toBase64 } from './files.ts';
import { exportEverything, lessonFile, modelFile, runFile, toJson } from './file-export.ts';
import { parseImport, readImportFile, storeImport } from './file-import.ts';
import { listModels, saveModel, type NewModel } from './models.ts';
import { createRun, finishRun, getCheckpoint, listRuns } from './runs.ts';
import { listDatasets, putDataset } from './datasets.ts';
import { csvCell, toCsv } from './csv.ts';

const opened: LabStore[] = [];
let n = 0;
function openStore(): LabStore {
  const s = new LabStore({
    name: `files-${Date.now()}-${n++}`,
    broadcast: false,
    onFirstWrite: () => undefined,
  });
  opened.push(s);
  return s;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

function network(): SerializedNetwork {
  return serialize(
    createNetwork(
      {
        inputs: 2,
        hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
        outputs: 1,
        output: 'sigmoid',
      },
      { init: 'xavier', seed: 7 },
    ),
  );
}

const config: TrainConfig = {
  hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 32,
  epochs: 5,
  lambda: 0,
  seed: 3,
  beta1: 0.9,
  beta2: 0.999,
};

function model(name = 'circle'): NewModel & { network: SerializedNetwork } {
  return {
    name,
    network: network(),
    recipe: null,
    task: 'binary',
    targetName: 'label',
    featureNames: ['x', 'y'],
    classLabels: ['out', 'in'],
    targetScale: null,
    metrics: { testAccuracy: 0.97, testRmse: NaN },
    runId: null,
    datasetHash: null,
  };
}

function modelText(mutate: (f: Record<string, unknown>) => void = () => undefined): string {
  const f = JSON.parse(toJson(modelFile({ ...model(), id: 'x', created: 1 }))) as Record<
    string,
    unknown
  >;
  mutate(f);
  return JSON.stringify(f);
}

function msg(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('hostile and broken files are refused with a specific message', () => {
  it('a 500 MB file is refused by its size alone, without reading a byte', async () => {
    let read = false;
    const huge = {
      size: 500 * 1024 * 1024,
      name: 'huge.json',
      text: () => {
        read = true;
        return Promise.resolve('');
      },
    } as unknown as Blob & { name: string };
    await expect(readImportFile(huge)).rejects.toThrow(
      /"huge.json" is 500 MB, more than the 200 MB allowed.*Nothing was read/,
    );
    expect(read).toBe(false);
    expect(msg(() => checkFileSize({ size: 60 * 1024 * 1024, name: 'm.json' }, 'model'))).toMatch(
      /60 MB, more than the 50 MB allowed for a model file/,
    );
    expect(msg(() => checkFileSize({ size: 0, name: 'e.json' }))).toMatch(/is empty/);
  });

  it('truncated JSON says the file is cut short', () => {
    const text = modelText();
    expect(msg(() => parseImport(text.slice(0, Math.floor(text.length / 2))))).toMatch(/cut short/);
    expect(msg(() => parseImport('{"format": oops}'))).toMatch(/not valid JSON/);
  });

  it('a __proto__ key is refused and pollutes nothing', () => {
    const text = modelText().replace('"model":{', '"model":{"__proto__":{"polluted":true},');
    expect(msg(() => parseImport(text))).toMatch(/"__proto__".*refused/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(msg(() => parseJsonSafely('{"a":{"__proto__":{"isAdmin":true}}}'))).toMatch(/__proto__/);
  });

  it('"constructor" and "prototype" keys are harmless data', () => {
    const bundle = parseImport(
      modelText(
        (f) => ((f.model as Record<string, unknown>).metrics = { constructor: 1, prototype: 2 }),
      ),
    );
    expect(bundle.models[0].metrics.constructor).toBe(1);
    expect(Object.getPrototypeOf(bundle.models[0].metrics)).toBe(Object.prototype);
  });

  it('NaN weights (null in JSON) and non-numbers are refused, naming the matrix and the number', () => {
    const nan = modelText(
      (f) =>
        (((f.model as { network: SerializedNetwork }).network.params[0].W as unknown[])[4] = null),
    );
    expect(msg(() => parseImport(nan))).toMatch(/W\[1\], number 5, is empty.*finite number/);
    const str = modelText(
      (f) =>
        (((f.model as { network: SerializedNetwork }).network.params[1].b as unknown[])[0] = '1'),
    );
    expect(msg(() => parseImport(str))).toMatch(/b\[2\], number 1/);
    // And a literal NaN is not JSON at all.
    expect(msg(() => parseImport(modelText().replace(/"W":\[[^,]+/, '"W":[NaN')))).toMatch(
      /not valid JSON/,
    );
  });

  it('huge shapes are refused from the spec before any weight is looked at', () => {
    const wide = modelText(
      (f) => ((f.model as { network: SerializedNetwork }).network.spec.hidden[0].units = 100_000),
    );
    expect(msg(() => parseImport(wide))).toMatch(
      /hidden layer 1: units is 100000; it should be at most 4096/,
    );
    const many = modelText((f) => {
      const net = (f.model as { network: SerializedNetwork }).network;
      net.spec.inputs = 4096;
      net.spec.hidden = [1, 2, 3].map(() => ({ units: 4096, activation: 'relu', keepProb: 1 }));
    });
    expect(msg(() => parseImport(many))).toMatch(/50,348,033 parameters; at most 10,000,000/);
    expect(
      parameterCount({
        inputs: 2,
        hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
        outputs: 1,
        output: 'sigmoid',
      }),
    ).toBe(13);
  });

  it('shapes that do not match the spec are refused with both sizes', () => {
    const short = modelText((f) =>
      (f.model as { network: SerializedNetwork }).network.params[0].W.pop(),
    );
    expect(msg(() => parseImport(short))).toMatch(
      /W\[1\] has 5 numbers but a 3 x 2 matrix needs 6/,
    );
    const layers = modelText((f) =>
      (f.model as { network: SerializedNetwork }).network.params.pop(),
    );
    expect(msg(() => parseImport(layers))).toMatch(/weights for 1 layers but its shape has 2/);
    const labels = modelText((f) => ((f.model as Record<string, unknown>).featureNames = ['x']));
    expect(msg(() => parseImport(labels))).toMatch(
      /names 1 input features but its network takes 2 inputs/,
    );
  });

  it('wrong format or version gets a message that says what to do', () => {
    expect(msg(() => parseImport('{"format":"something-else","version":1}'))).toMatch(
      /not a Backprop Lab file/,
    );
    expect(msg(() => parseImport(modelText((f) => (f.version = 9))))).toMatch(
      /version 9; this app reads version 1\. Update the app/,
    );
    expect(msg(() => parseImport('[1,2,3]'))).toMatch(/should be an object/);
    expect(
      msg(() =>
        parseNetwork({
          format: 'backprop-lab/network',
          version: 1,
          spec: { inputs: 2, hidden: [], outputs: 1, output: 'cubic' },
          params: [],
        }),
      ),
    ).toMatch(/output activation is "cubic"/);
  });

  it('a recipe travels with the model and a broken one is refused', () => {
    const recipe = {
      version: 1,
      settings: {},
      target: 'label',
      task: 'binary',
      classLabels: ['out', 'in'],
      targetScale: null,
      decimalComma: false,
      columns: [
        { name: 'x', kind: 'numeric', impute: 0, mean: 0, std: 1 },
        { name: 'y', kind: 'numeric', impute: 0, mean: 0, std: 1 },
      ],
      droppedColumns: [],
      featureNames: ['x', 'y'],
    };
    const ok = parseImport(
      modelText((f) => ((f.model as Record<string, unknown>).recipe = recipe)),
    );
    expect(ok.models[0].recipe).toEqual(recipe);
    expect(
      msg(() =>
        parseImport(
          modelText(
            (f) => ((f.model as Record<string, unknown>).recipe = { ...recipe, version: 2 }),
          ),
        ),
      ),
    ).toMatch(/recipe has version 2/);
    expect(
      msg(() =>
        parseImport(
          modelText(
            (f) =>
              ((f.model as Record<string, unknown>).recipe = {
                ...recipe,
                columns: [{ name: 'x', kind: 'magic' }],
              }),
          ),
        ),
      ),
    ).toMatch(/column 1 kind is "magic"/);
  });

  it('a run file with a bad learning rate names the field', () => {
    const f = JSON.parse(
      toJson(runFile({ ...runRecordStub(), config: { ...config, learningRate: -1 } }, null)),
    ) as unknown;
    expect(msg(() => parseImport(JSON.stringify(f)))).toMatch(
      /learning rate is -1; it should be more than 0/,
    );
  });
});

function runRecordStub() {
  return {
    id: 'run-1',
    name: 'r',
    created: 1,
    updated: 1,
    status: 'completed' as const,
    config,
    seed: 3,
    datasetHash: null,
    datasetName: 'd',
    recipe: null,
    spec: network().spec,
    task: 'binary' as const,
    targetName: 'label',
    featureNames: ['x', 'y'],
    classLabels: ['a', 'b'],
    targetScale: null,
    history: [
      {
        epoch: 1,
        trainLoss: 0.5,
        devLoss: 0.6,
        trainAccuracy: 0.7,
        devAccuracy: 0.6,
        trainRmse: NaN,
        devRmse: NaN,
        examplesPerSecond: 10,
        elapsedMs: 5,
      },
    ],
    final: { testAccuracy: 0.8 },
    divergence: null,
    timings: { startedAt: 1, endedAt: 2, elapsedMs: 1 },
    checkpointEpoch: 1,
  };
}

describe('export and import round trips', () => {
  it('a model file round-trips; the import never overwrites (a "(2)" name), and predictions are equal', async () => {
    const store = openStore();
    const saved = await saveModel(store, model('circle'));
    const text = toJson(modelFile(saved));
    const bundle = parseImport(text);
    expect(bundle.kind).toBe('model');
    expect(Number.isNaN(bundle.models[0].metrics.testRmse)).toBe(true);
    const report = await storeImport(store, bundle);
    expect(report.renamed).toEqual([{ from: 'circle', to: 'circle (2)' }]);
    const models = await listModels(store);
    expect(models.map((m) => m.name).sort()).toEqual(['circle', 'circle (2)']);
    const X = { rows: 2, cols: 3, data: [0.1, -1, 2, 0.5, 0.3, -0.7] };
    const a = predict(createNetwork(saved.network.spec, saved.network.params), X).data;
    const b = predict(
      createNetwork(report.models[0].network.spec, report.models[0].network.params),
      X,
    ).data;
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('a run file round-trips with its history (NaN kept as NaN) and checkpoint; a running run comes back interrupted', async () => {
    const store = openStore();
    const run = await createRun(store, {
      config,
      datasetHash: null,
      datasetName: 'd',
      recipe: null,
      spec: network().spec,
      task: 'binary',
      targetName: 'y',
      featureNames: ['x', 'y'],
      classLabels: ['a', 'b'],
      targetScale: null,
      name: 'mine',
    });
    const done = await finishRun(store, run.id, {
      status: 'completed',
      history: runRecordStub().history,
      network: network(),
    });
    const text = toJson(runFile(done, await getCheckpoint(store, run.id)));
    const running = JSON.parse(text) as { run: { status: string } };
    running.run.status = 'running';
    const report = await storeImport(store, parseImport(JSON.stringify(running)));
    const back = report.runs[0];
    expect(back.id).not.toBe(run.id);
    expect(back.name).toBe('mine (2)');
    expect(back.status).toBe('interrupted');
    expect(Number.isNaN(back.history[0].trainRmse)).toBe(true);
    expect((await getCheckpoint(store, back.id))?.network).toEqual(network());
  });

  it('a lesson pack carries the exact dataset bytes, the note and the settings', async () => {
    const csv = new TextEncoder().encode('x,y,label\n1,2,=cmd()\n3,4,b\n\u00e9,5,a\n');
    const file = lessonFile({
      title: 'Circles',
      note: 'Try 2 hidden layers.\n<b>not html</b>',
      dataset: { name: 'c.csv', bytes: csv },
      recipeSettings: { target: 'label' },
      config,
    });
    const bundle = parseImport(toJson(file));
    expect(bundle.lesson?.note).toBe('Try 2 hidden layers.\n<b>not html</b>');
    expect(bundle.lesson?.config).toEqual(config);
    expect(Array.from(bundle.lesson!.dataset.bytes)).toEqual(Array.from(csv));
    const store = openStore();
    await storeImport(store, bundle);
    expect((await listDatasets(store))[0].size).toBe(csv.byteLength);
  });

  it('"export everything" restores into an empty store', async () => {
    const a = openStore();
    await saveModel(a, model('m1'));
    const r = await createRun(a, {
      config,
      datasetHash: null,
      datasetName: 'd',
      recipe: null,
      spec: null,
      task: null,
      targetName: '',
      featureNames: [],
      classLabels: [],
      targetScale: null,
      name: 'r1',
    });
    await finishRun(a, r.id, { status: 'stopped', history: [], network: network() });
    await putDataset(a, {
      name: 'd.csv',
      bytes: new TextEncoder().encode('a,b\n1,2\n'),
      summary: { rows: 1 },
    });
    const backup = toJson(await exportEverything(a));
    const b = openStore();
    const report = await storeImport(b, parseImport(backup));
    expect(report.models).toHaveLength(1);
    expect((await listRuns(b))[0].name).toBe('r1');
    expect((await getCheckpoint(b, r.id))?.network.params).toEqual(network().params);
    expect((await listDatasets(b))[0].summary).toEqual({ rows: 1 });
  });

  it('a backup with one bad model stores nothing at all', async () => {
    const a = openStore();
    await saveModel(a, model('good'));
    await saveModel(a, model('bad'));
    const backup = JSON.parse(toJson(await exportEverything(a))) as {
      models: Array<{ network: SerializedNetwork }>;
    };
    backup.models[1].network.params[0].W[0] = Infinity; // JSON writes null
    const b = openStore();
    expect(() => parseImport(JSON.stringify(backup))).toThrow(
      /Model 2 of the backup, network: W\[1\], number 1/,
    );
    expect(await listModels(b)).toEqual([]);
  });

  it('base64 round-trips any bytes and refuses garbage', () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 7919) % 256);
    expect(Array.from(fromBase64(toBase64(bytes), 'x'))).toEqual(Array.from(bytes));
    expect(() => fromBase64('ab$=', 'The data')).toThrow(/The data is not valid base64/);
    expect(LIMITS.parameters).toBe(10_000_000);
  });
});

describe('CSV export escaping', () => {
  it('escapes formula starts in text, keeps numbers as numbers, quotes what needs quoting', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell('-3.5')).toBe('-3.5');
    expect(csvCell('+2e3')).toBe('+2e3');
    expect(csvCell(NaN)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('plain')).toBe('plain');
    expect(
      toCsv(
        ['x', 'label'],
        [
          [1, '=1+1'],
          [-2, 'ok'],
        ],
      ),
    ).toBe("x,label\r\n1,'=1+1\r\n-2,ok\r\n");
  });
});
