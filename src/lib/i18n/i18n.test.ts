import { describe, expect, it } from 'vitest';
import { I18n } from './i18n.svelte.ts';
import { pickLocale } from './locales.ts';
import { formatBytes, formatNumber, formatPercent } from './format.ts';

describe('pickLocale', () => {
  it('takes a valid stored choice first, then the first browser language the app has', () => {
    expect(pickLocale('de', ['es-ES', 'en'])).toBe('de');
    expect(pickLocale(null, ['fr-FR', 'es-MX', 'en'])).toBe('es');
    expect(pickLocale('xx', ['DE-at'])).toBe('de');
    expect(pickLocale(undefined, ['ja', 'zh'])).toBe('en');
  });
});

describe('Intl formatting', () => {
  it('writes numbers the locale way (German decimal comma and grouping)', () => {
    expect(formatNumber('de', 1234.5)).toBe('1.234,5');
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(formatNumber('es', 0.25, { minimumFractionDigits: 2 })).toBe('0,25');
    expect(formatPercent('de', 0.913)).toMatch(/^91,3\s?%$/);
    expect(formatPercent('en', 0.913)).toBe('91.3%');
    expect(formatBytes('de', 2.5 * 1024 * 1024)).toMatch(/^2,5\s?MB$/);
    expect(formatNumber('en', Number.NaN)).toBe('–');
  });
});

describe('I18n', () => {
  it('formats messages of the current language and switches', async () => {
    const i = new I18n();
    expect(i.ready).toBe(false);
    await i.use('en', false);
    expect(i.t('app.language.changed', { language: 'English' })).toBe(
      'The app now speaks English.',
    );
    await i.use('de', false);
    expect(i.locale).toBe('de');
    expect(i.t('app.language.label')).toBe('Sprache');
    expect(i.msg({ key: 'trainer.noDataset' })).toMatch(/Datensatz/);
  });
});
