// The Library: import/export, hostile files, prediction, persistence across reloads and tabs, offline.
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { mkdtempSync, readFileSync, closeSync, openSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tiny logistic model: p(yes) = sigmoid(x1 - x2). */
function modelJson(name = 'tiny', W: Array<number | null> = [1, -1]): string {
  return JSON.stringify({
    format: 'backprop-lab/model',
    version: 1,
    app: 'Backprop Lab',
    exportedAt: '2026-01-01T00:00:00.000Z',
    model: {
      name,
      created: 1,
      network: {
        format: 'backprop-lab/network',
        version: 1,
        spec: { inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' },
        params: [{ W, b: [0] }],
      },
      recipe: null,
      task: 'binary',
      targetName: 'label',
      featureNames: ['x1', 'x2'],
      classLabels: ['no', 'yes'],
      targetScale: null,
      metrics: { testAccuracy: 0.9 },
    },
  });
}

async function openLibrary(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
}

async function importText(page: Page, text: string, name: string): Promise<void> {
  await page
    .getByLabel(/Import a Backprop Lab file/)
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

const library = (page: Page) => page.getByTestId('library');

test('a model file is imported, kept after a reload, and a second import gets a "(2)" name', async ({
  page,
}) => {
  await openLibrary(page);
  await importText(page, modelJson('circle model'), 'circle.model.json');
  await expect(
    library(page).getByRole('status').filter({ hasText: 'Imported 1 model' }),
  ).toBeVisible();
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await importText(page, modelJson('circle model'), 'circle.model.json');
  await expect(
    library(page).getByText('"circle model" is saved as "circle model (2)"'),
  ).toBeVisible();
  await expect(page.getByTestId('model-item')).toHaveCount(2);
  // Exported again, it is the same model.
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export circle model (2)', exact: true }).click(),
  ]);
  expect(dl.suggestedFilename()).toBe('circle-model-2.model.json');
  const file = JSON.parse(readFileSync((await dl.path()) as string, 'utf8')) as {
    format: string;
    version: number;
    model: { name: string; network: unknown };
  };
  expect(file.format).toBe('backprop-lab/model');
  expect(file.version).toBe(1);
  expect(file.model.name).toBe('circle model (2)');
  expect(file.model.network).toEqual(
    (JSON.parse(modelJson()) as { model: { network: unknown } }).model.network,
  );
  // And for TensorFlow.js: model.json + weights.bin in one zip, the kernel transposed.
  const [tfDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export circle model (2) for TensorFlow.js' }).click(),
  ]);
  expect(tfDownload.suggestedFilename()).toBe('circle-model-2.tfjs.zip');
  const zipped = unzipSync(new Uint8Array(readFileSync((await tfDownload.path()) as string)));
  expect(Object.keys(zipped).sort()).toEqual([
    'circle-model-2.tfjs.json',
    'circle-model-2.weights.bin',
  ]);
  const tfjs = JSON.parse(strFromU8(zipped['circle-model-2.tfjs.json'])) as {
    format: string;
    weightsManifest: Array<{ paths: string[]; weights: Array<{ shape: number[] }> }>;
    userDefinedMetadata: { featureNames: string[]; classLabels: string[] };
  };
  expect(tfjs.format).toBe('layers-model');
  expect(tfjs.weightsManifest[0].paths).toEqual(['circle-model-2.weights.bin']);
  expect(tfjs.weightsManifest[0].weights.map((w) => w.shape)).toEqual([[2, 1], [1]]);
  expect(tfjs.userDefinedMetadata).toMatchObject({
    featureNames: ['x1', 'x2'],
    classLabels: ['no', 'yes'],
  });
  const bin = zipped['circle-model-2.weights.bin'].slice(); // aligned copy for a Float32Array
  expect(Array.from(new Float32Array(bin.buffer, 0, 3))).toEqual([1, -1, 0]);
});

test('hostile files are refused with a specific message and store nothing', async ({ page }) => {
  await openLibrary(page);
  const alert = library(page).getByRole('alert');
  const good = modelJson();
  await importText(page, good.slice(0, good.length / 2), 'truncated.json');
  await expect(alert).toContainText('cut short');
  await importText(page, modelJson('nan', [1, null]), 'nan.json');
  await expect(alert).toContainText(
    'model.network.params[0].W[1] is null; every weight must be a number.',
  );
  await importText(page, good.replace('"model":{', '"model":{"__proto__":{"x":1},'), 'proto.json');
  await expect(alert).toContainText('__proto__');
  const huge = JSON.parse(good) as { model: { network: { spec: { hidden: unknown[] } } } };
  huge.model.network.spec.hidden = [{ units: 1_000_000, activation: 'relu', keepProb: 1 }];
  await importText(page, JSON.stringify(huge), 'huge-shape.json');
  await expect(alert).toContainText(
    'model.network.spec.hidden[0].units is 1000000; it should be at most 1,024.',
  );
  // A 1.5 GB file (sparse on disk): refused by its size, never read.
  const dir = mkdtempSync(join(tmpdir(), 'bpl-'));
  const path = join(dir, 'huge.json');
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 1536 * 1024 * 1024);
  closeSync(fd);
  await page.getByLabel(/Import a Backprop Lab file/).setInputFiles(path);
  await expect(alert).toContainText('“huge.json” is 1536 MB, more than the 1024 MB allowed');
  await expect(page.getByTestId('model-item')).toHaveCount(0);
});

