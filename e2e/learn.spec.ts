// The maths area: formulas typeset offline with the network's shapes, layer inspection, gradient
// check, initialization and regularization labs, and the NumPy export, all by keyboard.
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test, waitForOfflineReady } from './support/fixtures.ts';

function area(page: Page): Locator {
  return page.getByRole('region', { name: 'The mathematics' });
}

/** Opens one of the area's <details> panels with the keyboard. */
async function openPanel(page: Page, title: string): Promise<Locator> {
  const details = area(page)
    .locator('details')
    .filter({ has: page.locator('summary', { hasText: title }) });
  await details.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(details).toHaveAttribute('open', '');
  return details;
}

/** The KaTeX font families among KaTeX_Main and KaTeX_Math that are actually loaded (not only declared). */
async function katexFontsLoaded(page: Page): Promise<string[]> {
  await page.waitForFunction(() =>
    [...document.fonts].some(
      (f) => f.family.replaceAll('"', '') === 'KaTeX_Main' && f.status === 'loaded',
    ),
  );
  return page.evaluate(async () => {
    await document.fonts.ready;
    const loaded = new Set(
      [...document.fonts]
        .filter((f) => f.status === 'loaded')
        .map((f) => f.family.replaceAll('"', '')),
    );
    return ['KaTeX_Main', 'KaTeX_Math'].filter((f) => loaded.has(f));
  });
}

/** Focuses a control and activates it with the keyboard. */
async function press(control: Locator): Promise<void> {
  await control.focus();
  await control.press('Enter');
}

test('formulas are typeset with KaTeX and its bundled fonts, each symbol labelled with its shape', async ({
  page,
}) => {
  await page.goto('/');
  const formulas = area(page).getByTestId('formulas');
  await expect(formulas.locator('.katex').first()).toBeVisible();
  // Forward, cost, backward and update sections, in the notes' notation.
  for (const id of ['forward', 'cost', 'backward', 'update'])
    await expect(formulas.locator(`[data-section="${id}"]`)).toBeVisible();
  const n0 = await formulas
    .locator('[data-formula="forward-z-1"] [data-testid="shape"]')
    .allTextContents();
  expect(n0[1]).toMatch(/^W\[1\]: \d+ x \d+$/);
  expect(n0[2]).toMatch(/^A\[0\] = X: \d+ x m$/);
  await expect(formulas.getByTestId('formula-summary')).toContainText(/m = \d+ examples/);
  // The TeX went through KaTeX (MathML for screen readers, HTML for the eye).
  await expect(
    formulas
      .locator('[data-formula="backward-dz-3"], [data-formula="backward-dz-2"]')
      .first()
      .locator('math'),
  ).toHaveCount(1);
  // KaTeX's fonts come from our own origin and are in use.
  expect(await katexFontsLoaded(page)).toEqual(['KaTeX_Main', 'KaTeX_Math']);
  const fontRequests = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => /KaTeX_.*\.woff2$/.test(u)),
  );
  expect(fontRequests.length).toBeGreaterThan(0);
  for (const u of fontRequests) expect(new URL(u).origin).toBe(new URL(page.url()).origin);
});

test('formulas still typeset offline', async ({ context, page }) => {
  await page.goto('/');
  await waitForOfflineReady(page);
  await context.setOffline(true);
  await page.reload();
  await expect(area(page).getByTestId('formulas').locator('.katex').first()).toBeVisible();
  expect(await katexFontsLoaded(page)).toEqual(['KaTeX_Main', 'KaTeX_Math']);
  await context.setOffline(false);
});

test('inspect a layer: heatmaps of W, b, Z, A, dZ, dW, db and one example; the next batch updates them', async ({
  page,
}) => {
  await page.goto('/');
  const panel = await openPanel(page, 'Inspect a layer');
  await press(panel.getByRole('button', { name: 'Inspect the current batch' }));
  const ex = panel.getByTestId('inspect-example');
  await expect(ex).toBeVisible();
  for (const name of ['W', 'b', 'Z', 'A', 'dZ', 'dW', 'db'])
    await expect(panel.locator(`[data-matrix="${name}"] [role="img"]`)).toBeVisible();
  await expect(panel.getByTestId('inspect-where')).toContainText('batch 1');
  const wLabel = await panel.locator('[data-matrix="W"] [role="img"]').getAttribute('aria-label');
  const firstRow = await ex.locator('tbody tr').first().textContent();
  // Another example of the same batch: other numbers in the table.
  const exampleInput = panel.getByLabel('Example in the batch');
  await exampleInput.fill('2');
  await expect(ex.locator('caption')).toContainText('Example 2');
  expect(await ex.locator('tbody tr').first().textContent()).not.toBe(firstRow);
  // One update: the batch moves on and W changes.
  await press(panel.getByRole('button', { name: 'Next batch (one update)' }));
  await expect(panel.getByTestId('inspect-where')).toContainText('batch 2');
  await expect(panel.locator('[data-matrix="W"] [role="img"]')).not.toHaveAttribute(
    'aria-label',
    wLabel ?? '',
  );
  // Another layer by keyboard.
  const layerSelect = panel.getByLabel('Layer to inspect');
  await layerSelect.selectOption({ index: 1 });
  await expect(ex.locator('caption')).toContainText('layer 2');
});

