// What a teacher takes away from a run: the printed report (every section, every PDF page with
// content), each chart as PNG, the history as CSV, all results as one zip, and the TensorFlow.js
// export whose metadata lets raw rows be fed and whose predictions match the app's. Names in any
// script stay readable ("模型").
import { strFromU8, unzipSync } from 'fflate';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { expect, test } from './support/fixtures.ts';
import {
  button,
  csvRows,
  downloadOf,
  flowersCsv,
  loadTable,
  openApp,
  pdfPages,
  pngSize,
  setNumber,
  trainToEnd,
  trainingState,
} from './support/classroom.ts';

const SECTIONS = ['data', 'recipe', 'network', 'settings', 'curves', 'test', 'confusion'];

test('the printed report shows every section, and every page of its PDF has content', async ({
  page,
}) => {
  // The browser's print dialog is counted instead of opened (the test prints to PDF itself, and a
  // headless browser keeps a dialog's print job pending).
  await page.addInitScript(() => {
    const w = window as unknown as { printed: number };
    w.printed = 0;
    window.print = () => void w.printed++;
  });
  await openApp(page);
  await loadTable(page, '模型.csv', flowersCsv(), 'art');
  await setNumber(page, 'Epochs', '60');
  await trainToEnd(page);
  const testAccuracy = await page.getByTestId('metric-test-accuracy').textContent();

  await button(page, 'Print report').click();
  const report = page.getByTestId('run-report');
  await expect(report).toBeVisible();
  await expect(report.getByRole('heading', { level: 1, name: 'Run report' })).toBeFocused();
  // "Print report" opens the browser's print dialog once the report is on screen.
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed))
    .toBe(1);
  for (const s of SECTIONS) await expect(report.locator(`[data-section="${s}"]`)).toBeVisible();
  // The data, the recipe, the network and the test results are this run's.
  await expect(report.getByText('模型.csv').first()).toBeVisible();
  await expect(report.locator('[data-section="data"]')).toContainText('art');
  await expect(report.locator('[data-section="network"] tbody tr')).toHaveCount(3);
  await expect(report.locator('[data-section="settings"]')).toContainText('60');
  await expect(report.locator('[data-section="curves"]')).toContainText('Finished after 60 epochs');
  const accuracy = Number(testAccuracy);
  await expect(report.locator('[data-section="test"]')).toContainText(
    `Accuracy ${(accuracy * 100).toFixed(1)}%`,
  );
  const confusion = report.locator('[data-section="confusion"] table');
  await expect(confusion.getByRole('rowheader')).toHaveText(['setosa', 'versicolor', 'virginica']);
  // The curves are pictures of the charts, loaded.
  const images = report.locator('[data-section="curves"] img');
  await expect(images).toHaveCount(2);
  for (const img of await images.all())
    await expect
      .poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth))
      .toBeGreaterThan(200);

  // Printed (the browser's print to PDF): the app's view and the report's buttons stay off paper.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Back to the app' })).toBeHidden();
  await expect(page.locator('#main')).toBeHidden();
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pages = pdfPages(pdf);
  expect(pages.length).toBeGreaterThanOrEqual(1);
  for (const [i, p] of pages.entries()) expect(p.text, `text on page ${i + 1}`).toBeGreaterThan(0);
  expect(pages.reduce((n, p) => n + p.images, 0)).toBeGreaterThanOrEqual(2);
  await page.emulateMedia({ media: 'screen' });

  // Back to the app: the run is as it was.
  await page.getByRole('button', { name: 'Back to the app' }).click();
  await expect(report).toHaveCount(0);
  await expect(trainingState(page)).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('metric-epoch')).toHaveText('60');
  await expect(button(page, 'Print report')).toBeFocused();
});

