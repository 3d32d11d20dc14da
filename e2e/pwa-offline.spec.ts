// Offline start: once the service worker controls the page, the network can go away.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DIST, expect, expectFullApp, test, waitForOfflineReady } from './support/fixtures.ts';

/** Every file of the build as a URL path ('/assets/x.js'). */
function builtFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => '/' + relative(dir, join(d.parentPath, d.name)).split(sep).join('/'));
}

test('after the first visit the app reloads, and opens in a new page, with the network off', async ({
  context,
  page,
}) => {
  await page.goto('/');
  await expectFullApp(page);
  await waitForOfflineReady(page);
  await expect(page.getByTestId('status-network')).toHaveCount(0);

  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  // The open page hears the network go, and says so.
  await expect(page.getByTestId('status-network')).toHaveText('Offline');
  await page.reload();
  await expectFullApp(page);
  // After the reload the header says what the browser says. (Debian's Chromium 150 under Playwright's
  // offline emulation tells a reloaded document navigator.onLine = true: the network is off all the
  // same, and the app came from its offline copy.)
  const online = await page.evaluate(() => navigator.onLine);
  await expect(page.getByTestId('status-network')).toHaveCount(online ? 0 : 1);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  const second = await context.newPage();
  await second.goto('/');
  await expectFullApp(second);
  // A deep link inside the app opens the app too (navigation fallback), still offline.
  await second.goto('/some/deep/link?x=1');
  await expectFullApp(second);
  // Its images resolve from the app's root, not from the deep path.
  await expect
    .poll(() =>
      second.locator('.brand img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth),
    )
    .toBeGreaterThan(0);
  await second.close();

  await context.setOffline(false);
});

test('every file of the build is in the offline copy', async ({ page }) => {
  await page.goto('/');
  await waitForOfflineReady(page);
  const { cached, missing } = await page.evaluate(async () => {
    const urls = new Set<string>();
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) urls.add(new URL(req.url).pathname);
    }
    // What the page itself loaded (scripts, styles, icons, the worker) must all be precached.
    const loaded = performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name))
      .filter((u) => u.origin === location.origin && !u.pathname.endsWith('/sw.js'))
      .map((u) => u.pathname);
    return { cached: [...urls], missing: loaded.filter((p) => !urls.has(p)) };
  });
  expect(missing).toEqual([]);
  // And every file of the build is precached: HTML, JS, CSS, worker chunks, wasm, sample data, icons,
  // the manifest. Apart: the service worker itself, notes in Markdown, and the .woff/.ttf fallbacks a
  // font's CSS lists after its .woff2 (every browser with service workers takes the .woff2).
  const files = builtFiles(DIST);
  const fallbackFont = (p: string) => /\.(woff|ttf)$/.test(p);
  const fontFaces = files
    .filter((p) => p.endsWith('.css'))
    .flatMap((p) => readFileSync(join(DIST, p), 'utf8').match(/@font-face\s*{[^}]*}/g) ?? []);
  for (const p of files.filter(fallbackFont)) {
    const name = p.split('/').pop()!;
    const face = fontFaces.find((f) => f.includes(name));
    // Each fallback sits in an @font-face whose first source is a .woff2 (a precached file or inlined).
    expect(face, `an @font-face for ${name}`).toBeDefined();
    expect(face!.indexOf('woff2'), `a .woff2 before ${name}`).toBeGreaterThan(-1);
    expect(face!.indexOf('woff2')).toBeLessThan(face!.indexOf(name));
  }
  const expected = files.filter((p) => p !== '/sw.js' && !p.endsWith('.md') && !fallbackFont(p));
  expect(expected.length).toBeGreaterThan(5);
  expect(expected.filter((p) => !cached.includes(p))).toEqual([]);
  for (const p of [
    '/index.html',
    '/manifest.webmanifest',
    '/icons/icon-192.png',
    '/icons/icon-512.png',
  ])
    expect(cached).toContain(p);
  expect(cached.some((p) => /\/assets\/index-[^/]+\.js$/.test(p))).toBe(true);
  expect(cached.some((p) => /\/assets\/.*trainer[^/]*\.js$/.test(p))).toBe(true);
  expect(cached.some((p) => p.endsWith('.css'))).toBe(true);
});
