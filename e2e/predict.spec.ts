// Prediction of a big file runs in the data worker: a ~20 MB CSV is read, predicted and offered for
// download with no main-thread task over 50 ms, and what the table shows and the download holds equal
// the app's own one-row predictions for the same rows.
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { mainThreadTasks } from './support/trace.ts';

// A single garbage collection or a busy neighbour can take one task past 50 ms; work on the main
// thread per row or per batch fails every attempt.
test.describe.configure({ retries: 1 });

/** A model with a recipe (a number standardized, a category one-hot) and a tanh hidden layer: 3 classes. */
function modelJson(): string {
  const W1 = [0.8, -1.2, 0.5, 1.5, 0.3, -0.7, -0.4, 0.9, 1.1, 0.2, -1.3, 0.6];
  const W2 = [1.2, -0.8, 0.5, 0.3, -1, 0.7, 1.4, -0.2, 0.1, 0.9, -1.1, 0.6];
  return JSON.stringify({
    format: 'backprop-lab/model',
    version: 1,
    app: 'Backprop Lab',
    exportedAt: '2026-01-01T00:00:00.000Z',
    model: {
      name: 'flowers',
      created: 1,
      network: {
        format: 'backprop-lab/network',
        version: 1,
        spec: {
          inputs: 3,
          hidden: [{ units: 4, activation: 'tanh', keepProb: 1 }],
          outputs: 3,
          output: 'softmax',
        },
        params: [
          { W: W1, b: [0.1, -0.2, 0, 0.3] },
          { W: W2, b: [0, 0.2, -0.1] },
        ],
      },
      recipe: {
        version: 1,
        settings: {},
        target: 'kind',
        task: 'multiclass',
        classLabels: ['a', 'b', 'c'],
        targetScale: null,
        decimalComma: false,
        columns: [
          { name: 'size', kind: 'numeric', impute: 0.5, mean: 0.5, std: 4 },
          {
            name: 'colour',
            kind: 'categorical',
            categories: ['red', 'blue'],
            imputeCategory: 'red',
            missingColumn: false,
            otherColumn: false,
          },
        ],
        droppedColumns: [],
        featureNames: ['size', 'colour=red', 'colour=blue'],
      },
      task: 'multiclass',
      targetName: 'kind',
      featureNames: ['size', 'colour=red', 'colour=blue'],
      classLabels: ['a', 'b', 'c'],
      targetScale: null,
      metrics: {},
    },
  });
}

const COLOURS = ['red', 'blue', 'green', ''];

/** Row i of the generated file: id, size, colour (green is unknown to the model, '' is missing), note. */
function row(i: number): string[] {
  const size = (((i * 7919) % 2001) / 100 - 10).toFixed(2);
  return [String(i), size, COLOURS[i % 4], i % 5 === 0 ? `=SUM(A${i})` : `n${i % 97}`];
}

