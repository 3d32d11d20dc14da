// The installed app in a classroom: a manifest with an id, screenshots, shortcuts, file handlers, a
// launch handler and a share target; files from the file manager (launchQueue), from another app
// (share target) or dropped anywhere go where they belong by what they are.
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../scripts/browser.mjs';
import {
  DIST,
  expect,
  expectFullApp,
  test,
  waitForOfflineReady,
  watchExternalRequests,
} from './support/fixtures.ts';
import { flowersCsv, openApp, pngSize } from './support/classroom.ts';

interface Manifest {
  id: string;
  screenshots: Array<{ src: string; sizes: string; form_factor: string; label: string }>;
  shortcuts: Array<{ name: string; url: string }>;
  file_handlers: Array<{ action: string; accept: Record<string, string[]>; launch_type?: string }>;
  launch_handler: { client_mode: string | string[] };
  share_target: {
    action: string;
    method: string;
    enctype: string;
    params: { files: Array<{ name: string; accept: string[] }> };
  };
  description_localized?: Record<string, { value: string }>;
}

test('the manifest has every classroom member, and the app installs', async ({ baseURL }) => {
  const profile = mkdtempSync(join(tmpdir(), 'backprop-lab-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions(),
    headless: true,
    baseURL,
  });
  try {
    const external = watchExternalRequests(context);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await expectFullApp(page);
    await waitForOfflineReady(page);
    const cdp = await context.newCDPSession(page);
    const { url, errors } = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: Array<{ message: string }>;
    };
    expect(errors).toEqual([]);
    expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    // The identity the browser gives the installed app comes from the manifest's id.
    const { appId } = (await cdp.send('Page.getAppId')) as { appId?: string };
    expect(appId).toBe(new URL('/backprop-lab', page.url()).href);

    const m = (await (await page.request.get(url)).json()) as Manifest;
    expect(m.id).toBe('backprop-lab');
    // Screenshots, wide and narrow, are real pictures of the stated size (and in the offline copy).
    expect(m.screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);
    for (const s of m.screenshots) {
      const res = await page.request.get(new URL(s.src, url).href);
      expect(res.ok()).toBe(true);
      const size = pngSize(await res.body());
      expect(`${size?.width}x${size?.height}`).toBe(s.sizes);
      expect(s.label.length).toBeGreaterThan(10);
    }
    // Shortcuts: a new run from a sample, the library.
    expect(m.shortcuts.map((s) => [s.name, s.url])).toEqual([
      ['New run from a sample', './?sample=iris'],
      ['Library', './?open=library'],
    ]);
    // Tables open in the data area; the app's own .json files open in import.
    const handler = (type: string) => m.file_handlers.find((h) => type in h.accept);
    expect(handler('text/csv')).toMatchObject({ action: './?open=data' });
    expect(handler('text/csv')?.accept['text/csv']).toEqual(['.csv']);
    expect(handler('text/tab-separated-values')?.accept['text/tab-separated-values']).toEqual([
      '.tsv',
    ]);
    expect(handler('application/json')).toMatchObject({
      action: './?open=import',
      accept: { 'application/json': ['.json'] },
    });
    // A launch goes to the window already open.
    expect([m.launch_handler.client_mode].flat()[0]).toBe('focus-existing');
    // CSV files shared from another app come as a POST the service worker takes.
    expect(m.share_target).toMatchObject({
      action: './share-target',
      method: 'POST',
      enctype: 'multipart/form-data',
    });
    expect(m.share_target.params.files[0].accept).toEqual(
      expect.arrayContaining(['text/csv', '.csv']),
    );
    // Its texts come from the catalogues, in each language.
    expect(Object.keys(m.description_localized ?? {}).sort()).toEqual(['de', 'es']);
    expect(external).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('the shortcuts open a sample to train on and the library, and leave a clean address', async ({
  page,
}) => {
  await page.goto('/?sample=iris');
  await expect(page.locator('#data').getByRole('heading', { name: 'Iris flowers' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText(/to predict species/)).toBeVisible({ timeout: 30_000 });
  expect(new URL(page.url()).search).toBe('');
  await page.goto('/?open=library');
  await expect(page.getByTestId('library')).toBeInViewport();
});

/** Makes the page's launchQueue a recorder of its consumer (what a launch of the installed app
 * calls), so the test can launch files through the API the app uses. */
async function captureLaunchQueue(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { launchConsumer?: (p: unknown) => void };
    Object.defineProperty(window, 'launchQueue', {
      configurable: true,
      value: { setConsumer: (c: (p: unknown) => void) => (w.launchConsumer = c) },
    });
  });
}

/** Launches files, as the file manager does: real file handles (in the origin's private file system). */
async function launchFiles(page: Page, files: Array<{ name: string; text: string }>) {
  await page.evaluate(async (list) => {
    const root = await navigator.storage.getDirectory();
    const handles = [];
    for (const f of list) {
      const h = await root.getFileHandle(f.name, { create: true });
      const w = await h.createWritable();
      await w.write(f.text);
      await w.close();
      handles.push(h);
    }
    const w = window as unknown as { launchConsumer: (p: unknown) => void };
    w.launchConsumer({ files: handles, targetURL: new URL('./?open=data', location.href).href });
  }, files);
}

const modelFile = JSON.stringify({
  format: 'backprop-lab/model',
  version: 1,
  app: 'Backprop Lab',
  exportedAt: '2026-01-01T00:00:00.000Z',
  model: {
    name: 'Modell aus dem Dateimanager',
    created: 1,
    network: {
      format: 'backprop-lab/network',
      version: 1,
      spec: { inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' },
      params: [{ W: [1, -1], b: [0] }],
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

test('files launched from the file manager (launchQueue): a table opens in the data area, a model in import', async ({
  page,
}) => {
  await captureLaunchQueue(page);
  await openApp(page);
  await expect
    .poll(() => page.evaluate(() => typeof (window as { launchConsumer?: unknown }).launchConsumer))
    .toBe('function');
  await launchFiles(page, [{ name: 'gestartet.csv', text: flowersCsv(60) }]);
  await expect(page.locator('#data').getByRole('heading', { name: 'gestartet.csv' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.locator('#data')).toBeInViewport();
  await launchFiles(page, [{ name: 'modell.json', text: modelFile }]);
  await expect(page.getByTestId('library').getByRole('status')).toContainText('Imported 1 model');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  // The table is still the one launched before: a model is not read as a table.
  await expect(page.locator('#data').getByRole('heading', { name: 'gestartet.csv' })).toBeVisible();
});

test('a CSV shared from another app (share target) opens in the data area', async ({ page }) => {
  await page.goto('/');
  await waitForOfflineReady(page);
  // What the system's share sheet sends: a multipart POST to the manifest's share_target action.
  const csv = flowersCsv(45);
  await page.evaluate((text) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.enctype = 'multipart/form-data';
    form.action = new URL('share-target', document.baseURI).href;
    const input = document.createElement('input');
    input.type = 'file';
    input.name = 'files';
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'geteilt aus der Mail.csv', { type: 'text/csv' }));
    input.files = dt.files;
    form.append(input);
    document.body.append(form);
    form.submit();
  }, csv);
  await expect(
    page.locator('#data').getByRole('heading', { name: 'geteilt aus der Mail.csv' }),
  ).toBeVisible({ timeout: 30_000 });
  expect(new URL(page.url()).search).toBe('');
  // Taken once: the parked file is gone from the cache.
  expect(
    await page.evaluate(
      async () => (await (await caches.open('backprop-lab-shared')).keys()).length,
    ),
  ).toBe(0);
});

/** Drops files anywhere on the page, as a drag from the file manager does. */
async function drop(page: Page, files: Array<{ name: string; text: string; type: string }>) {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.type }));
    const target = document.querySelector('#train') ?? document.body;
    for (const type of ['dragenter', 'dragover', 'drop'])
      target.dispatchEvent(
        new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
  }, files);
}

test('a file dropped anywhere goes where it belongs: a lesson pack is imported, a spreadsheet refused', async ({
  page,
}) => {
  await openApp(page);
  const data = flowersCsv(60, 4);
  const lesson = JSON.stringify({
    format: 'backprop-lab/lesson',
    version: 1,
    app: 'Backprop Lab',
    exportedAt: '2026-01-01T00:00:00.000Z',
    title: 'Lektion: Blüten',
    note: 'Trainiert 25 Epochen.',
    dataset: {
      name: 'blüten.csv',
      type: 'text/csv',
      base64: Buffer.from(data).toString('base64'),
      summary: null,
    },
    recipeSettings: { target: 'art' },
    config: {
      hidden: [{ units: 6, activation: 'tanh', keepProb: 1 }],
      init: 'xavier',
      optimizer: 'adam',
      learningRate: 0.01,
      batchSize: 16,
      epochs: 25,
      lambda: 0,
      seed: 3,
      beta1: 0.9,
      beta2: 0.999,
    },
  });
  await drop(page, [{ name: 'lektion.json', text: lesson, type: 'application/json' }]);
  // Imported as a lesson pack (its note, its data, its settings), not read as a CSV table.
  await expect(page.getByRole('complementary', { name: 'Lesson note' })).toContainText(
    'Trainiert 25 Epochen.',
  );
  await expect(page.locator('#data').getByRole('heading', { name: 'blüten.csv' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText(/to predict art/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('25');

  await drop(page, [{ name: 'noten.xlsx', text: 'PK\u0003\u0004', type: '' }]);
  await expect(page.getByTestId('launch-message')).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('launch-message')).toContainText(
    '“noten.xlsx” is a spreadsheet file. Save it as CSV',
  );
  // Nothing loaded is lost.
  await expect(page.locator('#data').getByRole('heading', { name: 'blüten.csv' })).toBeVisible();
});

test('the screenshots in the build are the ones the manifest names', () => {
  for (const [file, size] of [
    ['screenshots/wide.png', '1280x800'],
    ['screenshots/narrow.png', '412x915'],
  ]) {
    const s = pngSize(readFileSync(join(DIST, file)));
    expect(`${s?.width}x${s?.height}`).toBe(size);
  }
});
