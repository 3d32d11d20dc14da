// Everything the app exports imports back: model, run, lesson pack (with and without a target) and the
// backup, made from data at the edges of the limits (300-character headers, categories and class
// labels, a 230-character file name, 5,000 features), into a fresh store, predicting the same.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { createNetwork, predict } from '../core/network.ts';
import type { SerializedNetwork } from '../core/types.ts';
import { parseCsv } from '../data/parse.ts';
import { buildReport } from '../data/report.ts';
import { applyRecipe, fitRecipe } from '../data/recipe.ts';
import { DEFAULT_RECIPE_SETTINGS, type Recipe } from '../data/types.ts';
import { serialize } from '../core/network.ts';
import { LabStore } from './store.ts';
import { exportBackup, exportLessonFile, exportModelFile, exportRunFile } from './file-export.ts';
import { importFile, type ImportProgress } from './file-import.ts';
import { getModel, listModels, saveModel } from './models.ts';
import { createRun, finishRun, getCheckpoint, getRun, listRuns } from './runs.ts';
import { getDataset, listDatasets, putDataset } from './datasets.ts';
import { uniqueName } from './names.ts';
import type { ModelRecord } from './schema.ts';
import { LIMITS } from './limits.ts';
import { englishOf } from './english.test-support.ts';
import { config } from './fixtures.test-support.ts';

