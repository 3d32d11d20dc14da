// The whole train flow in Spanish and in German: switching language mid-run keeps the run, numbers
// follow the language (decimal comma), and no English is left on screen (the walk fails on any text
// of the English catalogue that the active one words differently, and on English sentences written
// outside the catalogues). The user's own data (column names, class labels) stays as it is.
import type { Locator, Page } from '@playwright/test';
import { expect, expectFullApp, test } from './support/fixtures.ts';
import { catalogue, englishLeft, shownTexts, IRIS_TEXTS } from './support/language.ts';

const en = catalogue('en');

/** The active language's words for an English catalogue text. */
function say(locale: string, english: string): string {
  const key = Object.keys(en).find((k) => en[k] === english);
  if (!key) throw new Error(`"${english}" is not in the English catalogue`);
  return catalogue(locale)[key];
}

async function openPanel(page: Page, title: string): Promise<Locator> {
  const details = page
    .locator('#learn details')
    .filter({ has: page.locator('summary', { hasText: title }) });
  await details.locator('summary').click();
  await expect(details).toHaveAttribute('open', '');
  return details;
}

for (const locale of ['es', 'de'] as const) {
  test(`the train flow in ${locale}: the run survives the switch, numbers are the language's, nothing English is left`, async ({
    page,
  }) => {
    const s = (english: string) => say(locale, english);
    await page.goto('/');
    await expectFullApp(page);
    await page.getByRole('button', { name: /Iris/ }).click();
    await expect(page.getByLabel('Target column')).toHaveValue('species');
    await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
    await page.getByLabel('Epochs', { exact: true }).fill('100000');
    // A run that goes on until it is stopped: early stopping would end it by itself.
    await page.getByLabel('Early stopping').uncheck();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const epoch = async () => Number(await page.getByTestId('metric-epoch').textContent());
    await expect.poll(epoch).toBeGreaterThan(0);

    // The language changes while the run goes on: same run, its epochs still counting.
    await page.getByTestId('language').selectOption(locale);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    const at = await epoch();
    await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'running');
    await expect.poll(epoch).toBeGreaterThan(at);
    await expect(page.getByTestId('run-item')).toHaveCount(1);
    await page.getByRole('button', { name: s('Stop'), exact: true }).click();
    await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'stopped');
    await expect(page.getByTestId('run-item')).toHaveAttribute('data-status', 'stopped');

    // Numbers the language's way: a decimal comma in the training time.
    await expect(page.getByTestId('metric-elapsed')).toHaveText(/^\d+,\d+$/);

    // The maths area, filled: inspection and gradient check of the trained network.
    const inspect = await openPanel(page, s('Inspect a layer'));
    await inspect.getByRole('button', { name: s('Inspect the current batch') }).click();
    await expect(inspect.getByTestId('inspect-example')).toBeVisible();
    const check = await openPanel(page, s('Gradient check'));
    await check.getByRole('button', { name: s('Run gradient check') }).click();
    await expect(check.getByTestId('gradcheck-overall')).not.toBeEmpty();
    await openPanel(page, s('Initialization lab'));
    await openPanel(page, s('Regularization: bias and variance'));

    const left = englishLeft(await shownTexts(page), locale, IRIS_TEXTS);
    expect(left, `English left on screen in ${locale}`).toEqual([]);

    // The choice is remembered.
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(page.getByTestId('language')).toHaveValue(locale);
  });
}

test.describe('a browser set to German', () => {
  test.use({ locale: 'de-DE' });
  test('opens in German until another language is chosen', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { level: 2, name: say('de', 'Library') })).toBeVisible();
  });
});
