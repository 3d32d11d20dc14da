// The library's lists at scale and with damaged records: paged, searched after a pause through an
// index, and stored records that do not read back set apart with export and delete; imports that say
// what they left out.
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { Library } from './library.svelte.ts';
import { FIRST_PAINT, PAGE_SIZE, SEARCH_DELAY_MS } from './library-lists.svelte.ts';
import { LabStore } from '../../../workers/store/store.ts';
import { createRun } from '../../../workers/store/runs.ts';
import { saveModel } from '../../../workers/store/models.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import type { TrainConfig } from '../../../workers/core/types.ts';

const config: TrainConfig = {
  hidden: [{ units: 2, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 8,
  epochs: 10,
  lambda: 0,
  seed: 9,
  beta1: 0.9,
  beta2: 0.999,
};

const libs: Library[] = [];
let k = 0;
async function library(): Promise<Library> {
  const name = `lists-${Date.now()}-${k++}`;
  const lib = new Library({
    open: async () => new LabStore({ name, broadcast: false, onFirstWrite: () => undefined }),
  });
  libs.push(lib);
  await lib.start();
  return lib;
}
afterEach(() => {
  for (const l of libs.splice(0)) l.dispose();
});

async function addRuns(lib: Library, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await createRun(
      lib.store!,
      {
        config,
        datasetHash: null,
        datasetName: i % 10 === 0 ? 'iris.csv' : 'moons.csv',
        recipe: null,
        spec: null,
        task: null,
        targetName: '',
        featureNames: [],
        classLabels: [],
        targetScale: null,
        name: `run ${i}`,
      },
      1000 + i,
    );
}

describe('LibraryLists', () => {
  beforeAll(() => i18n.use('en', false));

  it('shows a page at a time; a search applies after a pause and starts again at the first page', async () => {
    const lib = await library();
    await addRuns(lib, 120);
    await lib.refresh();
    expect(lib.runs).toHaveLength(120);
    expect(lib.visibleRuns).toHaveLength(PAGE_SIZE);
    expect(lib.visibleRuns[0].name).toBe('run 119');
    lib.showMoreRuns();
    expect(lib.visibleRuns).toHaveLength(2 * PAGE_SIZE);
    lib.query = 'IRIS';
    expect(lib.filteredRuns).toHaveLength(120);
    await new Promise((r) => setTimeout(r, SEARCH_DELAY_MS + 50));
    expect(lib.filteredRuns).toHaveLength(12);
    expect(lib.visibleRuns).toHaveLength(12);
    expect(lib.runLimit).toBe(PAGE_SIZE);
    // A new search shows its first cards at once, then a few more in each next task.
    lib.query = 'run';
    lib.applySearch();
    expect(lib.visibleRuns).toHaveLength(FIRST_PAINT);
    await new Promise((r) => setTimeout(r, 0));
    expect(lib.visibleRuns).toHaveLength(2 * FIRST_PAINT);
    await new Promise((r) => setTimeout(r, 20));
    expect(lib.visibleRuns).toHaveLength(PAGE_SIZE);
    lib.query = 'iris run 10';
    lib.applySearch();
    // Every word, anywhere in the text ("10" is in "110" too).
    expect(lib.filteredRuns.map((r) => r.name)).toEqual(['run 110', 'run 100', 'run 10']);
    lib.sort = 'name';
    expect(lib.filteredRuns.map((r) => r.name)).toEqual(['run 10', 'run 100', 'run 110']);
  });

  it('a stored record that does not read back is set apart, named, and can be exported and deleted', async () => {
    const lib = await library();
    await addRuns(lib, 2);
    const m = await saveModel(lib.store!, {
      name: 'good',
      network: {
        format: 'backprop-lab/network',
        version: 1,
        spec: { inputs: 1, hidden: [], outputs: 1, output: 'sigmoid' },
        params: [{ W: [1], b: [0] }],
      },
      recipe: null,
      task: 'binary',
      targetName: 'y',
      featureNames: ['x'],
      classLabels: ['no', 'yes'],
      targetScale: null,
      metrics: {},
      runId: null,
      datasetHash: null,
    });
    // What an older version might have left: a model without a recipe's categories, a run whose
    // configuration lost its optimizer.
    await lib.store!.write(['models', 'runs'], async (tx) => {
      await tx.objectStore('models').put({
        ...m,
        id: 'old-model',
        name: 'old',
        featureNames: [],
        recipe: {
          version: 1,
          columns: [{ name: 'c', kind: 'categorical' }],
          featureNames: ['c=a'],
        },
      } as unknown as ModelRecord);
      const [run] = await tx.objectStore('runs').getAll();
      await tx.objectStore('runs').put({
        ...run,
        id: 'old-run',
        config: { ...run.config, optimizer: null },
      } as unknown as RunRecord);
    });
    await lib.refresh();
    expect(lib.models.map((x) => x.name)).toEqual(['good']);
    expect(lib.runs).toHaveLength(2);
    expect(lib.damaged.map((d) => [d.store, d.id, i18n.msg(d.reason)])).toEqual([
      [
        'runs',
        'old-run',
        expect.stringMatching(/^run\.config\.optimizer is “null”; it should be one of/),
      ],
      ['models', 'old-model', expect.stringMatching(/^model\.recipe\.settings is missing\.$/)],
    ]);
    const saved: string[] = [];
    lib.exportDamaged(lib.damaged[1], (data) => saved.push(String(data)));
    expect(JSON.parse(saved[0])).toMatchObject({ store: 'models', record: { id: 'old-model' } });
    await lib.deleteDamaged(lib.damaged[1]);
    expect(lib.damaged.map((d) => d.id)).toEqual(['old-run']);
    expect(lib.undo?.label).toMatch(/Deleted model "old"/);
  });

  it('a backup with bad records imports the rest and lists what it left out', async () => {
    const lib = await library();
    const model = {
      name: 'm',
      network: {
        format: 'backprop-lab/network',
        version: 1,
        spec: { inputs: 1, hidden: [], outputs: 1, output: 'sigmoid' },
        params: [{ W: [1], b: [0] }],
      },
      recipe: null,
      task: 'binary',
      featureNames: ['x'],
      classLabels: ['a', 'b'],
    };
    const backup = {
      format: 'backprop-lab/backup',
      version: 1,
      models: [
        model,
        { ...model, name: 'twins', classLabels: ['a', 'a'] },
        { ...model, name: 'n2' },
      ],
      runs: [],
      datasets: [],
    };
    const report = await lib.files.importFile(new File([JSON.stringify(backup)], 'b.json'));
    expect(report?.counts.models).toBe(2);
    expect(lib.models.map((x) => x.name).sort()).toEqual(['m', 'n2']);
    expect(lib.notice).toBe('Imported 2 models from "b.json".');
    expect(lib.files.leftOut?.count).toBe(1);
    const item = lib.files.leftOut!.items[0];
    expect([item.what, item.index, item.name, i18n.msg(item.reason)]).toEqual([
      'model',
      1,
      'twins',
      'models[1].classLabels[1] repeats “a”; every entry must be different.',
    ]);
  });
});
