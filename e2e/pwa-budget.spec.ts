// The shell's JavaScript stays under 150 KB gzipped: index.html's scripts and their static imports,
// everything the page must run before it can show anything. Lazy chunks (even those a panel asks for
// right after start) and workers are outside the shell; their sizes are recorded, not budgeted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, expect, expectFullApp, test } from './support/fixtures.ts';
import { measureBuild, SHELL_JS_BUDGET_BYTES } from '../scripts/size-report.mjs';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

test('the shell JavaScript is under 150 KB gzipped, and is what the page loads first', async ({
  page,
}) => {
  const m = measureBuild(DIST);
  expect(m.shellJs.length).toBeGreaterThan(0);
  test.info().annotations.push({
    type: 'shell JS gzip',
    description: `${kb(m.shellJsGzip)}: ${m.shellJs.join(', ')}`,
  });
  expect(m.shellJsGzip, `shell JS gzipped: ${m.shellJs.join(', ')}`).toBeLessThanOrEqual(
    SHELL_JS_BUDGET_BYTES,
  );

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
  // The static analysis agrees with the browser: every shell chunk is loaded at start.
  for (const f of m.shellJs) expect(loaded, `${f} is loaded at start`).toContain(f);
  const lazyAtStart = loaded.filter((f) => !m.shellJs.includes(f));
  const lazyGzip = lazyAtStart.reduce(
    (sum, f) => sum + gzipSync(readFileSync(join(DIST, f))).length,
    0,
  );
  test.info().annotations.push({
    type: 'lazy JS fetched right after start',
    description: `${kb(lazyGzip)}: ${lazyAtStart.join(', ') || 'none'}`,
  });
});
