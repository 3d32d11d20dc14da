// Cross-origin isolation on a server that sends the headers (vite preview): page, worker, shared memory.
import { expect, expectFullApp, test } from './support/fixtures.ts';

test('the page and the trainer worker are cross-origin isolated and share memory', async ({
  page,
}) => {
  const response = await page.goto('/');
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  await expectFullApp(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');

  // The app's own probe: the worker wrote 0x5eed into a SharedArrayBuffer and the page read it back.
  const status = page.getByTestId('status-isolated');
  await expect(status).toHaveAttribute('data-worker-isolated', 'true');
  await expect(status).toHaveAttribute('data-shared-value', String(0x5eed));

  // Independently of the app's report: ask the running trainer worker itself.
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  const trainer = page.workers().find((w) => /trainer/.test(w.url()));
  expect(
    trainer,
    `trainer worker among ${page
      .workers()
      .map((w) => w.url())
      .join(', ')}`,
  ).toBeDefined();
  expect(await trainer!.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await trainer!.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
});
