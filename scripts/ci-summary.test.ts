import { describe, expect, it } from 'vitest';
import { mergePlaywright, mergeVitest, summarize } from './ci-summary.mjs';

const vitestOk = {
  numPassedTests: 10,
  numFailedTests: 0,
  numPendingTests: 1,
  numTodoTests: 1,
  numFailedTestSuites: 0,
  success: true,
};
const pwOk = { stats: { expected: 5, unexpected: 0, flaky: 1, skipped: 2 }, errors: [] };

describe('ci-summary', () => {
  it('adds both runners: flaky counts as passed, pending and todo as skipped', () => {
    expect(summarize(vitestOk, pwOk)).toEqual({
      passed: 16,
      failed: 0,
      skipped: 4,
      ok: true,
      problems: [],
    });
  });
  it('fails when a report is missing, even with nothing failed', () => {
    expect(summarize(null, pwOk).ok).toBe(false);
    expect(summarize(vitestOk, null).ok).toBe(false);
    expect(summarize(vitestOk, null).problems).toEqual(['playwright: report missing']);
  });
  it('fails on failed tests of either runner', () => {
    expect(summarize({ ...vitestOk, numFailedTests: 2, success: false }, pwOk)).toMatchObject({
      failed: 2,
      ok: false,
    });
    expect(summarize(vitestOk, { stats: { expected: 5, unexpected: 1 } })).toMatchObject({
      failed: 1,
      ok: false,
    });
  });
  it('counts a test file that did not load, and a vitest run that failed without a failed test', () => {
    expect(summarize({ ...vitestOk, numFailedTestSuites: 1, success: false }, pwOk)).toMatchObject({
      failed: 1,
      ok: false,
    });
    expect(summarize({ ...vitestOk, success: false }, pwOk)).toMatchObject({
      failed: 1,
      ok: false,
    });
  });
  it('counts Playwright errors outside tests (a web server that never started)', () => {
    const r = summarize(vitestOk, {
      stats: { expected: 0, unexpected: 0 },
      errors: [{ message: 'webServer' }],
    });
    expect(r).toMatchObject({ failed: 1, ok: false });
  });
});

describe('mergeVitest', () => {
  it('adds the Node and browser runs, and a missing one makes the whole report missing', () => {
    const node = { numPassedTests: 400, numFailedTests: 1, numPendingTests: 2, success: false };
    const browser = {
      numPassedTests: 10,
      numFailedTests: 0,
      numFailedTestSuites: 1,
      success: false,
    };
    expect(mergeVitest([node, browser])).toMatchObject({
      numPassedTests: 410,
      numFailedTests: 1,
      numPendingTests: 2,
      numFailedTestSuites: 1,
      success: false,
    });
    expect(mergeVitest([node, null])).toBeNull();
    expect(summarize(mergeVitest([node, null]), { stats: { expected: 3 } }).ok).toBe(false);
  });
  it('adds the timed walks to the rest, and is missing when either report is', () => {
    const timed = { stats: { expected: 3, unexpected: 1, flaky: 0, skipped: 0 }, errors: ['x'] };
    expect(mergePlaywright([pwOk, timed])).toEqual({
      stats: { expected: 8, unexpected: 1, flaky: 1, skipped: 2 },
      errors: ['x'],
    });
    expect(mergePlaywright([pwOk, null])).toBeNull();
    expect(summarize(vitestOk, mergePlaywright([pwOk, timed]))).toMatchObject({
      passed: 19,
      failed: 1,
      ok: false,
    });
  });
});
