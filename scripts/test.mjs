// `npm test`: installs what is missing (dependencies, a Chromium), then type checks, lint, unit and
// browser tests (vitest) and the end-to-end suite (Playwright against the production build).
// Every stage runs; the exit code is non-zero if any failed. JSON reports land in reports/.
// The three static checks run side by side (each prints its output when it ends); the rest in turn.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { ensureBrowser, ensureDependencies } from './ensure.mjs';

ensureDependencies();
await ensureBrowser();
rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

const only = process.argv.slice(2);
/** @typedef {[string, string, string[], Record<string, string>?]} Stage */
/** Stages that run side by side, before the others. */
const TOGETHER = ['check', 'lint', 'format'];
/** @type {Stage[]} */
const stages = /** @type {Stage[]} */ ([
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
  // The walks that measure time run alone; the others share the machine two at a time.
  [
    'e2e-timed',
    'npx',
    ['playwright', 'test', '--project', 'timed', '--workers', '1'],
    { E2E_REPORT: 'reports/playwright-timed.json' },
  ],
  ['e2e', 'npx', ['playwright', 'test', '--project', 'shared', '--workers', '2']],
]).filter(([name]) => only.length === 0 || only.includes(name));

/** @type {string[]} */
const failed = [];

/** Runs one stage; `buffered`: its output is printed when it ends (it runs beside others).
 *  @param {Stage} stage @param {boolean} buffered @returns {Promise<void>} */
function run([name, cmd, args, env], buffered) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    if (!buffered) console.log(`\n=== ${name}`);
    let out = '';
    let ended = false;
    /** @param {number | null} code @param {string | null} signal @param {Error} [error] */
    const end = (code, signal, error) => {
      if (ended) return;
      ended = true;
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      // A stage killed by a signal or that could not start (status null) has failed too.
      const ok = code === 0 && !error;
      if (buffered) console.log(`\n=== ${name}\n${out}`);
      console.log(
        `=== ${name}: ${ok ? 'ok' : `FAILED${error ? ` (${error.message})` : signal ? ` (${signal})` : ''}`} in ${secs} s`,
      );
      if (!ok) failed.push(name);
      resolve();
    };
    const child = spawn(cmd, args, {
      stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1', ...env },
    });
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.on('error', (e) => end(null, null, e));
    child.on('close', (code, signal) => end(code, signal));
  });
}

const together = stages.filter(([name]) => TOGETHER.includes(name));
await Promise.all(together.map((stage) => run(stage, together.length > 1)));
for (const stage of stages.filter(([name]) => !TOGETHER.includes(name))) {
  const name = stage[0];
  // Never test a stale build: without a fresh one the e2e stages are skipped (and count as failed).
  if (name.startsWith('e2e') && failed.includes('build')) {
    console.log(`\n=== ${name}: SKIPPED because the build failed`);
    failed.push(name);
    continue;
  }
  await run(stage, false);
}
if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nAll stages passed.');
