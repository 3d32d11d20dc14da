// Takes the README's screenshot: serves a build, opens the app in Chromium, trains the sample that is
// loaded at start for a moment, and saves docs/screenshot.png.
// Usage: node scripts/screenshot.mjs [dist] [out.png] [port]   (build first: npm run build)
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './browser.mjs';

const dist = process.argv[2] ?? 'dist';
const out = process.argv[3] ?? 'docs/screenshot.png';
const port = Number(process.argv[4] ?? 4191);
const url = `http://localhost:${port}/`;

const server = spawn(
  process.execPath,
  [
    'node_modules/vite/bin/vite.js',
    'preview',
    '--outDir',
    dist,
    '--port',
    String(port),
    '--strictPort',
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const browser = await chromium.launch({ ...chromiumLaunchOptions(), headless: true });
try {
  for (let i = 0; ; i++) {
    const up = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 100) throw new Error(`The build in ${dist} was not served on ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const page = await browser.newPage({
    viewport: { width: 1440, height: 1500 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
  });
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: 'Backprop Lab' }).waitFor();
  const train = page.getByRole('button', { name: 'Train', exact: true });
  if (await train.isVisible().catch(() => false)) {
    await train.click({ timeout: 30_000 });
    // Let the curves grow, then stop if it is still running (the picture, not the result, matters).
    const training = page.getByTestId('training');
    await page
      .waitForFunction(
        () =>
          Number(document.querySelector('[data-testid="metric-epoch"]')?.textContent ?? 0) >= 40,
        null,
        { timeout: 30_000 },
      )
      .catch(() => {});
    if ((await training.getAttribute('data-state').catch(() => null)) === 'running')
      await page
        .getByRole('button', { name: 'Pause' })
        .click()
        .catch(() => {});
  }
  await page.waitForTimeout(500);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: false });
  console.log(`Saved ${out}`);
} finally {
  await browser.close();
  server.kill();
}
