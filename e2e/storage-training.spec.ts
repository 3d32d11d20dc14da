// Nothing lost: runs saved while training with their model, kept across reloads, interrupted runs
// resumed, and a replay giving the same curve.
import { expect, test, type Page } from '@playwright/test';

const state = (page: Page) => page.getByTestId('training');
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const runs = (page: Page) => page.getByTestId('run-item');
const num = async (page: Page, id: string) => Number(await page.getByTestId(id).textContent());
/** The reload-and-continue run: seconds long here, so a reload after its first checkpoint cuts it. */
const EPOCHS = 3000;

async function ready(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await expect(button(page, 'Train')).toBeEnabled();
  await expect(page.getByTestId('library')).toHaveAttribute('data-ready', 'true');
}

/** The runs as stored in IndexedDB (read straight from the database, as another tool would). */
function storedRuns(page: Page): Promise<
  Array<{
    id: string;
    status: string;
    seed: number;
    history: Array<{ epoch: number; trainLoss: number; devLoss: number }>;
  }>
> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open('backprop-lab');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const tx = r.result.transaction('runs');
          const q = tx.objectStore('runs').getAll();
          q.onsuccess = () => {
            r.result.close();
            resolve(q.result);
          };
        };
      }),
  );
}

/** A run's last checkpointed weights, every number of its network in order (read from the database). */
function storedWeights(page: Page, ids: string[]): Promise<number[][]> {
  return page.evaluate(
    (ids) =>
      new Promise((resolve, reject) => {
        const numbers = (v: unknown, out: number[]): number[] => {
          if (typeof v === 'number') out.push(v);
          else if (ArrayBuffer.isView(v)) out.push(...Array.from(v as Float64Array));
          else if (Array.isArray(v)) for (const x of v) numbers(x, out);
          else if (v && typeof v === 'object')
            for (const k of Object.keys(v).sort()) numbers((v as Record<string, unknown>)[k], out);
          return out;
        };
        const r = indexedDB.open('backprop-lab');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const store = r.result.transaction('checkpoints').objectStore('checkpoints');
          const all = ids.map(
            (id) =>
              new Promise<number[]>((res) => {
                const q = store.get(id);
                q.onsuccess = () => res(numbers(q.result?.network ?? null, []));
              }),
          );
          void Promise.all(all).then((w) => (r.result.close(), resolve(w)));
        };
      }),
    ids,
  );
}

/** Starts a run long enough to be cut short on a fast machine (the most epochs, one example per
 * batch: 100,000 epochs of full batches on the sample can finish in a few seconds), and waits until
 * a checkpoint with some history is stored (the first comes within about 2 s). */
async function trainLongAndCheckpoint(page: Page, epochs = 100_000): Promise<void> {
  await ready(page);
  await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  // A run that goes on until it is stopped: early stopping would end it by itself.
  await page.getByLabel('Early stopping').uncheck();
  await page.getByLabel('Batch size', { exact: true }).fill('1');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'running');
  await expect
    .poll(async () => (await storedRuns(page))[0]?.history.length ?? 0, { timeout: 30_000 })
    .toBeGreaterThan(2);
}

