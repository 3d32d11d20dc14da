import { createWriteStream, rmSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/** A small CSV with the problems the health report must point out. */
function messyCsv(): string {
  const lines = ['student_id,school,hours,score,<b>grade</b>,passed'];
  for (let i = 0; i < 60; i++) {
    const passed = i === 7 ? '' : i % 9 === 0 ? 'no' : 'yes';
    lines.push(
      `${1000 + i},North,${(i * 0.37) % 10},${40 + ((i * 13) % 50)},<i>${['A', 'B', 'C'][i % 3]}</i>,${passed}`,
    );
  }
  return lines.join('\n') + '\n';
}

async function pickTarget(page: Page, name: string) {
  // exact: the select's accessible name is exactly the stable name
  await page.getByLabel('Target column', { exact: true }).selectOption(name);
}

test.describe('Data area', () => {
  test('the app opens with a sample ready to train', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '2 features x 280 training examples',
    );
    await expect(page.getByLabel('Target column')).toHaveValue('label');
  });

  test('the file input loads a CSV; the health report shows the warnings; choosing a target prepares the data', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByTestId('prepared-shape')).toBeVisible();
    await page
      .getByLabel(/CSV/)
      .setInputFiles({ name: 'messy.csv', mimeType: 'text/csv', buffer: Buffer.from(messyCsv()) });
    const data = page.locator('#data');
    await expect(data.getByRole('heading', { name: 'messy.csv' })).toBeVisible();
    await expect(page.getByLabel('Target column')).toHaveValue('');
    const warnings = page.getByRole('list', { name: 'Warnings about the data' });
    await expect(warnings).toContainText('Column "student_id" looks like an ID');
    await expect(warnings).toContainText('Column "school" has the same value on every row');
    // HTML in a header or a cell is shown as text, never as markup
    await expect(page.getByRole('region', { name: 'Health report of the columns' })).toContainText(
      '<b>grade</b>',
    );
    expect(await data.locator('b, i').count()).toBe(0);

    await pickTarget(page, 'passed');
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '5 features x 41 training examples',
    );
    await expect(warnings).toContainText('1 row has no value in the target "passed"');
    await expect(warnings).toContainText('The classes are unbalanced');

    // a one-click fix: keep the ID column, then drop it from its warning
    await page.getByText('Recipe: missing values, encoding, scaling, split').click();
    await page.getByLabel('Leave out ID-like columns').uncheck();
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '6 features x 41 training examples',
    );
    await warnings.getByRole('button', { name: 'Drop "student_id"' }).click();
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '5 features x 41 training examples',
    );
    // the type of a column can be changed
    await page.getByLabel('Type of hours').selectOption('constant');
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '4 features x 41 training examples',
    );

    // no accessibility violations in the Data area with warnings, the recipe and the preview open
    await page.locator('#data details summary').last().click();
    const axe = await new AxeBuilder({ page }).include('#data').analyze();
    expect(
      axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });

  test('dropping a file anywhere on the page loads it', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('prepared-shape')).toBeVisible();
    const csv =
      'a,b,kind\n' +
      Array.from(
        { length: 40 },
        (_, i) => `${(i * 0.7) % 5},${(i * 1.3) % 7},${i % 2 ? 'x' : 'y'}`,
      ).join('\n');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      const target = document.querySelector('main') ?? document.body;
      target.dispatchEvent(
        new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
    }, csv);
    await expect(page.getByTestId('drop-overlay')).toBeVisible();
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      const target = document.querySelector('main') ?? document.body;
      target.dispatchEvent(
        new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
      target.dispatchEvent(
        new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
    }, csv);
    await expect(page.getByTestId('drop-overlay')).toBeHidden();
    await expect(page.locator('#data').getByRole('heading', { name: 'dropped.csv' })).toBeVisible();
    await pickTarget(page, 'kind');
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '2 features x 28 training examples',
    );
  });

  test('a bundled sample shows its source and licence and prepares', async ({ page }) => {
    await page.goto('/');
    await page
      .getByRole('list', { name: 'Built-in samples' })
      .getByRole('button', { name: /Iris/ })
      .click();
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '4 features x 105 training examples',
    );
    await expect(page.locator('#data')).toContainText('Licence: Public domain');
    // The decision boundary opens on the two inputs that tell the classes apart best.
    const axes = () =>
      Promise.all(
        ['Across (x)', 'Up (y)'].map((name) =>
          page
            .getByRole('combobox', { name, exact: true })
            .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text),
        ),
      );
    await expect.poll(axes).toEqual(['petal_length', 'petal_width']);
    await expect(page.getByTestId('boundary-held')).toContainText(
      'The other 2 inputs are held at their medians',
    );
    await page.getByRole('button', { name: /Palmer penguins/ }).click();
    await expect(page.locator('#data')).toContainText('CC0');
    await expect(page.getByTestId('prepared-shape')).toContainText('training examples');
    // Two numeric measurements, never a one-hot column such as island=Torgersen.
    await expect.poll(axes).toEqual(['bill_length_mm', 'flipper_length_mm']);
  });

  test('bad input gets a specific message', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('prepared-shape')).toBeVisible();
    const input = page.getByLabel(/CSV/);
    await input.setInputFiles({
      name: 'photo.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]),
    });
    await expect(page.getByRole('alert')).toContainText('not a CSV text file');
    await input.setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
    await expect(page.getByRole('alert')).toContainText('The file is empty');
    await input.setInputFiles({
      name: 'ragged.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11\n'),
    });
    await expect(page.getByRole('alert')).toContainText('row 3');
    await page.getByRole('button', { name: 'Skip bad rows' }).click();
    await expect(page.locator('#data')).toContainText('1 row was skipped');
    await input.setInputFiles({
      name: 'one.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('x,y\n1,a\n2,a\n3,a\n'),
    });
    await pickTarget(page, 'y');
    await expect(page.getByRole('alert')).toContainText('only one value');
  });

  test('a semicolon file with decimal commas is detected, and the delimiter can be overridden', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByTestId('prepared-shape')).toBeVisible();
    const csv =
      'höhe;gewicht;art\n' +
      Array.from(
        { length: 30 },
        (_, i) =>
          `${(1.5 + (i % 7) / 10).toFixed(2).replace('.', ',')};${60 + ((i * 7) % 23)},5;${i % 2 ? 'a' : 'b'}`,
      ).join('\n');
    await page.getByLabel(/CSV/).setInputFiles({
      name: 'semi.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'latin1'),
    });
    const data = page.locator('#data');
    await expect(data).toContainText(
      'read as WINDOWS-1252, semicolon (;) separated, decimal comma',
    );
    await expect(page.getByRole('region', { name: 'Health report of the columns' })).toContainText(
      'höhe',
    );
    await expect(page.getByLabel('Type of höhe')).toHaveValue('numeric');
    // a wrong delimiter by hand: the rows no longer match the header; back to detection
    await page.getByLabel('Delimiter').selectOption(',');
    await expect(page.getByRole('alert')).toContainText(
      'Some rows do not have 1 value like the header: rows 2, 3, 4',
    );
    await page.getByLabel('Delimiter').selectOption('auto');
    await expect(data).toContainText('semicolon (;) separated, decimal comma');
    await expect(page.getByLabel('Type of gewicht')).toHaveValue('numeric');
  });

  test('a big file shows progress and can be cancelled, keeping the data loaded before', async ({
    page,
  }, testInfo) => {
    await page.goto('/');
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '2 features x 280 training examples',
    );
    // 150 MB on disk (given by path, not copied through the protocol): reading it takes many seconds.
    const row = Buffer.from('123.456,-78.9,0.001,42,some text\n'.repeat(10_000));
    const path = testInfo.outputPath('big.csv');
    const out = createWriteStream(path);
    out.write('a,b,c,d,e\n');
    for (let written = 0; written < 150 * 1024 * 1024; written += row.length) out.write(row);
    await new Promise<void>((resolve) => out.end(resolve));
    await page.getByLabel(/CSV/).setInputFiles(path);
    await expect(page.locator('#data').getByRole('progressbar')).toBeVisible();
    await expect(page.locator('#data')).toContainText(/Reading [\d.]+ MB of 150\.\d MB/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('alert')).toContainText('Loading was cancelled');
    await expect(page.getByTestId('prepared-shape')).toContainText(
      '2 features x 280 training examples',
    );
    await expect(page.locator('#data').getByRole('progressbar')).toBeHidden();
    rmSync(path);
  });
});
