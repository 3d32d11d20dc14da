// Installability as Chromium judges it. Only a persistent profile reports cleanly (an ordinary
// Playwright context is incognito, which is itself an installability error).
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../scripts/browser.mjs';
import {
  expect,
  expectFullApp,
  test,
  waitForOfflineReady,
  watchExternalRequests,
} from './support/fixtures.ts';

test('the app is installable: no installability errors, a valid manifest', async ({ baseURL }) => {
  const profile = mkdtempSync(join(tmpdir(), 'backprop-lab-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions(),
    headless: true,
    baseURL,
  });
  try {
    const external = watchExternalRequests(context);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await expectFullApp(page);
    await waitForOfflineReady(page);

    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: Array<{ message: string }>;
    };
    expect(manifest.url).toMatch(/\/manifest\.webmanifest$/);
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);

    const m = (await (await page.request.get(manifest.url)).json()) as Record<string, unknown>;
    expect(m).toMatchObject({
      name: 'Backprop Lab',
      short_name: 'Backprop Lab',
      display: 'standalone',
    });
    const icons = m.icons as Array<{ sizes: string; purpose?: string }>;
    expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(icons.some((i) => i.purpose === 'maskable')).toBe(true);
    expect(external).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
