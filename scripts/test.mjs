// `npm test`: installs what is missing (dependencies, a Chromium), then type checks, lint, unit and
// browser tests (vitest) and the end-to-end suite (Playwright against the production build).
// Every stage runs; the exit code is non-zero if any failed. JSON reports land in reports/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { ensureBrowser, ensureDependencies } from './ensure.mjs';

ensureDependencies();
await ensureBrowser();
rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

const only = process.argv.slice(2);
/** @type {Array<[string, string, string[]]>} */
const stages = /** @type {Array<[string, string, string[]]>} */ ([
  ['check', 'npm', ['run', '-s', 'check']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['format', 'npm', ['run', '-s', 'format:check']],
  // Node tests first, then the real-browser tests on their own: sharing 2 cores with the Node run
  // starves the browser's workers (the 100 MB CSV and thread-pool tests).
  [
    'unit',
    'npx',
    [
      'vitest',
      'run',
      '--project',
      'unit',
      '--project',
      'dom',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reports/vitest.json',
    ],
  ],
  [
    'browser',
    'npx',
    [
      'vitest',
      'run',
      '--project',
      'browser',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reports/vitest-browser.json',
    ],
  ],
  ['build', 'npm', ['run', '-s', 'build']],
  ['e2e', 'npx', ['playwright', 'test']],
]).filter(([name]) => only.length === 0 || only.includes(name));

/** @type {string[]} */
const failed = [];
for (const [name, cmd, args] of stages) {
  // Never test a stale build: without a fresh one the e2e stage is skipped (and counts as failed).
  if (name === 'e2e' && failed.includes('build')) {
    console.log('\n=== e2e: SKIPPED because the build failed');
    failed.push(name);
    continue;
  }
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  // A stage killed by a signal or that could not start (status null) has failed too.
  const ok = r.status === 0 && !r.error;
  console.log(
    `=== ${name}: ${ok ? 'ok' : `FAILED${r.error ? ` (${r.error.message})` : r.signal ? ` (${r.signal})` : ''}`} in ${secs} s`,
  );
  if (!ok) failed.push(name);
}
if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nAll stages passed.');
