// Where to find a Chromium for Playwright and Vitest browser mode.
// Order: $CHROMIUM_PATH, Debian's /usr/bin/chromium, then Playwright's own download (undefined path).
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** @returns {string | undefined} */
export function chromiumPath() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].filter(Boolean);
  return /** @type {string | undefined} */ (candidates.find((p) => p && existsSync(p)));
}

/** Launch options for Playwright (and Vitest's playwright provider). */
export function chromiumLaunchOptions() {
  const executablePath = chromiumPath();
  return executablePath ? { executablePath, args: CHROMIUM_ARGS } : { args: CHROMIUM_ARGS };
}