test('gradient check: relative difference per layer with the course verdict', async ({ page }) => {
  await page.goto('/');
  const panel = await openPanel(page, 'Gradient check');
  await press(panel.getByRole('button', { name: 'Run gradient check' }));
  await expect(panel.getByTestId('gradcheck-overall')).toHaveText('right');
  const layers = await panel.locator('[data-testid^="gradcheck-verdict-"]').allTextContents();
  expect(layers.length).toBeGreaterThanOrEqual(2);
  for (const v of layers) expect(v).toBe('right');
  const diff = Number(await panel.getByTestId('gradcheck-diff-1').textContent());
  expect(diff).toBeLessThan(1e-7);
  await expect(panel.getByRole('status').last()).toContainText('below 1e-7');
});

test('initialization lab: zeros keep the hidden units identical, random ones do not', async ({
  page,
}) => {
  await page.goto('/');
  const panel = await openPanel(page, 'Initialization lab');
  await panel.getByLabel('Lab passes over the data').fill('40');
  await press(panel.getByRole('button', { name: 'Compare initializations' }));
  await expect(panel.getByTestId('symmetry-lesson')).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByTestId('symmetry-zeros-1')).toHaveText(/^All \d+ units identical$/);
  await expect(panel.getByTestId('symmetry-xavier-1')).toHaveText(/^Units differ/);
  await expect(panel.getByTestId('symmetry-he-1')).toHaveText(/^Units differ/);
  // The page stayed responsive: the lab ran in a worker. Histograms are drawn per layer and initialization.
  await expect(panel.locator('figure [role="img"]').first()).toBeVisible();
  const xavier = Number(await panel.getByTestId('init-final-xavier').textContent());
  const zeros = Number(await panel.getByTestId('init-final-zeros').textContent());
  expect(xavier).toBeLessThan(zeros);
});

test('regularization view: train and dev with and without L2 and dropout, with a plain hint', async ({
  page,
}) => {
  await page.goto('/');
  const panel = await openPanel(page, 'Regularization');
  await panel.getByLabel('Lab passes over the data').fill('30');
  await press(panel.getByRole('button', { name: 'Compare regularization' }));
  for (const id of ['none', 'l2', 'dropout', 'both'])
    await expect(panel.getByTestId(`reg-row-${id}`)).toBeVisible({ timeout: 60_000 });
  const hint = panel.getByTestId('fit-hint-none');
  await expect(hint).toHaveAttribute(
    'data-diagnosis',
    /^(high-bias|high-variance|high-bias-and-variance|good)$/,
  );
  await expect(hint).not.toBeEmpty();
  // Bad input names the field and what to do.
  await panel.getByLabel('Keep probability to compare').fill('1.5');
  await press(panel.getByRole('button', { name: 'Compare regularization' }));
  await expect(panel.getByRole('alert')).toContainText(
    'Keep probability for the comparison must be greater than 0 and less than 1',
  );
});

test('NumPy export: a script holding the weights, in the notes style', async ({ page }) => {
  await page.goto('/');
  const panel = await openPanel(page, 'Export to NumPy');
  await press(panel.getByRole('button', { name: 'Create the NumPy script' }));
  // No training yet, no sandbox: the user is told what to do.
  await expect(panel.getByRole('alert')).toContainText(/train one|prepare the data/);
  const inspect = await openPanel(page, 'Inspect a layer');
  await press(inspect.getByRole('button', { name: 'Inspect the current batch' }));
  await expect(inspect.getByTestId('inspect-example')).toBeVisible();
  await press(panel.getByRole('button', { name: 'Create the NumPy script' }));
  const script = panel.getByTestId('numpy-script');
  await expect(script).toHaveValue(/import numpy as np/);
  await expect(script).toHaveValue(/Z1 = np\.dot\(W1, A0\) \+ b1/);
  const download = page.waitForEvent('download');
  await press(panel.getByRole('link', { name: 'Download model.py' }));
  expect((await download).suggestedFilename()).toBe('model.py');
});

