// Reads vitest's and Playwright's JSON reports and prints `N passed, N failed, N skipped`.
// Exits non-zero when a report is missing or unreadable, or when anything failed.
// Usage: node scripts/ci-summary.mjs [vitest.json] [playwright.json] [vitest-browser.json]
//        [playwright-timed.json]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {{ numPassedTests?: number, numFailedTests?: number, numPendingTests?: number,
 *   numTodoTests?: number, numFailedTestSuites?: number, success?: boolean }} VitestReport
 * @typedef {{ stats?: { expected?: number, unexpected?: number, flaky?: number, skipped?: number },
 *   errors?: unknown[] }} PlaywrightReport
 */

/**
 * Adds both runners' counts. A report that is missing (null), or a run that failed without a failed
 * test to show for it (a suite that did not load, a web server that did not start), is a failure.
 * @param {VitestReport | null} vitest @param {PlaywrightReport | null} pw
 * @returns {{ passed: number, failed: number, skipped: number, ok: boolean, problems: string[] }}
 */
export function summarize(vitest, pw) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  /** @type {string[]} */
  const problems = [];
  if (vitest) {
    passed += vitest.numPassedTests ?? 0;
    failed += vitest.numFailedTests ?? 0;
    skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
    if ((vitest.numFailedTests ?? 0) === 0) {
      if ((vitest.numFailedTestSuites ?? 0) > 0) {
        failed += vitest.numFailedTestSuites ?? 0;
        problems.push(`vitest: ${vitest.numFailedTestSuites} test file(s) failed to run`);
      } else if (vitest.success === false) {
        failed += 1;
        problems.push('vitest: the run failed (an unhandled error?) with no failed test');
      }
    }
  } else problems.push('vitest: report missing');
  if (pw) {
    const s = pw.stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
    const errors = pw.errors ?? [];
    if (errors.length > 0 && (s.unexpected ?? 0) === 0) {
      failed += errors.length;
      problems.push(
        `playwright: ${errors.length} error(s) outside tests (web server, config, global setup)`,
      );
    }
  } else problems.push('playwright: report missing');
  const ok = vitest !== null && pw !== null && failed === 0;
  return { passed, failed, skipped, ok, problems };
}

/**
 * One vitest report from several runs (Node and browser); null when any of them is missing.
 * @param {Array<VitestReport | null>} reports @returns {VitestReport | null}
 */
export function mergeVitest(reports) {
  if (reports.some((r) => r === null)) return null;
  /** @type {(k: 'numPassedTests' | 'numFailedTests' | 'numPendingTests' | 'numTodoTests' | 'numFailedTestSuites') => number} */
  const sum = (k) => reports.reduce((n, r) => n + (r?.[k] ?? 0), 0);
  return {
    numPassedTests: sum('numPassedTests'),
    numFailedTests: sum('numFailedTests'),
    numPendingTests: sum('numPendingTests'),
    numTodoTests: sum('numTodoTests'),
    numFailedTestSuites: sum('numFailedTestSuites'),
    success: reports.every((r) => r?.success !== false),
  };
}

/**
 * One Playwright report from several runs (the timed walks, the rest); null when any is missing.
 * @param {Array<PlaywrightReport | null>} reports @returns {PlaywrightReport | null}
 */
export function mergePlaywright(reports) {
  if (reports.some((r) => r === null)) return null;
  /** @type {(k: 'expected' | 'unexpected' | 'flaky' | 'skipped') => number} */
  const sum = (k) => reports.reduce((n, r) => n + (r?.stats?.[k] ?? 0), 0);
  return {
    stats: {
      expected: sum('expected'),
      unexpected: sum('unexpected'),
      flaky: sum('flaky'),
      skipped: sum('skipped'),
    },
    errors: reports.flatMap((r) => r?.errors ?? []),
  };
}

/** @param {string} path @returns {any} */
function read(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    console.error(`Missing or unreadable test report ${path}: ${/** @type {Error} */ (e).message}`);
    return null;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const vitest = mergeVitest([
    read(process.argv[2] ?? 'reports/vitest.json'),
    read(process.argv[4] ?? 'reports/vitest-browser.json'),
  ]);
  const pw = mergePlaywright([
    read(process.argv[3] ?? 'reports/playwright.json'),
    read(process.argv[5] ?? 'reports/playwright-timed.json'),
  ]);
  const r = summarize(vitest, pw);
  for (const p of r.problems) console.error(p);
  console.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  process.exit(r.ok ? 0 : 1);
}
