// Updates: a second build served in place of the first. The app tells the user, waits for consent
// (never reloads by itself: that would end a training run), and reloads into the new version on "yes".
import { spawnSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import {
  countNavigations,
  DIST,
  expect,
  expectFullApp,
  test,
  waitForOfflineReady,
} from './support/fixtures.ts';
import {
  ISOLATION_HEADERS,
  startStaticServer,
  type StaticServer,
} from './support/static-server.ts';

const DIST2 = process.env.E2E_DIST2 ?? `${DIST}-next`;
const NEXT_VERSION = `update-test-${Date.now()}`;
/** How long the test watches for a (forbidden) automatic reload after the prompt shows. */
const NO_RELOAD_WATCH_MS = 3000;

let server: StaticServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const r = spawnSync(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--outDir',
      DIST2,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    {
      env: { ...process.env, APP_VERSION: NEXT_VERSION },
      encoding: 'utf8',
    },
  );
  expect(r.status, `second build failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
});

test.beforeEach(async () => {
  server = await startStaticServer({ root: DIST, headers: { ...ISOLATION_HEADERS } });
});
test.afterEach(async () => {
  await server.close();
});

test('a new version is announced, waits for the user, and loads when accepted', async ({
  page,
}) => {
  await page.goto(server.url);
  await expectFullApp(page);
  await waitForOfflineReady(page);
  const version = page.getByTestId('app-version');
  const firstVersion = await version.getAttribute('data-version');
  expect(firstVersion).toBeTruthy();
  expect(firstVersion).not.toBe(NEXT_VERSION);
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);

  // The host now serves the second build; the app finds it when it next checks.
  server.setRoot(DIST2);
  const nav = countNavigations(page);
  await page.evaluate(() => ((window as unknown as { e2eMarker: number }).e2eMarker = 42));
  await page.getByText('About', { exact: true }).click();
  await page.getByRole('button', { name: 'Check for updates' }).click();
  const prompt = page.getByTestId('update-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText('A new version of Backprop Lab is ready');
  await expect(page.getByTestId('update-check')).toHaveAttribute('data-state', 'ready');
  // It stays in sight while the user works further down the page.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(prompt).toBeInViewport();
  const axe = await new AxeBuilder({ page }).include('[data-testid="update-prompt"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual(
    [],
  );

  // Nothing reloads on its own: same document, same version, for a while.
  await page.waitForTimeout(NO_RELOAD_WATCH_MS);
  expect(nav.count).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(
    42,
  );
  await expect(version).toHaveAttribute('data-version', firstVersion!);

  // "Later" hides the banner and keeps a note in the header; checking again brings it back.
  await page.getByRole('button', { name: 'Later' }).click();
  await expect(prompt).toHaveCount(0);
  await expect(page.getByTestId('status-update')).toHaveText(/New version ready/);
  await page.getByRole('button', { name: 'Check for updates' }).click();
  await expect(prompt).toBeVisible();
  expect(nav.count).toBe(0);

  await page.getByRole('button', { name: 'Reload to update' }).click();
  await expect(version).toHaveAttribute('data-version', NEXT_VERSION);
  expect(nav.count).toBe(1);
  expect(
    await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker),
  ).toBeUndefined();
  await expectFullApp(page);
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  await expect(page.getByTestId('status-update')).toHaveCount(0);
});

test('with two tabs open, updating in one leaves the other to reload when its user agrees', async ({
  context,
  page,
}) => {
  await page.goto(server.url);
  await expectFullApp(page);
  await waitForOfflineReady(page);
  const other = await context.newPage();
  await other.goto(server.url);
  await expectFullApp(other);
  const firstVersion = await page.getByTestId('app-version').getAttribute('data-version');

  server.setRoot(DIST2);
  const otherNav = countNavigations(other);
  await page.getByText('About', { exact: true }).click();
  await page.getByRole('button', { name: 'Check for updates' }).click();
  await page.getByRole('button', { name: 'Reload to update' }).click();
  await expect(page.getByTestId('app-version')).toHaveAttribute('data-version', NEXT_VERSION);

  // The other tab now runs old code under the new service worker: it offers the reload, and waits.
  await expect(other.getByTestId('update-prompt')).toBeVisible();
  await expect(other.getByTestId('app-version')).toHaveAttribute('data-version', firstVersion!);
  expect(otherNav.count).toBe(0);
  await other.getByRole('button', { name: 'Reload to update' }).click();
  await expect(other.getByTestId('app-version')).toHaveAttribute('data-version', NEXT_VERSION);
  await expectFullApp(other);
});
