import { expect, test, type Page } from '@playwright/test';
import { openDigits } from './support/digits.ts';
import { tasksBetween } from './support/trace.ts';
import { CTRL, STATES } from '../workers/core/types.ts';

// 64-1024-1024-1024-10 on digits in batches of 1,024 columns: one batch is seconds of work, yet Pause
// and Stop take effect within 200 ms of the click (the trainer checks the control block inside its
// long products and runs an abandoned batch again later), also under a 4x CPU throttle (Chrome's
// low-end profile).
//
// While it trains (from the first batch done to the Stop click), no task of the page's main thread
// takes over 50 ms of CPU (100 ms under the throttle): the checkpoints (about 75 MB with Adam's
// moments) are written by the trainer's checkpoint worker, and the page's work per frame does not
// grow with the network. The test's own tasks (Playwright's injected script) and the browser's
// allocator upkeep are left out. The training area is on screen, as for a student who pressed
// Train: an area off screen is not rendered at all (content-visibility), so a page scrolled
// elsewhere would not measure the live views.
//
// Latency is measured from the click's event time to the worker's own state in shared memory (the
// page shows a pause at once; the worker's state is what proves the run has stopped computing).

// One retry against a one-off pause of the machine (a real regression fails every attempt).
test.describe.configure({ retries: 1 });

const HASH =
  '#v=1&hidden=1024:relu:1,1024:relu:1,1024:relu:1&init=he&opt=adam&lr=0.001&batch=1024&epochs=50&l2=0&seed=3&b1=0.9&b2=0.999';

type Lab = {
  __backpropLab: {
    training: { view: { state: string; totalSteps: number; ctrl: Int32Array } | null };
  };
  __latency?: number | null;
};

/** Clicks the button named `name` from the page and resolves with the ms from the click's event
 *  time to the worker's state becoming `state`, as a thread of its own sees the control block (so
 *  the page's own tasks after the click do not count, and the page's clock is not polled). */
async function latency(page: Page, name: string, state: string): Promise<number> {
  const code = STATES.indexOf(state as (typeof STATES)[number]);
  await page.evaluate(
    ({ name, code, slot }) => {
      const w = window as unknown as Lab;
      w.__latency = null;
      const ctrl = w.__backpropLab.training.view!.ctrl;
      const watcher = new Worker(
        URL.createObjectURL(
          new Blob(
            [
              `onmessage = (e) => {
                const [ctrl, slot, code] = e.data;
                postMessage('ready');
                for (;;) {
                  const v = Atomics.load(ctrl, slot);
                  if (v === code) return postMessage(performance.timeOrigin + performance.now());
                  Atomics.wait(ctrl, slot, v, 20);
                }
              };`,
            ],
            { type: 'text/javascript' },
          ),
        ),
      );
      const button = [...document.querySelectorAll('button')].find(
        (b) => b.textContent?.trim() === name,
      )!;
      let clickedAt = 0;
      button.addEventListener(
        'click',
        (e) => {
          clickedAt = performance.timeOrigin + e.timeStamp;
        },
        { capture: true, once: true },
      );
      watcher.onmessage = (e: MessageEvent<number | string>) => {
        if (e.data === 'ready') {
          button.click();
          return;
        }
        w.__latency = (e.data as number) - clickedAt;
        watcher.terminate();
      };
      watcher.postMessage([ctrl, slot, code]);
    },
    { name, code, slot: CTRL.STATE },
  );
  await page.waitForFunction(() => (window as unknown as Lab).__latency != null, null, {
    timeout: 60_000,
  });
  return page.evaluate(() => (window as unknown as Lab).__latency!);
}

/** Waits until the worker has finished one more batch, then 300 ms into the next one. */
async function insideABatch(page: Page): Promise<void> {
  const done = await page.evaluate(
    () => (window as unknown as Lab).__backpropLab.training.view!.totalSteps,
  );
  await page.waitForFunction(
    (d) => (window as unknown as Lab).__backpropLab.training.view!.totalSteps > d,
    done,
    { timeout: 120_000 },
  );
  const t0 = await page.evaluate(() => performance.now());
  await page.waitForFunction((t) => performance.now() - t >= 300, t0);
}

for (const rate of [1, 4]) {
  // Chrome's allocator upkeep is left out (a one-off reclaim of 43-147 ms under the throttle, 10 s
  // after the page's process started: e2e/support/trace.ts) and logged. Without it, the page's
  // busiest task measured 28-58 ms under the throttle in 5 runs of 5.
  const limit = rate === 1 ? 50 : 100;
  test(`Pause and Stop act within 200 ms (CPU x${rate})`, async ({ page, browser }) => {
    test.setTimeout(300_000);
    await openDigits(page, `/?testhooks${HASH}`);
    const cdp = await page.context().newCDPSession(page);
    if (rate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const trainButton = page.getByRole('button', { name: 'Train', exact: true });
    await trainButton.scrollIntoViewIfNeeded();
    await expect(page.locator('#train')).toBeInViewport();
    const train = await trainButton.elementHandle();

    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
    await train!.evaluate((el) => (el as HTMLButtonElement).click());
    const training = page.getByTestId('training');
    await expect(training).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as Lab).__backpropLab.training.view, null, {
      timeout: 60_000,
    });
    await insideABatch(page);
    await page.evaluate(() => console.timeStamp('steady'));

    const pause = await latency(page, 'Pause', 'paused');
    // Resumed from the keyboard (Space pauses and resumes). A synthetic click would move, press and
    // release the mouse within one frame, three hit tests and a hover at once that no hand makes.
    await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeEnabled();
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => (window as unknown as Lab).__backpropLab.training.view!.state === 'running',
    );
    await insideABatch(page);
    await page.evaluate(() => console.timeStamp('stopping'));
    const stop = await latency(page, 'Stop', 'stopped');
    // The page shows the end once the run's last checkpoint is saved (tens of MB, throttled: seconds).
    await expect(training).toHaveAttribute('data-state', 'stopped', { timeout: 120_000 });

    const trace = await browser.stopTracing();
    const between = tasksBetween(trace, 'steady', 'stopping');
    const tasks = between.page;
    const busiest = Math.max(0, ...tasks.map((t) => t.cpuMs));
    const heavy = tasks.filter((t) => t.cpuMs > limit).map((t) => Math.round(t.cpuMs));
    const upkeep = between.upkeep.map((t) => t.cpuMs);
    console.log(
      `CPU x${rate}: pause ${pause.toFixed(0)} ms, stop ${stop.toFixed(0)} ms; ${tasks.length} main-thread tasks while training, the busiest ${busiest.toFixed(1)} ms of CPU; over ${limit} ms: ${JSON.stringify(heavy)}; the browser's allocator upkeep (left out): ${JSON.stringify(upkeep.map(Math.round))} ms`,
    );
    expect(tasks.length).toBeGreaterThan(100);
    expect(pause).toBeLessThanOrEqual(200);
    expect(stop).toBeLessThanOrEqual(200);
    expect(heavy).toEqual([]);
  });
}
