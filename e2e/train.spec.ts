import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// The training area, driven through accessible names and the stable data-testids of DESIGN.md.

const state = (page: Page) => page.getByTestId('training');
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const num = async (page: Page, id: string) => Number(await page.getByTestId(id).textContent());

async function ready(page: Page, url = '/') {
  await page.goto(url);
  // The app opens with a built-in 2-D sample prepared; the training area says what it trains on.
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await expect(button(page, 'Train')).toBeEnabled();
}

async function setNumber(page: Page, label: string, value: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
}

test('trains the built-in 2-D sample to a test accuracy of at least 0.9', async ({ page }) => {
  await ready(page);
  await setNumber(page, 'Epochs', '150');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('metric-test-accuracy')).not.toHaveText('');
  const acc = await num(page, 'metric-test-accuracy');
  expect(acc).toBeGreaterThanOrEqual(0.9);
  expect(acc).toBeLessThanOrEqual(1);
  expect(await num(page, 'metric-epoch')).toBe(150);
  expect(await num(page, 'metric-train-loss')).toBeGreaterThan(0);
  // The test report: confusion matrix and per-class precision and recall.
  await expect(page.getByRole('table', { name: /Confusion matrix/ })).toBeVisible();
  await expect(page.getByRole('table', { name: /Precision and recall/ })).toBeVisible();
});

test('trains a dropped CSV with a text target', async ({ page }) => {
  await ready(page);
  // Two numeric features, the class is a word: "inside" a circle or "outside".
  const rows = ['x,y,where'];
  let s = 7;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < 300; i++) {
    const x = rnd() * 4 - 2;
    const y = rnd() * 4 - 2;
    rows.push(`${x.toFixed(3)},${y.toFixed(3)},${x * x + y * y < 1.5 ? 'inside' : 'outside'}`);
  }
  await page
    .getByLabel(/CSV/)
    .first()
    .setInputFiles({
      name: 'circle.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
  const target = page.getByRole('combobox', { name: /^Target column/ });
  await expect(target).toBeVisible({ timeout: 30_000 });
  await target.selectOption({ label: 'where' });
  await expect(page.getByText(/to predict where/)).toBeVisible({ timeout: 30_000 });
  await setNumber(page, 'Epochs', '200');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  expect(await num(page, 'metric-test-accuracy')).toBeGreaterThanOrEqual(0.85);
  // The user's class words are kept.
  const report = page.getByRole('table', { name: /Precision and recall/ });
  await expect(report.getByRole('rowheader', { name: 'inside' })).toBeVisible();
  await expect(report.getByRole('rowheader', { name: 'outside' })).toBeVisible();
});

test('pause, resume, step and stop behave', async ({ page }) => {
  await ready(page);
  await setNumber(page, 'Epochs', '100000');
  await page.getByLabel('Early stopping').uncheck();
  await setNumber(page, 'Batch size', '8');
  await expect(state(page)).toHaveAttribute('data-state', 'idle');

  // Step from idle: exactly one epoch, then paused.
  await page.getByLabel('Step by', { exact: true }).selectOption('epoch');
  await button(page, 'Step').click();
  await expect(state(page)).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('metric-epoch')).toHaveText('1');

  await button(page, 'Step').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('2');

  // Resume: epochs advance.
  await button(page, 'Resume').click();
  await expect(state(page)).toHaveAttribute('data-state', 'running');
  await expect.poll(() => num(page, 'metric-epoch')).toBeGreaterThan(3);

  // Pause: epochs stop advancing (checked across several animation frames after the state settled).
  await button(page, 'Pause').click();
  await expect(state(page)).toHaveAttribute('data-state', 'paused');
  const paused = await num(page, 'metric-epoch');
  await page.evaluate(
    () =>
      new Promise((r) =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300))),
      ),
  );
  expect(await num(page, 'metric-epoch')).toBe(paused);

  // Space toggles pause when no input has focus.
  await page.locator('#train-title').click();
  await page.keyboard.press('Space');
  await expect(state(page)).toHaveAttribute('data-state', 'running');
  await page.keyboard.press('Space');
  await expect(state(page)).toHaveAttribute('data-state', 'paused');

  // Step by one batch: the epoch does not move by more than one.
  await page.getByLabel('Step by', { exact: true }).selectOption('batch');
  const before = await num(page, 'metric-epoch');
  await button(page, 'Step').click();
  await expect(state(page)).toHaveAttribute('data-state', 'paused');
  expect((await num(page, 'metric-epoch')) - before).toBeLessThanOrEqual(1);

  await button(page, 'Stop').click();
  await expect(state(page)).toHaveAttribute('data-state', 'stopped');
  const stoppedAt = await num(page, 'metric-epoch');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  expect(await num(page, 'metric-epoch')).toBe(stoppedAt);

  // Reset: back to idle with epoch 0.
  await button(page, 'Reset').click();
  await expect(state(page)).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('metric-epoch')).toHaveText('0');
});

