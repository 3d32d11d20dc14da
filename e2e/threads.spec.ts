import { expect, expectFullApp, test } from './support/fixtures.ts';
import { openDigits } from './support/digits.ts';

// The kernel threads: the header names how many training uses (measured at start-up, then by each
// run's trial on its own batches), About lists the calibration and the trial, and the "Kernel
// threads" cap changes what runs use, remembered across reloads.

test('the status names the threads, About shows the calibration, and a cap of 1 trains on one thread', async ({
  page,
}) => {
  await page.goto('/');
  await expectFullApp(page);
  const status = page.getByTestId('status-threads');
  await expect(status).toHaveText(/^\d+ threads?$/, { timeout: 30_000 });
  const chosen = Number(await status.getAttribute('data-threads'));
  expect(chosen).toBeGreaterThanOrEqual(1);
  await expect(status).toHaveText(chosen === 1 ? '1 thread' : `${chosen} threads`);

  // About: the cores, one speed per thread count, the choice, the cap.
  await page.locator('details.about > summary').click();
  const about = page.getByTestId('about-threads');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(about).toContainText(`This device reports ${cores} core`);
  const speeds = page.getByTestId('thread-calibration').getByRole('listitem');
  await expect(speeds).toHaveCount(Math.min(4, cores));
  await expect(speeds.first()).toHaveText(/^1 thread: [\d.,]+ GFLOP\/s$/);
  const choice = page.getByTestId('thread-choice');
  await expect(choice).toHaveAttribute('data-threads', String(chosen));
  await expect(choice).toHaveText(/^Chosen: \d+ threads?[,;]/);

  const cap = page.getByLabel('Kernel threads');
  await expect(cap).toHaveValue('auto');
  expect((await cap.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await cap.focus();
  await expect(cap).toBeFocused();
  await cap.selectOption('1');
  await expect(status).toHaveText('1 thread');
  await expect(choice).toHaveAttribute('data-threads', '1');

  // A short run on iris, then About again: the run's kernels are one thread's (no "-x2").
  await page.getByRole('button', { name: /Iris/ }).click();
  await expect(page.getByLabel('Target column')).toHaveValue('species');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
  await page.locator('details.about > summary').click();
  await page.locator('details.about > summary').click();
  const run = page.getByTestId('thread-run');
  await expect(run).toHaveAttribute('data-kernel', /^wasm-/);
  expect(await run.getAttribute('data-kernel')).not.toMatch(/-x\d/);

  // The cap is remembered; Automatic brings the measured choice back.
  await page.reload();
  await expect(status).toHaveText('1 thread', { timeout: 30_000 });
  await page.locator('details.about > summary').click();
  await expect(cap).toHaveValue('1');
  await cap.selectOption('auto');
  await expect(status).toHaveAttribute('data-threads', /^\d+$/);
  await expect(choice).not.toHaveAttribute('data-best', '');
  const best = await choice.getAttribute('data-best');
  await expect(status).toHaveAttribute('data-threads', best!);
});

test('a run tries its pool against one thread on its own batches, and the header shows what it kept', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Tall enough that the training area is on screen (content-visibility skips it off screen).
  await page.setViewportSize({ width: 1280, height: 2400 });
  await openDigits(
    page,
    '/?testhooks#v=1&hidden=256:relu:1,256:relu:1&init=he&opt=sgd&lr=0.01&batch=128&epochs=60&l2=0&seed=3&b1=0.9&b2=0.999',
  );
  const status = page.getByTestId('status-threads');
  await expect(status).toHaveText(/^\d+ threads?$/, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'done', {
    timeout: 90_000,
  });
  await page.locator('details.about > summary').click();
  const best = Number(await page.getByTestId('thread-choice').getAttribute('data-best'));
  const trial = page.getByTestId('thread-trial');
  if (best === 1) {
    // The calibration found no gain: no pool, nothing to try; the run trained on one thread.
    await expect(trial).toHaveCount(0);
    await expect(status).toHaveText('1 thread');
    return;
  }
  // About 700 batches of 256-unit layers: the trial compared its pairs and kept the faster count.
  await expect(trial).toBeVisible();
  const kept = Number(await trial.getAttribute('data-threads'));
  const gain = Number(await trial.getAttribute('data-gain'));
  expect([1, best]).toContain(kept);
  expect(Number(await trial.getAttribute('data-pairs'))).toBeGreaterThanOrEqual(3);
  expect(gain).toBeGreaterThan(0);
  expect(kept === best).toBe(gain >= 1.5);
  await expect(trial).toHaveText(
    kept > 1
      ? /^This run, measured on its own batches: \d threads trained [\d.]+ times as fast as one \(\d+ pairs of batches compared\), so it uses them\.$/
      : /^This run, measured on its own batches: the other threads made it [\d.]+ times as fast \(\d+ pairs of batches compared\), less than 1\.5 times, so it trains on one thread and leaves the other cores to the page\.$/,
  );
  await expect(status).toHaveAttribute('data-threads', String(kept));
});