test('with the prepared sample and the training session: formulas follow the editor, inspection and gradient check use the live network, export uses the recipe', async ({
  page,
}) => {
  await page.goto('/');
  // The app opens with a built-in sample prepared: the maths area uses it, not its own example.
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await expect(area(page).getByTestId('learn-demo')).toHaveCount(0);
  const formulas = area(page).getByTestId('formulas');

  // The formulas switch with the configuration: L2 term, dropout, optimizer, layer sizes.
  await expect(formulas.locator('[data-section="cost"] h4')).toHaveText('Cost');
  await page.getByLabel('L2 lambda', { exact: true }).fill('0.5');
  await expect(formulas.locator('[data-section="cost"] h4')).toHaveText(
    'Cost with L2 regularization',
  );
  await expect(formulas.locator('[data-formula="backward-dw-1"] annotation')).toContainText(
    '\\frac{0.5}{m} W^{[1]}',
  );
  await expect(formulas.locator('[data-section="dropout"]')).toHaveCount(0);
  await page.getByLabel('Keep probability of hidden layer 1', { exact: true }).fill('0.8');
  await expect(formulas.locator('[data-section="dropout"]')).toBeVisible();
  await page.getByLabel('Optimizer', { exact: true }).selectOption({ label: 'Momentum' });
  await expect(formulas.locator('[data-section="update"] h4')).toHaveText(
    'Update: gradient descent with momentum',
  );
  await page.getByLabel('Units of hidden layer 1', { exact: true }).fill('5');
  await expect(
    formulas.locator('[data-formula="forward-z-1"] [data-testid="shape"]').nth(1),
  ).toHaveText(/^W\[1\]: 5 x \d+$/);
  await page.getByLabel('Keep probability of hidden layer 1', { exact: true }).fill('1');
  await page.getByLabel('L2 lambda', { exact: true }).fill('0');

  // One batch in the training area, then the maths area inspects the live session's batch.
  await page.getByLabel('Step by', { exact: true }).selectOption('batch');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'paused', {
    timeout: 30_000,
  });
  const inspect = await openPanel(page, 'Inspect a layer');
  await press(inspect.getByRole('button', { name: 'Inspect the current batch' }));
  await expect(inspect.getByTestId('inspect-where')).toContainText('Training session');
  const where = await inspect.getByTestId('inspect-where').textContent();
  const w = await inspect.locator('[data-matrix="W"] [role="img"]').getAttribute('aria-label');
  expect(w).toMatch(/^W\[1\]: 5 x \d+/);
  await press(inspect.getByRole('button', { name: 'Next batch (one update)' }));
  await expect(inspect.getByTestId('inspect-where')).not.toHaveText(where ?? '');
  await expect(inspect.locator('[data-matrix="W"] [role="img"]')).not.toHaveAttribute(
    'aria-label',
    w ?? '',
  );
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'paused');
  // A step taken in the training area updates the open inspection.
  const after = await inspect.getByTestId('inspect-where').textContent();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(inspect.getByTestId('inspect-where')).not.toHaveText(after ?? '');

  // The engine's float64 gradient check on the live parameters.
  const check = await openPanel(page, 'Gradient check');
  await press(check.getByRole('button', { name: 'Run gradient check' }));
  await expect(check.getByTestId('gradcheck-overall')).toHaveText('right', { timeout: 30_000 });
  await expect(check.getByText(/training session's current parameters/)).toBeVisible();

  // The export holds the live weights and the data's recipe.
  const exp = await openPanel(page, 'Export to NumPy');
  await press(exp.getByRole('button', { name: 'Create the NumPy script' }));
  const script = exp.getByTestId('numpy-script');
  await expect(script).toHaveValue(/COLUMNS = \[/);
  await expect(script).toHaveValue(/W1 = np\.array\(\[\n(\s+\[[^\n]+\],\n){5}\]\)/);
});

test('every panel open and filled: axe finds nothing serious (light and dark), and nothing is wider than a 360 px phone', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto('/');
  await expect(area(page).getByTestId('formulas').locator('.katex').first()).toBeVisible();
  const inspect = await openPanel(page, 'Inspect a layer');
  await press(inspect.getByRole('button', { name: 'Inspect the current batch' }));
  await expect(inspect.getByTestId('inspect-example')).toBeVisible();
  const check = await openPanel(page, 'Gradient check');
  await press(check.getByRole('button', { name: 'Run gradient check' }));
  await expect(check.getByTestId('gradcheck-overall')).not.toBeEmpty();
  const init = await openPanel(page, 'Initialization lab');
  await init.getByLabel('Lab passes over the data').fill('5');
  await press(init.getByRole('button', { name: 'Compare initializations' }));
  await expect(init.getByTestId('symmetry-zeros-1')).toBeVisible({ timeout: 60_000 });
  const reg = await openPanel(page, 'Regularization');
  await press(reg.getByRole('button', { name: 'Compare regularization' }));
  await expect(reg.getByTestId('reg-row-both')).toBeVisible({ timeout: 60_000 });
  const exp = await openPanel(page, 'Export to NumPy');
  await press(exp.getByRole('button', { name: 'Create the NumPy script' }));
  await expect(exp.getByTestId('numpy-script')).toHaveValue(/import numpy/);
  // The same filled panels in both colour schemes.
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const result = await new AxeBuilder({ page }).include('#learn').analyze();
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    expect(serious, colorScheme).toEqual([]);
  }
  // The area itself never pushes the page sideways (wide tables and formulas scroll inside their own box).
  const overflow = await page.evaluate(() => {
    const right = document.getElementById('learn')!.getBoundingClientRect().right;
    return [...document.querySelectorAll('#learn *')].filter((el) => {
      const r = el.getBoundingClientRect();
      if (r.right <= right + 0.5 || r.width === 0) return false;
      for (let a = el.parentElement; a && a.id !== 'learn'; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') return false;
      return true;
    }).length;
  });
  expect(overflow).toBe(0);
});