test('a diverging configuration shows the divergence doctor, and its fix works', async ({
  page,
}) => {
  await ready(page);
  // ReLU units are unbounded: with a learning rate of a million the loss overflows within a few steps.
  await setNumber(page, 'Learning rate', '1000000');
  await page.getByLabel('Activation of hidden layer 1').selectOption('relu');
  await page.getByLabel('Activation of hidden layer 2').selectOption('relu');
  await page.getByLabel('Optimizer').selectOption('sgd');
  await setNumber(page, 'Epochs', '30');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'diverged', { timeout: 60_000 });
  const doctor = page.getByRole('alert').filter({ hasText: 'Divergence doctor' });
  await expect(doctor).toBeVisible();
  await expect(doctor).toContainText(/epoch \d+/);
  await expect(doctor).toContainText('Likely cause');
  const fix = doctor.getByRole('button');
  await expect(fix).toHaveText(/learning rate/i);
  const lrBefore = Number(await page.getByLabel('Learning rate', { exact: true }).inputValue());
  await fix.click();
  const lrAfter = Number(await page.getByLabel('Learning rate', { exact: true }).inputValue());
  expect(lrAfter).toBeLessThan(lrBefore);
  // The fixed run starts at once (and may still diverge: each click halves again).
  await expect(state(page)).not.toHaveAttribute('data-state', 'idle');
});

test('iris at a learning rate of a million: diverged, with the cause, and one click trains it to at least 0.9', async ({
  page,
}) => {
  await ready(page);
  await page.getByRole('button', { name: /Iris/ }).click();
  await expect(page.getByLabel('Target column')).toHaveValue('species');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await setNumber(page, 'Learning rate', '1000000');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'diverged', { timeout: 60_000 });
  const doctor = page.getByRole('alert').filter({ hasText: 'Divergence doctor' });
  await expect(doctor).toContainText('the loss grew far past its best at epoch 1');
  await expect(doctor).toContainText('The learning rate 1,000,000 is too high');
  // The fix's rate comes from a learning-rate range test on the same data, not from halving.
  await doctor.getByRole('button').click();
  const rate = Number(await page.getByLabel('Learning rate', { exact: true }).inputValue());
  expect(rate).toBeGreaterThan(1e-4);
  expect(rate).toBeLessThan(1);
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect.poll(() => num(page, 'metric-test-accuracy')).toBeGreaterThanOrEqual(0.9);
});

test('a share link restores the configuration, and a damaged one gives defaults and a message', async ({
  page,
  context,
}) => {
  await ready(page);
  await setNumber(page, 'Learning rate', '0.0375');
  await setNumber(page, 'Seed', '1234');
  await setNumber(page, 'Units of hidden layer 1', '5');
  await page.getByLabel('Activation of hidden layer 2').selectOption('relu');
  await button(page, 'Add hidden layer').click();
  await page.getByLabel('Optimizer').selectOption('momentum');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('lr=0.0375');
  const link = page.url();

  const other = await context.newPage();
  await ready(other, link);
  await expect(other.getByLabel('Learning rate', { exact: true })).toHaveValue('0.0375');
  await expect(other.getByLabel('Seed', { exact: true })).toHaveValue('1234');
  await expect(other.getByLabel('Units of hidden layer 1')).toHaveValue('5');
  await expect(other.getByLabel('Activation of hidden layer 2')).toHaveValue('relu');
  await expect(other.getByLabel('Units of hidden layer 3')).toBeVisible();
  await expect(other.getByLabel('Optimizer')).toHaveValue('momentum');

  const broken = await context.newPage();
  await ready(broken, '/#v=1&lr=banana&hidden=zz');
  await expect(broken.getByRole('alert').filter({ hasText: 'could not be read' })).toContainText(
    'Learning rate',
  );
  await expect(broken.getByLabel('Learning rate', { exact: true })).toHaveValue('0.01');
});

test('inline validation names the field and its range', async ({ page }) => {
  await ready(page);
  const lr = page.getByLabel('Learning rate', { exact: true });
  await lr.fill('0');
  await expect(lr).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/Learning rate must be a number greater than 0/)).toBeVisible();
  await expect(button(page, 'Train')).toBeDisabled();
  await lr.fill('0.01');
  await expect(lr).not.toHaveAttribute('aria-invalid', 'true');
  await expect(button(page, 'Train')).toBeEnabled();
});

test('the training area works on a 360 px phone and axe finds nothing serious', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await ready(page);
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', /running|done/);
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  // Nothing in the training area is wider than the screen.
  const overflow = await page.locator('#train').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  // Touch targets of the controls are at least 44 px.
  for (const name of ['Train', 'Pause', 'Resume', 'Stop', 'Step', 'Reset']) {
    const box = await button(page, name).boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(44);
  }
  const results = await new AxeBuilder({ page }).include('#train').analyze();
  const serious = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
});
