import { describe, expect, it } from 'vitest';
import { formatMetric } from './format.ts';

describe('formatMetric', () => {
  it('prints bare numbers', () => {
    expect(formatMetric(0.912345)).toBe('0.9123');
    expect(formatMetric(1)).toBe('1');
    expect(formatMetric(12)).toBe('12');
    expect(formatMetric(Number.NaN)).toBe('');
    expect(formatMetric(1.5e-6)).toBe('1.500e-6');
    expect(Number(formatMetric(0.5))).toBe(0.5);
  });
});
