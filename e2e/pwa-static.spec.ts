// A plain static host that sends no COOP/COEP headers: the service worker supplies them, after exactly
// one automatic reload, and the app stays isolated offline. No reload loop when isolation cannot work.
import {
  countNavigations,
  DIST,
  documentLog,
  expect,
  expectFullApp,
  logDocuments,
  test,
  waitForOfflineReady,
} from './support/fixtures.ts';
import { startStaticServer, type StaticServer } from './support/static-server.ts';

/** Long enough for a reload loop to show itself (a reload of this app takes well under a second). */
const LOOP_WATCH_MS = 3000;

let server: StaticServer;
test.beforeEach(async () => {
  server = await startStaticServer({ root: DIST });
});
test.afterEach(async () => {
  await server.close();
});

test('headerless host: isolated after one automatic reload, and still isolated offline', async ({
  context,
  page,
}) => {
  await logDocuments(page);
  const nav = countNavigations(page);
  const first = await page.goto(server.url);
  expect(first?.headers()['cross-origin-embedder-policy']).toBeUndefined();

  await expectFullApp(page);
  await waitForOfflineReady(page);
  // Two documents in this tab: the first not isolated, the one after the automatic reload isolated.
  expect(await documentLog(page)).toBe('01');
  await page.waitForTimeout(LOOP_WATCH_MS);
  expect(await documentLog(page)).toBe('01');
  expect(nav.count).toBe(2);
  await expect(
    page.getByRole('status').filter({ hasText: 'not cross-origin isolated' }),
  ).toHaveCount(0);

  await context.setOffline(true);
  await page.reload();
  await expectFullApp(page);
  expect(await documentLog(page)).toBe('011');
  const fresh = await context.newPage();
  await fresh.goto(server.url);
  await expectFullApp(fresh);
  await fresh.close();
  await context.setOffline(false);
});

test('later visits on a headerless host are isolated from the first document, with no reload', async ({
  context,
  page,
}) => {
  await page.goto(server.url);
  await expectFullApp(page);
  await waitForOfflineReady(page);
  const again = await context.newPage();
  await logDocuments(again);
  const nav = countNavigations(again);
  await again.goto(server.url);
  await expectFullApp(again);
  await again.waitForTimeout(LOOP_WATCH_MS);
  expect(await documentLog(again)).toBe('1');
  expect(nav.count).toBe(1);
});

test('a service worker that cannot isolate the page: one reload, then a clear notice, no loop', async ({
  page,
}) => {
  // Stand-in service worker that takes control but adds no headers.
  server.override(
    '/sw.js',
    `self.addEventListener('install', () => self.skipWaiting());
     self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
     self.addEventListener('fetch', (e) => e.respondWith(fetch(e.request)));`,
    'text/javascript; charset=utf-8',
  );
  await logDocuments(page);
  const nav = countNavigations(page);
  await page.goto(server.url);
  await expect(page.getByText('not cross-origin isolated')).toBeVisible();
  await expectFullApp(page, { isolated: false });
  await page.waitForTimeout(LOOP_WATCH_MS);
  expect(await documentLog(page)).toBe('00');
  expect(nav.count).toBe(2);
});

test.describe('with service workers blocked', () => {
  test.use({ serviceWorkers: 'block' });
  test('the app still opens, says shared memory is off, never reloads, and still trains', async ({
    page,
  }) => {
    await logDocuments(page);
    const nav = countNavigations(page);
    await page.goto(server.url);
    await expect(page.getByText('not cross-origin isolated')).toBeVisible();
    await expectFullApp(page, { isolated: false });
    await page.waitForTimeout(LOOP_WATCH_MS);
    expect(await documentLog(page)).toBe('0');
    expect(nav.count).toBe(1);
    // The slower path without shared memory still trains the sample loaded at start.
    // Train once the training area says what it trains on (the data is prepared).
    await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect
      .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});
