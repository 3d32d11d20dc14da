import { expect, test } from '@playwright/test';

test('the page and the trainer worker are cross-origin isolated and share memory', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Backprop Lab' })).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const status = page.getByTestId('status-isolated');
  await expect(status).toHaveAttribute('data-worker', 'true');
  await expect(status).toHaveText(/Shared memory on/);
});