test('a 20 MB CSV is predicted off the page: no long task, and every row equals its one-row prediction', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const rows = 900_000;
  const dir = mkdtempSync(join(tmpdir(), 'bpl-predict-'));
  const path = join(dir, 'flowers.csv');
  const lines = ['id,size,colour,note'];
  for (let i = 0; i < rows; i++) lines.push(row(i).join(','));
  writeFileSync(path, lines.join('\n') + '\n');
  expect(readFileSync(path).length).toBeGreaterThan(19 * 1024 * 1024);

  await page.goto('/');
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  await page.getByLabel(/Import a Backprop Lab file/).setInputFiles({
    name: 'flowers.model.json',
    mimeType: 'application/json',
    buffer: Buffer.from(modelJson()),
  });
  await page.getByRole('button', { name: 'Predict with flowers' }).click();
  const library = page.getByTestId('library');
  await expect(page.getByLabel('size', { exact: true })).toBeVisible();

  // Measure from the moment the file is chosen until the download has started: no main-thread task
  // does more than 50 ms of work (CPU time from Chrome's trace, which a busy neighbour on a shared
  // machine cannot stretch; the wall-clock long tasks are printed beside it). Meanwhile the test
  // waits inside the page with a cheap check: Playwright's own polling (locators, aria snapshots)
  // runs on the page's main thread and would be measured too.
  const fileInput = await page.getByLabel(/Table of rows to predict/).elementHandle();
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  await fileInput!.setInputFiles(path);
  const outcome = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const check = () => {
          const lib = document.querySelector('[data-testid="library"]');
          const alert = lib?.querySelector('[role="alert"]');
          if (alert) return resolve(`alert: ${alert.textContent}`);
          // The table grows a few rows per frame: wait for all of them.
          const shown = lib?.querySelectorAll('[data-testid="batch-predictions"] tbody tr').length;
          if (shown === 50) return resolve('50 rows shown');
          setTimeout(check, 250);
        };
        check();
      }),
  );
  expect(outcome).toBe('50 rows shown');
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() =>
      [...document.querySelectorAll('button')]
        .find((b) => b.textContent?.trim() === 'Download predictions')
        ?.click(),
    ),
  ]);
  const tasks = mainThreadTasks(await browser.stopTracing());
  const longTasks = await page.evaluate(
    () => (window as unknown as { __longTasks: number[] }).__longTasks,
  );
  const busiest = Math.max(0, ...tasks.map((t) => t.cpuMs));
  console.log(
    `predicting: ${tasks.length} main-thread tasks, the busiest ${busiest.toFixed(1)} ms of CPU; wall-clock long tasks (ms): ${JSON.stringify(longTasks.map(Math.round))}`,
  );
  expect(tasks.length).toBeGreaterThan(10);
  expect(tasks.filter((t) => t.cpuMs > 50).map((t) => Math.round(t.cpuMs))).toEqual([]);

  await expect(library.getByText(`${rows} rows predicted; the first 50 are shown.`)).toBeVisible();
  const table = page.getByTestId('batch-predictions');
  await expect(table.locator('tbody tr')).toHaveCount(50);
  expect(dl.suggestedFilename()).toBe('flowers-predictions.csv');
  const csv = readFileSync((await dl.path()) as string, 'utf8').split('\r\n');
  expect(csv[0]).toBe(
    'id,size,colour,note,predicted kind,probability a,probability b,probability c',
  );
  expect(csv).toHaveLength(rows + 2); // the header, the rows, '' after the last CRLF
  // The input cells as they were (formula-like text escaped), then the prediction.
  expect(csv[1].split(',').slice(0, 4)).toEqual(['0', row(0)[1], 'red', "'=SUM(A0)"]);
  expect(csv[rows].split(',').slice(0, 4)).toEqual(row(rows - 1));

  // The same rows through the form (raw values as in the file): the same label and probability.
  const result = page.getByTestId('prediction-result');
  for (const i of [0, 1, 3, 4, 45, 400_001, rows - 1]) {
    const [id, size, colour] = row(i);
    const cells = csv[i + 1].split(',');
    expect(cells[0]).toBe(id);
    const label = cells[4];
    const k = ['a', 'b', 'c'].indexOf(label);
    const prob = Number(cells[5 + k]).toFixed(3);
    await page.getByLabel('size', { exact: true }).fill(size);
    await library.getByRole('combobox', { name: /^colour/ }).selectOption({ value: colour });
    await library.getByRole('button', { name: 'Predict', exact: true }).click();
    await expect(result).toHaveText(`Prediction: ${label} (probability ${prob})`);
    if (i < 50) {
      const tds = table.locator('tbody tr').nth(i).locator('td');
      await expect(tds.nth(4)).toHaveText(label);
      await expect(tds.nth(5 + k)).toHaveText(prob);
    }
  }
  // Every shown row equals its downloaded line.
  const shown = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
  shown.forEach((cells, i) => {
    const line = csv[i + 1].split(',');
    expect(cells[0]).toBe(line[0]);
    expect(cells[4]).toBe(line[4]);
    for (let k = 0; k < 3; k++)
      expect(Math.abs(Number(cells[5 + k]) - Number(line[5 + k]))).toBeLessThanOrEqual(
        0.0005 + 1e-6,
      );
  });
});

test('the prediction panel with a file predicted: progress box, table and download pass axe', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  await page.getByLabel(/Import a Backprop Lab file/).setInputFiles({
    name: 'flowers.model.json',
    mimeType: 'application/json',
    buffer: Buffer.from(modelJson()),
  });
  await page.getByRole('button', { name: 'Predict with flowers' }).click();
  const lines = ['id,size,colour,note', ...Array.from({ length: 120 }, (_, i) => row(i).join(','))];
  await page.getByLabel(/Table of rows to predict/).setInputFiles({
    name: 'few.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(lines.join('\n')),
  });
  await expect(page.getByText('120 rows predicted; the first 50 are shown.')).toBeVisible();
  await expect(page.getByTestId('batch-predictions').locator('tbody tr')).toHaveCount(50);
  const result = await new AxeBuilder({ page })
    .include('section[aria-labelledby="predict-title"]')
    .analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  expect(serious).toEqual([]);
});