test('prediction: one example by its raw values, and a table of rows with an escaped CSV download', async ({
  page,
}) => {
  await openLibrary(page);
  await importText(page, modelJson('logit'), 'logit.json');
  await page.getByRole('button', { name: 'Predict with logit' }).click();
  await page.getByLabel('x1', { exact: true }).fill('2');
  await page.getByLabel('x2', { exact: true }).fill('0');
  await library(page).getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(page.getByTestId('prediction-result')).toHaveText(
    'Prediction: yes (probability 0.881)',
  );
  await page.getByLabel('x1', { exact: true }).fill('abc');
  await library(page).getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(library(page).getByRole('alert')).toContainText(
    'column "x1": "abc" is not a number',
  );

  const rows = 'x1,x2,note\n2,0,=HYPERLINK("http://evil")\n0,3,-1+2\n-1.5,1,plain\n';
  await page
    .getByLabel(/Table of rows to predict/)
    .setInputFiles({ name: 'rows.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  const table = page.getByTestId('batch-predictions');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('tbody tr').first()).toContainText('yes');
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download predictions' }).click(),
  ]);
  expect(dl.suggestedFilename()).toBe('rows-predictions.csv');
  const csv = readFileSync((await dl.path()) as string, 'utf8').split('\r\n');
  expect(csv[0]).toBe('x1,x2,note,predicted label,probability no,probability yes');
  expect(csv[1]).toMatch(/^2,0,"'=HYPERLINK\(""http:\/\/evil""\)",yes,0\.119203,0\.880797$/);
  expect(csv[2]).toMatch(/^0,3,'-1\+2,no,/);
  expect(csv[3]).toMatch(/^-1\.5,1,plain,no,/);
});

/** The trainer's checkpoint interval, read from its source (specs import nothing from workers/). */
const CHECKPOINT_EVERY_MS = Number(
  /CHECKPOINT_EVERY_MS = (\d+)/.exec(readFileSync('workers/core/types.ts', 'utf8'))?.[1],
);

/** The runs as stored in IndexedDB (read straight from the database). */
function storedRuns(
  page: Page,
): Promise<Array<{ status: string; checkpointEpoch: number; history: Array<{ epoch: number }> }>> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open('backprop-lab');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const q = r.result.transaction('runs').objectStore('runs').getAll();
          q.onsuccess = () => (r.result.close(), resolve(q.result));
        };
      }),
  );
}

/** Writes 1 KB to a scratch database: 'ok', or the name of the error that stopped it. */
function scratchWrite(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const r = indexedDB.open('quota-scratch', 1);
        r.onupgradeneeded = () => r.result.createObjectStore('s');
        r.onerror = () => resolve(r.error?.name ?? 'error');
        r.onsuccess = () => {
          const tx = r.result.transaction('s', 'readwrite');
          tx.objectStore('s').put(new Uint8Array(1024), Math.random());
          tx.oncomplete = () => (r.result.close(), resolve('ok'));
          tx.onabort = () => (r.result.close(), resolve(tx.error?.name ?? 'abort'));
        };
      }),
  );
}

