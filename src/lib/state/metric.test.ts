import { afterAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { tickLabel } from './metric.ts';

afterAll(() => i18n.use('en', false));

describe('tickLabel', () => {
  it('keeps small and large ticks readable instead of rounding them to 0', async () => {
    await i18n.use('en', false);
    expect([1e-6, 1e-4, 2.5e-4, 0.001, 0.01, 0.5, 1, 12.345, 2e5].map(tickLabel)).toEqual([
      '1e-6',
      '1e-4',
      '2.5e-4',
      '0.001',
      '0.01',
      '0.5',
      '1',
      '12.3',
      '2e+5',
    ]);
    expect(tickLabel(0)).toBe('0');
    expect(tickLabel(-3e-5)).toBe('-3e-5');
    expect(tickLabel(Number.NaN)).toBe('');
  });

  it("uses the language's decimal sign", async () => {
    await i18n.use('de', false);
    expect(tickLabel(0.25)).toBe('0,25');
    expect(tickLabel(2.5e-4)).toBe('2,5e-4');
  });
});