test('each chart as PNG, the history as CSV and all results as one zip', async ({ page }) => {
  await openApp(page);
  await loadTable(page, '模型.csv', flowersCsv(), 'art');
  await setNumber(page, 'Epochs', '40');
  await trainToEnd(page);
  const finalLoss = Number(await page.getByTestId('metric-train-loss').textContent());

  const png = await downloadOf(page, () =>
    page.getByRole('button', { name: 'Download the chart “Loss (log scale)” as PNG' }).click(),
  );
  expect(png.name).toBe('模型.loss.png');
  const size = pngSize(png.bytes);
  expect(size?.width).toBeGreaterThan(200);
  expect(size?.height).toBeGreaterThan(150);
  const acc = await downloadOf(page, () =>
    page.getByRole('button', { name: 'Download the chart “Accuracy” as PNG' }).click(),
  );
  expect(acc.name).toBe('模型.accuracy.png');
  expect(pngSize(acc.bytes)).not.toBeNull();

  const history = await downloadOf(page, () => button(page, 'History (CSV)').click());
  expect(history.name).toBe('模型.history.csv');
  const rows = csvRows(history.bytes.toString('utf8'));
  expect(rows[0]).toEqual([
    'epoch',
    'train loss',
    'dev loss',
    'train accuracy',
    'dev accuracy',
    'examples per second',
    'elapsed (ms)',
  ]);
  expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  const lastLoss = Number(rows[40][1]);
  expect(Number(lastLoss.toPrecision(4))).toBe(finalLoss);
  for (const r of rows.slice(1)) {
    expect(Number(r[1])).toBeGreaterThan(0);
    expect(Number(r[3])).toBeGreaterThanOrEqual(0);
    expect(Number(r[3])).toBeLessThanOrEqual(1);
  }

  const zip = await downloadOf(page, () => button(page, 'All results (zip)').click());
  expect(zip.name).toBe('模型.results.zip');
  const files = unzipSync(new Uint8Array(zip.bytes));
  expect(Object.keys(files).sort()).toEqual([
    '模型.accuracy.png',
    '模型.history.csv',
    '模型.loss.png',
    '模型.test.csv',
  ]);
  expect(strFromU8(files['模型.history.csv'])).toBe(history.bytes.toString('utf8'));
  expect(pngSize(files['模型.loss.png'])?.width).toBe(size?.width);
  const test = csvRows(strFromU8(files['模型.test.csv']));
  expect(test[0]).toEqual(['class', 'precision', 'recall', 'examples']);
  expect(test.slice(1, 4).map((r) => r[0])).toEqual(['setosa', 'versicolor', 'virginica']);
});

test('the TensorFlow.js export is one zip whose metadata lets raw rows in, and it predicts as the app', async ({
  page,
}) => {
  await openApp(page);
  await loadTable(page, '模型.csv', flowersCsv(), 'art');
  await setNumber(page, 'Epochs', '40');
  await trainToEnd(page);
  const library = page.getByTestId('library');
  // The run holds its model; keeping it names it among the models.
  await library
    .getByTestId('run-item')
    .first()
    .getByRole('button', { name: /^Keep .* as a model$/ })
    .click();
  const model = library.getByTestId('model-item').first();
  await expect(model).toBeVisible({ timeout: 30_000 });
  const exportButton = model.getByRole('button', { name: /for TensorFlow\.js$/ });
  const zip = await downloadOf(page, () => exportButton.click());
  expect(zip.name).toMatch(/^模型\.csv-.*\.tfjs\.zip$/);
  const files = unzipSync(new Uint8Array(zip.bytes));
  const jsonName = Object.keys(files).find((n) => n.endsWith('.tfjs.json'))!;
  const binName = Object.keys(files).find((n) => n.endsWith('.weights.bin'))!;
  expect(jsonName.startsWith('模型')).toBe(true);
  const modelJson = JSON.parse(strFromU8(files[jsonName])) as tf.io.ModelJSON;
  expect(modelJson.weightsManifest[0].paths).toEqual([binName]);

  // Loaded as tf.loadLayersModel reads model.json and its weights file.
  await tf.setBackend('cpu');
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const bin = files[manifest[0].paths[0]];
    return [
      manifest[0].weights,
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
    ];
  });
  const layers = await loadLayersModel(tf.io.fromMemory(artifacts));
  const meta = layers.getUserDefinedMetadata() as {
    featureNames: string[];
    classLabels: string[];
    targetName: string;
    output: string;
    recipe: {
      columns: Array<{ name: string; kind: string; mean: number; std: number; impute: number }>;
    };
  };
  expect(meta.featureNames).toEqual(['länge', 'breite', 'blatt', 'stiel']);
  expect(meta.classLabels).toEqual(['setosa', 'versicolor', 'virginica']);
  expect(meta.targetName).toBe('art');
  expect(meta.output).toBe('softmax');

  // A raw row through the recipe in the metadata, then the model; the app predicts the same row.
  const raw: Record<string, string> = { länge: '6.1', breite: '4.2', blatt: '2.5', stiel: '1.4' };
  const x = meta.recipe.columns.map((c) => (Number(raw[c.name]) - c.mean) / c.std);
  const probs = (layers.predict(tf.tensor2d([x])) as tf.Tensor).arraySync() as number[][];
  const best = probs[0].indexOf(Math.max(...probs[0]));
  await model.getByRole('button', { name: /^Predict with/ }).click();
  for (const [name, value] of Object.entries(raw))
    await page.getByRole('textbox', { name, exact: true }).fill(value);
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  await expect(page.getByTestId('prediction-result')).toContainText(
    `${meta.classLabels[best]} (probability ${probs[0][best].toFixed(3)})`,
  );
  layers.dispose();
});