test('a full disk (emulated quota) gives a clear message and leaves what was saved before', async ({
  page,
  baseURL,
}) => {
  // Chromium's ~30 s cache of the origin's room is most of it.
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openLibrary(page);
  await importText(page, modelJson('kept'), 'kept.json');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  // A run that goes on until it is stopped.
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('100000');
  await page.getByLabel('Early stopping').uncheck();
  // One example per batch: 100,000 epochs of full batches of the sample end within a minute on a
  // fast machine, before the lowered quota bites.
  await page.getByLabel('Batch size', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(baseURL as string).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  // The run is saved before the lowered quota takes effect (its first checkpoint comes within
  // seconds), so there is something to keep.
  await expect
    .poll(async () => (await storedRuns(page))[0]?.history.length ?? 0, { timeout: 30_000 })
    .toBeGreaterThan(0);
  // Chromium caches the room it found for this origin for about 30 s: wait until a scratch write fails.
  await expect
    .poll(() => scratchWrite(page), { timeout: 60_000, intervals: [2000] })
    .toBe('QuotaExceededError');

  // The run's next checkpoint fails: said at once (within one checkpoint interval, 2 s, plus a
  // margin for a loaded machine), with what is kept and how to make room.
  const full = page.getByTestId('storage-full');
  expect(CHECKPOINT_EVERY_MS).toBeGreaterThan(0);
  await expect(full).toBeVisible({ timeout: CHECKPOINT_EVERY_MS + 4000 });
  await expect(full).toHaveAttribute('role', 'alert');
  await expect(full).toContainText(/kept up to epoch [\d,]+/);
  await expect(full).toContainText('delete old runs or models');
  const savedEpoch = Number(await full.getAttribute('data-saved-epoch'));
  expect(savedEpoch).toBeGreaterThan(0);
  // Its Stop is named apart from the training area's Stop.
  await expect(full.getByRole('button', { name: 'Stop training', exact: true })).toBeVisible();
  await full.getByRole('button', { name: 'Keep training without saving' }).click();
  await expect(full).toBeHidden();
  await expect(library(page)).toHaveAttribute('data-saving', 'off');
  // Training goes on: epochs still counting through later checkpoints, none written, no second alert.
  const epochNow = Number(await page.getByTestId('metric-epoch').textContent());
  const unsaved = Number(await library(page).getAttribute('data-unsaved'));
  await expect
    .poll(async () => Number(await library(page).getAttribute('data-unsaved')), {
      timeout: 30_000,
    })
    .toBeGreaterThan(unsaved);
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()))
    .toBeGreaterThan(epochNow);
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'running');
  await expect(library(page).getByRole('alert')).toHaveCount(0);
  // While it trains unsaved, a status says so and offers to save again once room is made.
  const off = page.getByTestId('storage-off');
  await expect(off).toHaveAttribute('role', 'status');
  await expect(off).toContainText(`kept up to epoch ${savedEpoch.toLocaleString('en')}`);
  await expect(off.getByRole('button', { name: 'Save again' })).toBeVisible();

  await importText(page, modelJson('too much'), 'more.json');
  await expect(library(page).getByRole('alert')).toContainText('no room left');
  await expect(library(page).getByRole('alert')).toContainText(
    'Nothing you saved before was changed',
  );
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'stopped');
  await expect(
    library(page).getByRole('status').filter({ hasText: 'The run is kept' }),
  ).toBeVisible();
  await expect(page.getByTestId('storage-full')).toHaveCount(0);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.reload();
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await expect(page.getByTestId('model-item')).toContainText('kept');
  // The run is in the library with its history up to its last saved checkpoint.
  await expect(page.getByTestId('run-item')).toHaveCount(1);
  const [run] = await storedRuns(page);
  expect(run.history.map((h) => h.epoch)).toEqual(
    Array.from({ length: savedEpoch }, (_, i) => i + 1),
  );
  expect(run.checkpointEpoch).toBe(savedEpoch);
  expect(['interrupted', 'stopped']).toContain(run.status);
  expect(pageErrors).toEqual([]);
  // The origin has room again before the next test (the browser's cache of its room lags too).
  await expect.poll(() => scratchWrite(page), { timeout: 60_000, intervals: [1000] }).toBe('ok');
});

test('without IndexedDB (private mode) the library works in memory and says so', async ({
  page,
}) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function () {
      throw new DOMException(
        'The user denied permission to access the database.',
        'InvalidStateError',
      );
    };
  });
  await openLibrary(page);
  await expect(page.getByTestId('library')).toHaveAttribute('data-memory', 'true');
  await expect(page.getByTestId('storage-banner')).toContainText('export it before closing');
  await importText(page, modelJson('in memory'), 'm.json');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export everything' }).click(),
  ]);
  const backup = JSON.parse(readFileSync((await dl.path()) as string, 'utf8')) as {
    format: string;
    models: Array<{ name: string }>;
  };
  expect(backup.format).toBe('backprop-lab/backup');
  expect(backup.models.map((m) => m.name)).toEqual(['in memory']);
});

test('two tabs: a change in one appears in the other; delete has an undo', async ({
  page,
  context,
}) => {
  await openLibrary(page);
  const other = await context.newPage();
  await openLibrary(other);
  await importText(page, modelJson('shared'), 'shared.json');
  await expect(other.getByTestId('model-item')).toHaveCount(1);
  await other.getByRole('button', { name: 'Delete shared' }).click();
  await expect(page.getByTestId('model-item')).toHaveCount(0);
  await library(other).getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await other.close();
});

test('offline: the library, its models and prediction work with the network off', async ({
  page,
  context,
}) => {
  await openLibrary(page);
  await expect(page.getByTestId('status-offline')).toHaveAttribute('data-ready', 'true', {
    timeout: 30_000,
  });
  await importText(page, modelJson('offline model'), 'o.json');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('model-item')).toContainText('offline model');
  await page.getByRole('button', { name: 'Predict with offline model' }).click();
  await page.getByLabel('x1', { exact: true }).fill('0');
  await page.getByLabel('x2', { exact: true }).fill('1');
  await library(page).getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(page.getByTestId('prediction-result')).toHaveText(
    'Prediction: no (probability 0.731)',
  );
  await context.setOffline(false);
});
