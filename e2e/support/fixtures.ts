// Shared pieces of the e2e suite: a `test` that fails when any request leaves the local machine,
// and helpers to wait for the app, its service worker and its navigations.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

/** The production build the suite serves (playwright.config.ts serves the same folder). */
export const DIST = process.env.E2E_DIST ?? 'dist';

/** True for URLs that stay on this machine (the app must never phone home). */
export function isLocalUrl(url: string): boolean {
  if (/^(data|blob|about|chrome-error):/i.test(url)) return true;
  try {
    const { hostname, protocol } = new URL(url);
    if (protocol !== 'http:' && protocol !== 'https:' && protocol !== 'ws:') return false;
    return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
  } catch {
    return false;
  }
}

/** Records every request of a context (pages, workers and the service worker) that leaves the machine. */
export function watchExternalRequests(context: BrowserContext): string[] {
  const external: string[] = [];
  context.on('request', (r) => {
    if (!isLocalUrl(r.url())) external.push(r.url());
  });
  return external;
}

export const test = base.extend<{ externalRequests: string[]; pageErrors: string[] }>({
  // An uncaught exception in any page of the test is a defect, whatever the test checks.
  pageErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      const watch = (p: Page) => p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`));
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(errors);
      expect(errors, 'uncaught exceptions in the page').toEqual([]);
    },
    { auto: true },
  ],
  // Every test of the suite that imports this `test` proves the app sent nothing elsewhere.
  externalRequests: [
    async ({ context }, use) => {
      const external = watchExternalRequests(context);
      await use(external);
      expect(external, 'requests that left the local machine').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/**
 * Counts documents loaded in the tab from now on (a reload counts). Not 'framenavigated': that also
 * fires for same-document changes (a #hash link, history.replaceState), which are not reloads.
 */
export function countNavigations(page: Page): { readonly count: number } {
  const state = { count: 0 };
  page.on('domcontentloaded', () => state.count++);
  return state;
}

/**
 * Before any script of each new document runs, appends its `crossOriginIsolated` to a per-tab log in
 * sessionStorage ("0"/"1"), so a test can read back how many documents loaded and in what state.
 */
export async function logDocuments(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (location.protocol !== 'http:') return;
    const log = sessionStorage.getItem('e2e:documents') ?? '';
    sessionStorage.setItem('e2e:documents', log + (crossOriginIsolated ? '1' : '0'));
  });
}
export async function documentLog(page: Page): Promise<string> {
  return page.evaluate(() => sessionStorage.getItem('e2e:documents') ?? '');
}

/** The shell is there: the title, the four areas, and the worker's shared-memory proof. */
export async function expectFullApp(
  page: Page,
  opts: { isolated: boolean } = { isolated: true },
): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Backprop Lab' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  // The areas: their titles are the page's level-2 headings.
  for (const name of [/data/i, /train/i, /library/i])
    await expect(page.getByRole('heading', { level: 2, name }).first()).toBeVisible();
  const iso = page.getByTestId('status-isolated');
  if (opts.isolated) {
    await expect(iso).toHaveAttribute('data-isolated', 'true');
    await expect(iso).toHaveAttribute('data-worker', 'true');
    await expect(iso).toHaveText(/Shared memory on/);
  } else {
    await expect(iso).toHaveAttribute('data-isolated', 'false');
    await expect(iso).toHaveText(/Shared memory off/);
  }
}

/** Waits until the service worker controls the page and the app says it works offline. */
export async function waitForOfflineReady(page: Page): Promise<void> {
  await expect(page.getByTestId('status-offline')).toHaveAttribute('data-ready', 'true');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}
