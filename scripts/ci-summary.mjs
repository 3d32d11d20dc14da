// Reads vitest's and Playwright's JSON reports and prints `N passed, N failed, N skipped`.
// Exits non-zero when a report is missing or unreadable, or when anything failed.
import { readFileSync } from 'node:fs';

/** @param {string} path */
function read(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    console.error(`Missing or unreadable test report ${path}: ${/** @type {Error} */ (e).message}`);
    return null;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;

const vitest = read('reports/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += (vitest.numFailedTests ?? 0);
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  if (vitest.numFailedTestSuites > 0 && (vitest.numFailedTests ?? 0) === 0) failed += vitest.numFailedTestSuites;
} else ok = false;

const pw = read('reports/playwright.json');
if (pw) {
  const s = pw.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  if ((pw.errors ?? []).length > 0 && (s.unexpected ?? 0) === 0) failed += pw.errors.length;
} else ok = false;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok && failed === 0 ? 0 : 1);
