import { expect, test, type Page } from '@playwright/test';

// The boundary panel's projection of all features: after a run, the regions drawn from the network's
// predictions for the nearest examples agree with the network on the drawn training points at least
// about as often as the network is right on the training split.

const state = (page: Page) => page.getByTestId('training');
const panel = (page: Page) => page.locator('figure.boundary');

async function trainSample(page: Page, sample: RegExp) {
  await page.goto('/');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: sample }).click();
  await expect(page.getByLabel('Target column')).toHaveValue('species');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('metric-train-accuracy')).not.toHaveText('');
}

async function checkProjection(page: Page) {
  const features = page.getByRole('radio', { name: 'Two features' });
  const projection = page.getByRole('radio', { name: 'Projection of all features' });
  await expect(features).toBeChecked();
  // Keyboard: the arrow key moves the choice within the group.
  await features.focus();
  await page.keyboard.press('ArrowRight');
  await expect(projection).toBeChecked();
  await expect(panel(page)).toHaveAttribute('data-view', 'projection');
  await expect(page.getByTestId('boundary-held')).toHaveCount(0);
  await expect(panel(page).locator('canvas')).toBeVisible();
  await expect(page.getByTestId('projection-axis-x')).toContainText(
    /PC1 \(\d+(\.\d+)?% of variance\)/,
  );
  await expect(page.getByTestId('projection-axis-y')).toContainText(
    /PC2 \(\d+(\.\d+)?% of variance\)/,
  );
  await expect(panel(page)).toContainText('placed by its first two principal components');
  await expect(panel(page)).toHaveAttribute('data-agreement', /\d/, { timeout: 30_000 });
  const agreement = Number(await panel(page).getAttribute('data-agreement'));
  const accuracy = Number(await page.getByTestId('metric-train-accuracy').textContent());
  expect(accuracy).toBeGreaterThan(0.5);
  expect(agreement).toBeGreaterThanOrEqual(accuracy - 0.02);
  expect(agreement).toBeLessThanOrEqual(1);
  // The canvas shows a picture: not a single flat colour.
  const colours = await panel(page)
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4 * 97)
        seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    });
  expect(colours).toBeGreaterThan(3);
  // A screen reader hears the agreement and the train accuracy it compares with.
  await expect(page.getByTestId('projection-agreement')).toContainText('train accuracy');
  // Back to the two chosen features.
  await features.check();
  await expect(panel(page)).toHaveAttribute('data-view', 'features');
  await expect(page.getByTestId('boundary-held')).toBeVisible();
}

test('iris: the projection of all features agrees with the network on its training points', async ({
  page,
}) => {
  await trainSample(page, /Iris/);
  await checkProjection(page);
});

test('penguins: the projection of all features agrees with the network on its training points', async ({
  page,
}) => {
  await trainSample(page, /Palmer penguins/);
  await checkProjection(page);
});

test('diabetes (regression): the projection shows predicted values over the examples, with no agreement', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: /Diabetes/ }).click();
  await expect(page.getByLabel('Target column')).toHaveValue('progression');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByRole('radio', { name: 'Predicted vs actual' })).toBeChecked();
  await page.getByRole('radio', { name: 'Projection of all features' }).check();
  await expect(panel(page)).toHaveAttribute('data-view', 'projection');
  await expect(panel(page)).toContainText('Predictions over the projection');
  await expect(page.getByTestId('projection-axis-x')).toContainText('PC1');
  await expect(panel(page)).toContainText('Colour: progression');
  await expect(panel(page)).not.toHaveAttribute('data-agreement');
});
