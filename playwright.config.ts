import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/browser.mjs';

/** Port and build folder of the served app; override both to run several suites side by side. */
export const PREVIEW_PORT = Number(process.env.E2E_PORT ?? 4173);
const DIST = process.env.E2E_DIST ?? 'dist';

/** The walks that measure time (long tasks, latency, estimates against a measured run): they run
 *  alone, one at a time (`npm test` runs them first with one worker, then the rest with two). */
export const TIMED = ['smooth', 'big-controls', 'big-network', 'big-backup', 'predict'].map(
  (name) => `**/${name}.spec.ts`,
);

export default defineConfig({
  testDir: 'e2e',
  // The walks only: e2e/support's own unit tests (*.test.ts) run in Vitest.
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.E2E_REPORT ?? 'reports/playwright.json' }],
  ],
  projects: [
    { name: 'timed', testMatch: TIMED },
    { name: 'shared', testIgnore: TIMED },
  ],
  use: {
    baseURL: `http://localhost:${PREVIEW_PORT}`,
    ...devices['Desktop Chrome'],
    launchOptions: chromiumLaunchOptions(),
    trace: 'off',
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --outDir ${DIST} --port ${PREVIEW_PORT} --strictPort`,
    url: `http://localhost:${PREVIEW_PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
