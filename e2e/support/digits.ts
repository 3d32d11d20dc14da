// The digits sample loaded as a dropped file (the big-network walks open it with test hooks on).
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

/** Opens `url`, waits for the test hooks, loads static/samples/digits.csv and chooses its target. */
export async function openDigits(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => '__backpropLab' in window);
  await page
    .getByLabel(/CSV/)
    .first()
    .setInputFiles({
      name: 'digits.csv',
      mimeType: 'text/csv',
      buffer: readFileSync('static/samples/digits.csv'),
    });
  await page.getByLabel('Target column', { exact: true }).selectOption('digit');
  await expect(page.getByText(/to predict digit/)).toBeVisible({ timeout: 30_000 });
}