const opened: LabStore[] = [];
let n = 0;
function openStore(): LabStore {
  const s = new LabStore({
    name: `rt-${Date.now()}-${n++}`,
    broadcast: false,
    onFirstWrite: () => undefined,
  });
  opened.push(s);
  return s;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const long = (prefix: string, length: number) => (prefix + '_'.repeat(length)).slice(0, length);

/** A CSV of 250 categorical columns of 20 categories each (5,000 one-hot features) with 300-character
 * headers, some 300-character categories, and a target of three 300-character class labels. */
function wideCsv(rows = 100): { text: string; header: string[]; data: string[][] } {
  const header = [
    ...Array.from({ length: 250 }, (_, c) => long(`column ${c} "quoted", =formula`, 300)),
    long('the target', 300),
  ];
  const labels = ['a', 'b', 'c'].map((l) => long(`class ${l} `, 300));
  const data = Array.from({ length: rows }, (_, r) => [
    ...Array.from({ length: 250 }, (_, c) =>
      (r + c) % 20 === 7 ? long(`long category ${(r + c) % 20}`, 300) : `v${(r + c) % 20}`,
    ),
    labels[r % 3],
  ]);
  return { text: Papa.unparse([header, ...data]), header, data };
}

async function wideModel(): Promise<{
  recipe: Recipe;
  network: SerializedNetwork;
  csv: ReturnType<typeof wideCsv>;
}> {
  const csv = wideCsv();
  const parsed = await parseCsv(new Blob([csv.text]), 'wide.csv');
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const fit = fitRecipe(parsed.table, buildReport(parsed.table), {
    ...structuredClone(DEFAULT_RECIPE_SETTINGS),
    target: csv.header[250],
  });
  if (!fit.ok) throw new Error(fit.problem.message);
  const recipe = fit.recipe;
  const network = serialize(
    createNetwork(
      {
        inputs: recipe.featureNames.length,
        hidden: [{ units: 8, activation: 'tanh', keepProb: 1 }],
        outputs: 3,
        output: 'softmax',
      },
      { init: 'xavier', seed: 5 },
    ),
  );
  return { recipe, network, csv };
}

function predictions(m: ModelRecord, header: string[], rows: string[][]): number[] {
  const recipe = m.recipe as Recipe;
  const { x, m: cols } = applyRecipe(recipe, rows, header);
  return Array.from(
    predict(createNetwork(m.network.spec, m.network.params), {
      rows: recipe.featureNames.length,
      cols,
      data: x,
    }).data,
  );
}

describe('everything exported imports back into a fresh store', () => {
  it('at the edges: 300-character headers and labels, a 230-character file name, 5,000 features', async () => {
    const { recipe, network, csv } = await wideModel();
    expect(recipe.featureNames).toHaveLength(5000);
    expect(recipe.classLabels.every((l) => l.length === 300)).toBe(true);
    const fileName = `${long('a file name', 226)}.csv`;
    expect(fileName).toHaveLength(230);
    const a = openStore();
    const dataset = await putDataset(a, {
      name: fileName,
      bytes: new TextEncoder().encode(csv.text),
      summary: null,
    });
    const run = await createRun(a, {
      config: { ...config, hidden: [{ units: 8, activation: 'tanh', keepProb: 1 }] },
      datasetHash: dataset.hash,
      datasetName: fileName,
      recipe,
      spec: network.spec,
      task: 'multiclass',
      targetName: recipe.target,
      featureNames: recipe.featureNames,
      classLabels: recipe.classLabels,
      targetScale: null,
    });
    // The run's name is the file name and a date: shortened to fit.
    expect(run.name.length).toBeLessThanOrEqual(LIMITS.name);
    const done = await finishRun(a, run.id, { status: 'completed', history: [], network });
    const saved = await saveModel(a, {
      name: done.name,
      network,
      recipe,
      task: 'multiclass',
      targetName: recipe.target,
      featureNames: recipe.featureNames,
      classLabels: recipe.classLabels,
      targetScale: null,
      metrics: { testAccuracy: NaN },
      runId: run.id,
      datasetHash: dataset.hash,
    });
    // Saved twice: the second gets " (2)" and still fits.
    const twice = await saveModel(a, { ...saved, name: saved.name });
    expect(twice.name.endsWith(' (2)')).toBe(true);
    expect(twice.name.length).toBeLessThanOrEqual(LIMITS.name);
    const rows = csv.data.slice(0, 12);
    const expected = predictions(saved, csv.header, rows);

    const files = [
      exportModelFile(twice),
      exportRunFile(done, await getCheckpoint(a, run.id)),
      await exportLessonFile({
        title: long('A lesson', 200),
        note: 'note',
        dataset: { name: fileName, type: 'text/csv', file: new Blob([csv.text]) },
        recipeSettings: recipe.settings,
        config,
      }),
      await exportLessonFile({
        title: 'No target yet',
        note: '',
        dataset: { name: fileName, type: 'text/csv', file: new Blob([csv.text]) },
        recipeSettings: null,
        config: null,
      }),
      await exportBackup(a),
    ];
    const b = openStore();
    for (const f of files) {
      const report = await importFile(b, Object.assign(f.blob, { name: f.name }));
      expect(report.refusedCount, f.name).toBe(0);
    }
    const models = await listModels(b);
    expect(models).toHaveLength(3);
    for (const m of models) {
      expect(m.name.length).toBeLessThanOrEqual(LIMITS.name);
      expect(predictions(m, csv.header, rows)).toEqual(expected);
    }
    const runs = await listRuns(b);
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.datasetName === fileName)).toBe(true);
    expect((await getCheckpoint(b, runs[0].id))?.network).toEqual(network);
    const stored = await getDataset(b, dataset.hash);
    expect(await stored?.file.text()).toBe(csv.text);
    expect(stored?.name).toBe(fileName);
  }, 60_000);

  it('a lesson pack with and without a target comes back with its settings, note and exact bytes', async () => {
    const bytes = new TextEncoder().encode('x,y,label\n1,2,=cmd()\n3,4,b\n\u00e9,5,a\n');
    const store = openStore();
    const settings = { ...structuredClone(DEFAULT_RECIPE_SETTINGS), target: 'label' };
    for (const recipeSettings of [settings, null]) {
      const f = await exportLessonFile({
        title: 'Circles',
        note: 'Try 2 hidden layers.\n<b>not html</b>',
        dataset: { name: 'c.csv', type: 'text/csv', file: new Blob([bytes]) },
        recipeSettings,
        config,
      });
      const report = await importFile(store, f.blob);
      expect(report.lesson?.note).toBe('Try 2 hidden layers.\n<b>not html</b>');
      expect(report.lesson?.recipeSettings).toEqual(recipeSettings);
      expect(report.lesson?.config).toEqual(config);
      expect(Array.from(report.lesson!.dataset.bytes)).toEqual(Array.from(bytes));
    }
    expect(await listDatasets(store)).toHaveLength(1);
  });

  it('a lesson pack refuses, with what to do, data bigger than a pack carries', async () => {
    const big = { size: LIMITS.datasetBytes + 1 } as Blob;
    await expect(
      exportLessonFile({
        title: 'Big',
        note: '',
        dataset: { name: 'big.csv', type: 'text/csv', file: big },
        recipeSettings: null,
        config: null,
      }),
    ).rejects.toThrow();
    try {
      await exportLessonFile({
        title: 'Big',
        note: '',
        dataset: { name: 'big.csv', type: 'text/csv', file: big },
        recipeSettings: null,
        config: null,
      });
    } catch (e) {
      expect(englishOf(e)).toMatch(
        /“big.csv” is 100 MB; a lesson pack carries data files of at most 100 MB/,
      );
    }
  });

  it('a running run comes back interrupted, under a new name and id when both are taken', async () => {
    const store = openStore();
    const run = await createRun(store, {
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
      name: 'mine',
    });
    const f = exportRunFile(run, null);
    const report = await importFile(store, f.blob);
    const back = await getRun(store, report.runs[0].id);
    expect(back?.id).not.toBe(run.id);
    expect(back?.name).toBe('mine (2)');
    expect(back?.status).toBe('interrupted');
  });
});

