// The app never phones home: every request of a whole session (pages, the trainer worker and the
// service worker) stays on this machine. The fixture in support/ checks this after every test that
// imports it; this spec walks a session through the shell on purpose.
import { expect, expectFullApp, test, waitForOfflineReady } from './support/fixtures.ts';

test('a whole session sends no request off the local machine', async ({
  context,
  page,
  externalRequests,
}) => {
  const seen: string[] = [];
  context.on('request', (r) => seen.push(r.url()));
  await page.goto('/');
  await expectFullApp(page);
  await waitForOfflineReady(page);
  // Open what the shell offers: the About panel and its update check (a request to our own server).
  await page.getByText('About', { exact: true }).click();
  await page.getByRole('button', { name: 'Check for updates' }).click();
  await expect(page.getByTestId('update-check')).toHaveAttribute('data-state', /none|ready/);
  // Load a built-in sample: it is fetched from the app's own files, read in the data worker.
  await page.getByRole('button', { name: /Iris/ }).click();
  await expect(page.getByLabel('Target column')).toHaveValue(/species/i);
  // Train on it for a moment (the trainer and its kernel workers run, the run is saved locally).
  // Enough epochs that the run is still going when Stop is pressed, however fast the machine.
  const training = page.getByTestId('training');
  // Train once the training area says what it trains on (the data is prepared).
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('100000');
  // A run that goes on until it is stopped: early stopping would end it by itself.
  await page.getByLabel('Early stopping').uncheck();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(training).toHaveAttribute('data-state', 'stopped');
  await page.reload();
  await expectFullApp(page);
  // The listener saw the service worker's own traffic too (the update check fetches sw.js).
  expect(seen.some((u) => u.endsWith('/sw.js'))).toBe(true);
  expect(seen.some((u) => u.endsWith('/samples/iris.csv'))).toBe(true);
  expect(seen.length).toBeGreaterThan(3);
  expect(externalRequests).toEqual([]);
});
