import { expect, test } from '@playwright/test';
import { openDigits } from './support/digits.ts';

// A big network on sklearn's digits (1,797 x 64): 64-1024-1024-1024-10. Before training, the page
// shows what the run will cost (the arena's memory from the plan the trainer makes, the time per
// epoch from a short probe); a network over the device's memory budget is refused in an alert.

// The time per epoch is a performance bound: one retry against a one-off pause of the machine.
test.describe.configure({ retries: 1 });

const hash = (hidden: string, epochs: number, batch = 32) =>
  `#v=1&hidden=${hidden}&init=he&opt=adam&lr=0.001&batch=${batch}&epochs=${epochs}&l2=0&seed=3&b1=0.9&b2=0.999`;
const BIG = '1024:relu:1,1024:relu:1,1024:relu:1';

interface Hooks {
  __backpropLab: {
    training: {
      summary: { arenaBytes: number; elapsedMs: number; epochs: number } | null;
      curves: { length: number };
    };
  };
}

test('the estimate beside Train: the arena within 10 % and the time per epoch within 2x', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openDigits(page, `/?testhooks${hash(BIG, 3)}`);
  const estimate = page.getByTestId('estimate');
  await expect(estimate).toHaveAttribute('data-basis', 'probe', { timeout: 60_000 });
  await expect(estimate).toContainText('per epoch');
  await expect(estimate).toContainText('for 3 epochs');
  const arena = Number(await estimate.getAttribute('data-arena-bytes'));
  const epochMs = Number(await estimate.getAttribute('data-epoch-ms'));
  expect(arena).toBeGreaterThan(0);
  expect(epochMs).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'done', {
    timeout: 180_000,
  });
  const summary = await page.evaluate(() => {
    const s = (window as unknown as Hooks).__backpropLab.training.summary;
    return s && { arenaBytes: s.arenaBytes, elapsedMs: s.elapsedMs, epochs: s.epochs };
  });
  expect(summary).not.toBeNull();
  const measured = summary!.elapsedMs / summary!.epochs;
  console.log(
    `estimate: ${arena} bytes, ${epochMs.toFixed(0)} ms per epoch; run: ${summary!.arenaBytes} bytes, ${measured.toFixed(0)} ms per epoch`,
  );
  expect(Math.abs(arena - summary!.arenaBytes) / summary!.arenaBytes).toBeLessThanOrEqual(0.1);
  expect(epochMs / measured).toBeGreaterThanOrEqual(0.5);
  expect(epochMs / measured).toBeLessThanOrEqual(2);
  // The estimate stays on screen, the same, after the run.
  await expect(estimate).toHaveAttribute('data-arena-bytes', String(arena));
});

test('a network over the memory budget of a small device is refused in an alert', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A device that reports 256 MB: its runs may take 128 MB (the budget's floor).
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.25 }),
  );
  // The biggest network the editor takes: 8 hidden layers of 1,024 units, batches of 1,024 (263 MB).
  const widest = Array.from({ length: 8 }, () => '1024:relu:1').join(',');
  await openDigits(page, `/?testhooks${hash(widest, 5, 1024)}`);
  const estimate = page.getByTestId('estimate');
  const warning = estimate.getByRole('alert');
  await expect(warning).toContainText('Too big for this device', { timeout: 60_000 });
  await expect(warning).toContainText('per epoch');
  await expect(warning).toContainText('128 MB');
  await expect(warning).toContainText('fewer units or layers');
  expect(Number(await estimate.getAttribute('data-arena-bytes'))).toBeGreaterThan(128 * 2 ** 20);

  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'more than the 128 MB' });
  await expect(refusal.first()).toBeVisible();
  await expect(page.getByText(/This run needs [\d.,]+ MB of memory/)).toBeVisible();
  await expect(page.getByTestId('training')).toHaveAttribute('data-state', 'idle');
});
