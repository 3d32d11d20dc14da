// Files made to break the app: each is refused with the path of the field that is wrong (nothing is
// stored), or imported and usable; a backup keeps its good records; a record damaged in storage is
// shown apart and never breaks a view. No page error in any of them.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;

const recipe = () => ({
  version: 1,
  settings: {
    target: 'colour',
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
  target: 'colour',
  task: 'multiclass',
  classLabels: ['red', 'green'],
  targetScale: null,
  decimalComma: false,
  columns: [
    { name: 'size', kind: 'numeric', impute: 1, mean: 1, std: 2 },
    {
      name: 'shape',
      kind: 'categorical',
      categories: ['round', 'square'],
      imputeCategory: 'round',
      missingColumn: false,
      otherColumn: false,
    },
    { name: 'shiny', kind: 'boolean', positive: 'yes', negative: 'no', impute: 0 },
  ] as Json[],
  droppedColumns: [],
  featureNames: ['size', 'shape=round', 'shape=square', 'shiny=yes'],
});

function modelFile(name: string, change: (m: Json) => void = () => undefined): string {
  const model: Json = {
    name,
    created: 1,
    network: {
      format: 'backprop-lab/network',
      version: 1,
      spec: { inputs: 4, hidden: [], outputs: 2, output: 'softmax' },
      params: [{ W: [1, 2, -1, 0.5, -1, -2, 1, -0.5], b: [0, 0] }],
    },
    recipe: recipe(),
    task: 'multiclass',
    targetName: 'colour',
    featureNames: ['size', 'shape=round', 'shape=square', 'shiny=yes'],
    classLabels: ['red', 'green'],
    targetScale: null,
    metrics: { testAccuracy: 0.9 },
  };
  change(model);
  return JSON.stringify({
    format: 'backprop-lab/model',
    version: 1,
    app: 'Backprop Lab',
    exportedAt: '2026-01-01T00:00:00.000Z',
    model,
  });
}

const config = {
  hidden: [{ units: 4, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 16,
  epochs: 20,
  lambda: 0,
  seed: 1,
  beta1: 0.9,
  beta2: 0.999,
};

const CSV =
  'size,shape,shiny,colour\n' +
  Array.from(
    { length: 40 },
    (_, i) =>
      `${i % 5},${i % 2 ? 'round' : 'square'},${i % 3 ? 'yes' : 'no'},${i % 2 ? 'red' : 'green'}`,
  ).join('\n');

function lessonFile(change: (l: Json) => void = () => undefined): string {
  const lesson: Json = {
    format: 'backprop-lab/lesson',
    version: 1,
    app: 'Backprop Lab',
    exportedAt: '2026-01-01T00:00:00.000Z',
    title: 'Colours',
    note: 'Predict the colour.',
    dataset: {
      name: 'colours.csv',
      type: 'text/csv',
      base64: Buffer.from(CSV).toString('base64'),
      summary: null,
    },
    recipeSettings: { ...recipe().settings },
    config,
  };
  change(lesson);
  return JSON.stringify(lesson);
}

async function open(page: Page): Promise<Error[]> {
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto('/');
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  return errors;
}

async function importText(page: Page, text: string, name: string): Promise<void> {
  await page
    .getByLabel(/Import a Backprop Lab file/)
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

const library = (page: Page) => page.getByTestId('library');

test('broken models are refused with the field’s path; a whole one predicts', async ({ page }) => {
  const errors = await open(page);
  const alert = library(page).getByRole('alert').first();
  const cases: Array<[string, (m: Json) => void, string]> = [
    [
      'no-categories.json',
      (m) => delete ((m.recipe as { columns: Json[] }).columns[1] as Json).categories,
      '"no-categories.json" was not imported: model.recipe.columns[1].categories is missing.',
    ],
    [
      'no-yes.json',
      (m) => delete ((m.recipe as { columns: Json[] }).columns[2] as Json).positive,
      'model.recipe.columns[2].positive is missing.',
    ],
    [
      'twins.json',
      (m) => (m.classLabels = ['red', 'red']),
      'model.classLabels[1] repeats “red”; every entry must be different.',
    ],
    [
      'huge-weights.json',
      (m) => ((m.network as { params: Array<{ W: number[] }> }).params[0].W[3] = 1e308),
      'model.network.params[0].W[3] is 1e+308; every weight must be between -1,000,000 and 1,000,000.',
    ],
  ];
  for (const [name, change, text] of cases) {
    await importText(page, modelFile(name, change), name);
    await expect(alert).toContainText(text);
  }
  await expect(page.getByTestId('model-item')).toHaveCount(0);

  await importText(page, modelFile('colours'), 'colours.json');
  await expect(
    library(page).getByRole('status').filter({ hasText: 'Imported 1 model' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Predict with colours' }).click();
  await library(page).getByRole('textbox', { name: 'size', exact: true }).fill('3');
  await library(page).getByRole('combobox', { name: 'shape', exact: true }).selectOption('square');
  await library(page).getByRole('combobox', { name: 'shiny', exact: true }).selectOption('yes');
  await library(page).getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(page.getByTestId('prediction-result')).toContainText(/red|green/);
  await expect(page.getByTestId('prediction-result')).not.toContainText('?');
  expect(errors).toEqual([]);
});

test('lesson packs with fields of the wrong type are refused; one made before a target opens', async ({
  page,
}) => {
  const errors = await open(page);
  const alert = library(page).getByRole('alert').first();
  const settings = (patch: Json) => (l: Json) =>
    (l.recipeSettings = { ...recipe().settings, ...patch });
  const cases: Array<[(l: Json) => void, string]> = [
    [settings({ types: 'numeric' }), 'recipeSettings.types should be a list, but it is text.'],
    [
      settings({ dropped: null }),
      'recipeSettings.dropped should be a list, but it is empty (null).',
    ],
    [
      settings({ numericImpute: { a: 1 } }),
      'recipeSettings.numericImpute is “{"a":1}”; it should be one of: mean, median.',
    ],
    [
      (l) =>
        (l.config = {
          ...config,
          hidden: Array.from({ length: 32 }, () => ({ units: 8, activation: 'relu', keepProb: 1 })),
        }),
      'config.hidden has 32 entries; at most 8 are allowed.',
    ],
  ];
  for (const [i, [change, text]] of cases.entries()) {
    await importText(page, lessonFile(change), `lesson-${i}.json`);
    await expect(alert).toContainText(text);
  }
  await expect(library(page).getByText(/Imported/)).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Lesson note' })).toHaveCount(0);

  // Exported before a target was chosen: recipeSettings is null, and the pack opens.
  await importText(
    page,
    lessonFile((l) => (l.recipeSettings = null)),
    'no-target.json',
  );
  await expect(page.getByRole('complementary', { name: 'Lesson note' })).toContainText(
    'Predict the colour.',
  );
  await expect(page.getByRole('combobox', { name: /^Target column/ })).toBeVisible();
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('20');
  expect(errors).toEqual([]);
});

test('a backup keeps its good records and lists the bad ones with their paths', async ({
  page,
}) => {
  const errors = await open(page);
  const good = (name: string) => (JSON.parse(modelFile(name)) as { model: Json }).model;
  const bad = good('bad');
  bad.classLabels = ['red', 'red'];
  const backup = {
    format: 'backprop-lab/backup',
    version: 1,
    app: 'Backprop Lab',
    exportedAt: '2026-01-01T00:00:00.000Z',
    models: [good('first'), bad, good('third')],
    runs: [{ run: { name: 'no settings', status: 'completed', history: [] } }],
    datasets: [],
  };
  await importText(page, JSON.stringify(backup), 'backup.json');
  await expect(page.getByTestId('model-item')).toHaveCount(2);
  await expect(
    library(page).getByRole('status').filter({ hasText: 'Imported 2 models' }),
  ).toBeVisible();
  const leftOut = page.getByTestId('import-left-out');
  await expect(leftOut).toContainText('2 records of "backup.json" could not be imported');
  await expect(leftOut).toContainText(
    'Model 2 “bad”: models[1].classLabels[1] repeats “red”; every entry must be different.',
  );
  await expect(leftOut).toContainText('Run 1 “no settings”: runs[0].run.config is missing.');
  expect(errors).toEqual([]);
});

test('a record damaged in storage is shown apart, never breaks a view, and can be exported and deleted', async ({
  page,
}) => {
  const errors = await open(page);
  await importText(page, modelFile('kept'), 'kept.json');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  // What an older version might have left: a model whose recipe lost a column's categories.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const r = indexedDB.open('backprop-lab');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const tx = r.result.transaction('models', 'readwrite');
          const models = tx.objectStore('models');
          const all = models.getAll();
          all.onsuccess = () => {
            const m = structuredClone(all.result[0]);
            m.id = 'old-one';
            m.name = 'from an older version';
            delete m.recipe.columns[1].categories;
            models.put(m);
          };
          tx.oncomplete = () => (r.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  const damaged = page.getByTestId('damaged-item');
  await expect(damaged).toHaveCount(1);
  await expect(damaged).toContainText(
    'Model “from an older version”: model.recipe.columns[1].categories is missing.',
  );
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await expect(page.getByLabel('Model to predict with').locator('option')).toHaveText([
    'Choose a model…',
    'kept',
  ]);
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export the damaged record from an older version' }).click(),
  ]);
  const saved = JSON.parse(readFileSync((await dl.path()) as string, 'utf8')) as {
    record: { id: string };
  };
  expect(saved.record.id).toBe('old-one');
  await page
    .getByRole('button', { name: 'Delete the damaged record from an older version' })
    .click();
  await expect(damaged).toHaveCount(0);
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  expect(errors).toEqual([]);
});
