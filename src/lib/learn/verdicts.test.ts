import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { fitHint, gradVerdict, gradVerdictText, sci } from './verdicts.ts';

beforeAll(() => i18n.use('en', false));

describe('gradVerdict', () => {
  it('follows the course thresholds', () => {
    expect(gradVerdict(3e-10)).toBe('right');
    expect(gradVerdict(9.9e-8)).toBe('right');
    expect(gradVerdict(1e-7)).toBe('suspicious');
    expect(gradVerdict(5e-5)).toBe('suspicious');
    expect(gradVerdict(1e-3)).toBe('suspicious');
    expect(gradVerdict(2e-3)).toBe('wrong');
    expect(gradVerdict(0.4)).toBe('wrong');
    expect(gradVerdict(NaN)).toBe('wrong');
    expect(gradVerdict(0)).toBe('right');
  });
  it('explains each verdict', () => {
    expect(gradVerdictText('right')).toMatch(/1e-7/);
    expect(gradVerdictText('wrong')).toMatch(/1e-3/);
    expect(sci(1.234e-9)).toBe('1.23e-9');
  });
});

describe('fitHint', () => {
  it('reads a big train error as high bias and suggests a bigger network', () => {
    const h = fitHint({ trainError: 0.25, devError: 0.27 });
    expect(h.diagnosis).toBe('high-bias');
    expect(h.advice).toMatch(/bigger network/);
    expect(h.message).toContain('Train error 25.0%');
  });
  it('reads a big gap as high variance and suggests L2, dropout or data', () => {
    const h = fitHint({ trainError: 0.01, devError: 0.15 });
    expect(h.diagnosis).toBe('high-variance');
    expect(h.advice).toMatch(/L2/);
    expect(h.advice).toMatch(/dropout/);
    expect(h.advice).toMatch(/more training data/);
  });
  it('reads both', () => {
    expect(fitHint({ trainError: 0.15, devError: 0.3 }).diagnosis).toBe('high-bias-and-variance');
  });
  it('says good when both are small and close', () => {
    expect(fitHint({ trainError: 0.02, devError: 0.04 }).diagnosis).toBe('good');
  });
  it('measures bias against a base error', () => {
    expect(fitHint({ trainError: 0.16, devError: 0.17, baseError: 0.15 }).diagnosis).toBe('good');
  });
  it('cannot judge without numbers', () => {
    expect(fitHint({ trainError: NaN, devError: 0.1 }).diagnosis).toBe('unknown');
  });
  it('formats regression losses as numbers', () => {
    const h = fitHint({
      trainError: 0.02,
      devError: 0.5,
      unit: 'loss',
      varianceThreshold: 0.1,
      biasThreshold: 0.1,
    });
    expect(h.diagnosis).toBe('high-variance');
    expect(h.message).toContain('Train loss 0.0200');
  });
});
