// Installs what a fresh clone is missing: npm dependencies, and (for tests) a Chromium.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} cmd */
function run(cmd) {
  console.log(`> ${cmd}`);
  execSync(cmd, { stdio: 'inherit', cwd: root });
}

export function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker))
    run(existsSync(join(root, 'package-lock.json')) ? 'npm ci' : 'npm install');
}

export async function ensureBrowser() {
  const { chromiumPath } = await import('./browser.mjs');
  if (chromiumPath()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/etc/debian_version')) {
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
    if (chromiumPath()) return;
  }
  // Not root or not Debian: Playwright's own browser (needs network access to its CDN).
  const { chromium } = await import('@playwright/test');
  if (!existsSync(chromium.executablePath())) run('npx playwright install chromium');
}