test('a finished run is saved with its model, which is kept by name and still there after a reload', async ({
  page,
}) => {
  await ready(page);
  await page.getByLabel('Epochs', { exact: true }).fill('40');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(runs(page)).toHaveCount(1);
  await expect(runs(page).first()).toHaveAttribute('data-status', 'completed');
  // The run keeps its model; "Keep as model" makes it a named model.
  await expect(page.getByTestId('model-item')).toHaveCount(0);
  await runs(page)
    .first()
    .getByRole('button', { name: /^Keep .* as a model$/ })
    .click();
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await page.reload();
  await expect(runs(page)).toHaveCount(1);
  await expect(runs(page).first()).toHaveAttribute('data-status', 'completed');
  await expect(runs(page).first()).toContainText('40 of 40 epochs');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  const [run] = await storedRuns(page);
  expect(run.history.map((h) => h.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
});

test('a reload mid-training leaves an interrupted run that continues in one click, numbered on, to the very weights of an uninterrupted run; Replay is one click too', async ({
  page,
}) => {
  // Long enough to be cut short on a fast machine (one example per batch: ~500 epochs/s here).
  await trainLongAndCheckpoint(page, EPOCHS);
  await page.reload();
  await expect(runs(page)).toHaveCount(1);
  await expect(runs(page).first()).toHaveAttribute('data-status', 'interrupted');
  await expect(state(page)).toHaveAttribute('data-state', 'interrupted');
  const before = (await storedRuns(page))[0];
  expect(before.status).toBe('interrupted');
  const saved = before.history.length;
  expect(saved).toBeGreaterThan(2);
  expect(saved).toBeLessThan(EPOCHS);
  await expect(button(page, 'Train')).toBeEnabled({ timeout: 30_000 });
  // One click: the stored data and recipe come back by themselves (no data step).
  await runs(page)
    .first()
    .getByRole('button', { name: /^Continue / })
    .click();
  await expect(state(page)).toHaveAttribute('data-state', 'running');
  await expect(runs(page).first()).toHaveAttribute('data-status', 'running');
  // The tiles go on from the checkpoint: the epoch counts on from the saved ones, the loss is shown.
  await expect.poll(() => num(page, 'metric-epoch')).toBeGreaterThan(saved);
  await expect(page.getByTestId('metric-train-loss')).not.toBeEmpty();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  expect(await num(page, 'metric-epoch')).toBe(EPOCHS);
  await expect(runs(page).first()).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
  await expect(runs(page).first()).toContainText(`${EPOCHS.toLocaleString('en')} of`);
  const resumed = (await storedRuns(page))[0];
  expect(resumed.history.slice(0, saved)).toEqual(before.history);
  expect(resumed.history.map((h) => h.epoch)).toEqual(
    Array.from({ length: EPOCHS }, (_, i) => i + 1),
  );

  // Replay: one click trains the same run again, uninterrupted; the same curve, the same weights.
  await runs(page)
    .first()
    .getByRole('button', { name: /^Replay / })
    .click();
  await expect(runs(page)).toHaveCount(2, { timeout: 30_000 });
  await expect
    .poll(async () => (await storedRuns(page)).filter((r) => r.status === 'completed').length, {
      timeout: 90_000,
    })
    .toBe(2);
  const [a, b] = await storedRuns(page);
  const curve = (r: typeof a) => r.history.map((h) => [h.epoch, h.trainLoss, h.devLoss]);
  expect(curve(b)).toEqual(curve(a));
  const [wa, wb] = await storedWeights(page, [a.id, b.id]);
  expect(wa.length).toBeGreaterThan(0);
  expect(wb).toEqual(wa);
});

test('a worker crash mid-run, then a second run: two separate records, the first still whole', async ({
  page,
}) => {
  await trainLongAndCheckpoint(page);
  // An uncaught error in the trainer worker, as an allocation failure would raise.
  const trainer = page.workers().find((w) => /trainer\.worker/.test(w.url()));
  expect(trainer, 'the trainer worker').toBeTruthy();
  await trainer!.evaluate(() => {
    setTimeout(() => {
      throw new RangeError('Invalid array buffer length');
    });
  });
  await expect(state(page)).toHaveAttribute('data-state', 'interrupted');
  await expect(page.locator('#train').getByRole('alert')).toContainText('stopped unexpectedly');
  await expect(runs(page).first()).toHaveAttribute('data-status', 'interrupted');
  const [crashed] = await storedRuns(page);
  expect(crashed.status).toBe('interrupted');
  const kept = crashed.history.length;

  // The next run in the same tab is a record of its own; the first keeps its history.
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'running');
  await expect.poll(async () => (await storedRuns(page)).length, { timeout: 30_000 }).toBe(2);
  await button(page, 'Stop').click();
  await expect(state(page)).toHaveAttribute('data-state', 'stopped');
  const all = await storedRuns(page);
  const first = all.find((r) => r.id === crashed.id)!;
  const second = all.find((r) => r.id !== crashed.id)!;
  expect(first.status).toBe('interrupted');
  expect(first.history).toEqual(crashed.history);
  expect(first.history).toHaveLength(kept);
  expect(second.status).toBe('stopped');
  expect(second.history[0].epoch).toBe(1);
  // The first run's record and checkpoint agree, so it can continue.
  const checkpoint = await page.evaluate(
    (id) =>
      new Promise<{ epoch: number } | undefined>((resolve) => {
        const r = indexedDB.open('backprop-lab');
        r.onsuccess = () => {
          const q = r.result.transaction('checkpoints').objectStore('checkpoints').get(id);
          q.onsuccess = () => (r.result.close(), resolve(q.result as { epoch: number }));
        };
      }),
    crashed.id,
  );
  expect(checkpoint?.epoch).toBe(first.history.at(-1)!.epoch);
});

test('a tab closed right after "Finished" keeps the completed run and its model', async ({
  page,
  context,
}) => {
  await ready(page);
  await page.getByLabel('Epochs', { exact: true }).fill('30');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await page.close({ runBeforeUnload: false });
  const again = await context.newPage();
  await again.goto('/');
  await expect(again.getByTestId('library')).toHaveAttribute('data-ready', 'true');
  const [run] = await storedRuns(again);
  expect(run.status).toBe('completed');
  expect(run.history).toHaveLength(30);
  await expect(runs(again).first()).toHaveAttribute('data-status', 'completed');
  await expect(
    runs(again)
      .first()
      .getByRole('button', { name: /^Keep .* as a model$/ }),
  ).toBeEnabled();
});

test('Replay trains again with the same seed, data and configuration and gets the same curve', async ({
  page,
}) => {
  await ready(page);
  await page.getByLabel('Epochs', { exact: true }).fill('25');
  await page.getByLabel('Seed', { exact: true }).fill('777');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(runs(page)).toHaveCount(1);
  // Change the form, then replay: the run's own settings come back.
  await page.getByLabel('Seed', { exact: true }).fill('1');
  await runs(page)
    .first()
    .getByRole('button', { name: /^Replay / })
    .click();
  await expect(runs(page)).toHaveCount(2, { timeout: 60_000 });
  await expect(runs(page).nth(0)).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  // The list shows the replay while it trains (a live card): wait until both runs are stored whole.
  await expect
    .poll(async () => (await storedRuns(page)).filter((r) => r.status === 'completed').length, {
      timeout: 60_000,
    })
    .toBe(2);
  const [a, b] = await storedRuns(page);
  expect(a.seed).toBe(777);
  expect(b.seed).toBe(777);
  const curve = (r: typeof a) => r.history.map((h) => [h.epoch, h.trainLoss, h.devLoss]);
  expect(curve(b)).toEqual(curve(a));
  expect(a.history).toHaveLength(25);
  // Both can be overlaid.
  for (const r of await runs(page).all()) await r.getByRole('checkbox').check();
  await expect(page.getByTestId('run-overlay')).toHaveAttribute('data-runs', '2');
  await expect(page.getByTestId('run-overlay').locator('canvas')).toBeVisible();
});

test('with the network off: train, and the run and model are saved and reopen offline', async ({
  page,
  context,
}) => {
  await ready(page);
  await expect(page.getByTestId('status-offline')).toHaveAttribute('data-ready', 'true', {
    timeout: 30_000,
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('30');
  await button(page, 'Train').click();
  await expect(state(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(runs(page)).toHaveCount(1);
  await runs(page)
    .first()
    .getByRole('button', { name: /^Keep .* as a model$/ })
    .click();
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await page.reload();
  await expect(runs(page).first()).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await context.setOffline(false);
});