describe('a backup is imported record by record, in short transactions', () => {
  async function storeWith(models: number, runs: number): Promise<LabStore> {
    const a = openStore();
    const net = serialize(
      createNetwork(
        { inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' },
        { init: 'xavier', seed: 1 },
      ),
    );
    for (let i = 0; i < models; i++)
      await saveModel(a, {
        name: `m${i}`,
        network: net,
        recipe: null,
        task: 'binary',
        targetName: 'y',
        featureNames: ['a', 'b'],
        classLabels: [],
        targetScale: null,
        metrics: {},
        runId: null,
        datasetHash: null,
      });
    for (let i = 0; i < runs; i++)
      await createRun(a, {
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
        name: `r${i}`,
      });
    return a;
  }

  it('with progress, and a stop between transactions keeps what was stored', async () => {
    const a = await storeWith(5, 30);
    const backup = await exportBackup(a);
    expect(backup.counts).toEqual({ models: 5, runs: 30, datasets: 0 });
    const b = openStore();
    const seen: ImportProgress[] = [];
    const full = await importFile(b, backup.blob, { batch: 4, onProgress: (p) => seen.push(p) });
    expect(full.counts).toEqual({ models: 5, runs: 30, datasets: 0 });
    expect(seen.at(-1)).toMatchObject({ models: 5, runs: 30, bytesRead: backup.blob.size });
    expect((await listRuns(b)).map((r) => r.name).sort()).toEqual(
      (await listRuns(a)).map((r) => r.name).sort(),
    );

    const c = openStore();
    let asked = 0;
    const small = new Blob([await backup.blob.text()]);
    // One chunk at a time: stop after the first batch is stored.
    const stream = () =>
      new ReadableStream<Uint8Array>({
        async start(ctl) {
          const bytes = new Uint8Array(await small.arrayBuffer());
          for (let i = 0; i < bytes.length; i += 200) ctl.enqueue(bytes.slice(i, i + 200));
          ctl.close();
        },
      });
    const stopped = await importFile(c, Object.assign(small, { stream }), {
      batch: 4,
      cancelled: () => ++asked > 3,
    });
    expect(stopped.cancelled).toBe(true);
    const kept = (await listModels(c)).length + (await listRuns(c)).length;
    expect(kept).toBe(stopped.counts.models + stopped.counts.runs);
    expect(kept).toBeLessThan(35);
  });

  it('a damaged stored record is left out of the backup, named, and the rest imports', async () => {
    const a = await storeWith(2, 1);
    const [m] = await listModels(a);
    await a.write(['models'], async (tx) => {
      await tx.objectStore('models').put({ ...m, classLabels: ['x', 'x'] } as ModelRecord);
    });
    const backup = await exportBackup(a);
    expect(backup.skipped.map((s) => [s.what, s.name, englishOf({ msg: s.reason })])).toEqual([
      ['model', m.name, expect.stringMatching(/classLabels\[1\] repeats “x”/)],
    ]);
    const b = openStore();
    const report = await importFile(b, backup.blob);
    expect(report.counts).toEqual({ models: 1, runs: 1, datasets: 0 });
    expect(await getModel(b, m.id)).toBeUndefined();
  });

  it('names: a 200-character name that is taken becomes "… (2)" within 200 characters', () => {
    const name = long('x', 200);
    const given = uniqueName(name, [name]);
    expect(given).toHaveLength(200);
    expect(given.endsWith(' (2)')).toBe(true);
    expect(uniqueName('  ', [])).toBe('Untitled');
    expect(uniqueName('a (2)', ['a (2)'])).toBe('a (3)');
    // Never in the middle of a character pair.
    expect(uniqueName(`${'x'.repeat(199)}\u{1F600}`, [])).toBe('x'.repeat(199));
  });
});
