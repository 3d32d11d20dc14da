// The shell's JavaScript stays under 150 KB gzipped. Measured on disk (index.html's scripts and their
// static imports), then widened to every script the page really loads at start (a chunk a component
// imports lazily on mount counts too); workers are separate and not part of the shell.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, expect, expectFullApp, test } from './support/fixtures.ts';
import { measureBuild, SHELL_JS_BUDGET_BYTES } from '../scripts/size-report.mjs';

test('the JavaScript the page loads at start is under 150 KB gzipped', async ({ page }) => {
  const m = measureBuild(DIST);
  expect(m.shellJs.length).toBeGreaterThan(0);
  expect(m.shellJsGzip).toBeLessThanOrEqual(SHELL_JS_BUDGET_BYTES);

  await page.goto('/');
  await expectFullApp(page);
  await page.waitForLoadState('networkidle');
  const loaded = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name))
      .filter((u) => u.origin === location.origin && /\.m?js$/.test(u.pathname))
      .map((u) => u.pathname.slice(1))
      .filter((p) => !/worker/i.test(p) && p !== 'sw.js'),
  );
  // The static analysis found every eagerly loaded script (the browser agrees on the entry set).
  for (const f of m.shellJs) expect(loaded, `${f} is loaded at start`).toContain(f);
  const atStart = [...new Set([...m.shellJs, ...loaded])];
  const gzip = atStart.reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f))).length, 0);
  test.info().annotations.push({ type: 'start-up JS gzip', description: `${(gzip / 1024).toFixed(1)} KB: ${atStart.join(', ')}` });
  expect(gzip, `gzipped JS at start: ${atStart.join(', ')}`).toBeLessThanOrEqual(SHELL_JS_BUDGET_BYTES);
});
