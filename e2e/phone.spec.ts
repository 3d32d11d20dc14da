// A 360 px phone with everything open: the data area's preview and recipe, a finished run with its
// report, the library with a run kept as a model and the prediction form, every disclosure open.
// Nothing sticks out sideways, every control is a full-size target (44 px), and axe finds nothing
// serious in the light or the dark scheme.
import AxeBuilder from '@axe-core/playwright';
import { expect, expectFullApp, test } from './support/fixtures.ts';
import { overflowing, smallTargets } from './support/targets.ts';

test('at 360 px with every panel open: no sideways scrolling, 44 px targets, axe clean', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto('/');
  await expectFullApp(page);
  await page.getByRole('button', { name: /Iris/ }).click();
  await expect(page.getByLabel('Target column')).toHaveValue('species');
  const training = page.getByTestId('training');
  await expect(page.getByText(/Training on \d+ examples/)).toBeAttached({ timeout: 30_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('20');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(training).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const run = page.locator('[data-testid="run-item"][data-status="completed"]');
  await expect(run).toHaveCount(1);
  await run.getByRole('button', { name: /^Keep .* as a model$/ }).click();
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await page
    .getByTestId('model-item')
    .getByRole('button', { name: /^Predict with / })
    .click();
  await expect(
    page.getByTestId('library').getByRole('button', { name: 'Predict', exact: true }),
  ).toBeAttached();
  // Every disclosure open (the data preview and recipe, the library's menus, the lesson form, About).
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  // Areas off screen are not laid out until they come into view: bring each in once.
  for (const id of ['data', 'train', 'learn', 'library'])
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();

  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await overflowing(page)).toEqual([]);
  expect(await smallTargets(page)).toEqual([]);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    expect(serious, colorScheme).toEqual([]);
  }
});
