import { expect, test } from './support/fixtures.ts';
import type { Page } from '@playwright/test';
import { IRIS_TEXTS, englishLeft, shownTexts } from './support/language.ts';

// A tall window: wine's long health report, the finder's chart and the test report all stay on
// screen (an area off screen is not rendered until it scrolls into view).
test.use({ viewport: { width: 1280, height: 3000 } });

// "Find a learning rate" on the bundled wine sample: the range test runs in the trainer worker, the
// page draws its curve and puts the suggested rate into the learning-rate field, and a run with that
// rate and the suggested settings learns wine. In German the texts and numbers are German.

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const rateField = (page: Page) => page.getByLabel('Learning rate', { exact: true });

test('finds a learning rate for wine, shows the curve, and that rate trains wine to 0.95', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page
    .getByRole('list', { name: 'Built-in samples' })
    .getByRole('button', { name: /Wine/ })
    .click();
  // Wine's health report is long: the training area may be below the fold (an area off screen is
  // not rendered until it scrolls into view).
  const onWine = page.getByText(/Training on 125 examples of 13 features/);
  await expect(onWine).toBeAttached({ timeout: 30_000 });
  await page.locator('#train').scrollIntoViewIfNeeded();
  await expect(onWine).toBeVisible();
  const find = button(page, 'Find a learning rate');
  await expect(find).toBeEnabled();
  const before = Number(await rateField(page).inputValue());

  await find.click();
  const chart = page.getByTestId('lr-chart');
  await expect(chart).toBeVisible({ timeout: 60_000 });
  await expect(chart.locator('canvas').first()).toBeVisible();
  const note = page.getByRole('status').filter({ hasText: /^Learning rate set to / });
  await expect(note).toBeVisible();
  const [, shown, was] = /^Learning rate set to ([\d.]+) \(was ([\d.]+)\)\.$/.exec(
    (await note.textContent())!.trim(),
  )!;
  expect(Number(was)).toBe(before);
  // The field holds the rate the note shows, and the chart's description names it.
  expect(await rateField(page).inputValue()).toBe(shown);
  expect(Number(shown)).not.toBe(before);
  await expect(chart.getByRole('img')).toHaveAccessibleName(
    new RegExp(`the suggested rate is ${shown.replace('.', '\\.')}, where the loss fell fastest`),
  );
  await expect(find).toBeEnabled();

  await button(page, 'Train').click();
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
  // The test report the page shows after the run.
  const report = page.getByRole('region', { name: 'Test set' });
  await expect(report).toBeVisible();
  const percent = (await report.locator('p strong').first().textContent())!.trim();
  const accuracy = Number(percent.replace('%', '')) / 100;
  expect(accuracy).toBeGreaterThanOrEqual(0.95);
  // The readout's test accuracy is the same figure (the report rounds it to 0.1%).
  expect(Number(await page.getByTestId('metric-test-accuracy').textContent())).toBeCloseTo(
    accuracy,
    2,
  );
  // The curve stays for the data it was drawn on; other data clears it.
  await expect(chart).toBeVisible();
  await page
    .getByRole('list', { name: 'Built-in samples' })
    .getByRole('button', { name: /Iris/ })
    .click();
  await expect(page.getByText(/Training on 105 examples/)).toBeVisible({ timeout: 30_000 });
  await expect(chart).toBeHidden();
});

test('in German: the button, the note with a decimal comma, the chart, and no English left', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: /Iris/ }).click();
  await expect(page.getByText(/Training on 105 examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('language').selectOption('de');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await button(page, 'Lernrate finden').click();
  const chart = page.getByTestId('lr-chart');
  await expect(chart).toBeVisible({ timeout: 60_000 });
  const note = page.getByRole('status').filter({ hasText: /^Lernrate auf / });
  const [, shown] = /^Lernrate auf ([\d,]+) gesetzt \(vorher 0,01\)\.$/.exec(
    (await note.textContent())!.trim(),
  )!;
  // The field holds the number itself; the note writes it the German way.
  expect(await page.getByLabel('Lernrate', { exact: true }).inputValue()).toBe(
    shown.replace(',', '.'),
  );
  await expect(chart.getByRole('img')).toHaveAccessibleName(
    new RegExp(`die vorgeschlagene Rate ist ${shown}`),
  );
  const left = englishLeft(await shownTexts(page), 'de', IRIS_TEXTS);
  expect(left, 'English left on screen in German').toEqual([]);
});
