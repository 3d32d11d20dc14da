import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18n } from './i18n.svelte.ts';
import { pickLocale } from './locales.ts';
import { formatBytes, formatNumber, formatPercent, messageFormatters } from './format.ts';

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

  it('keeps a message without parameters as formatted, per language', async () => {
    const i = new I18n();
    await i.use('en', false);
    expect(i.plainCount).toBe(0);
    expect(i.t('app.language.label')).toBe('Language');
    expect(i.t('app.language.label')).toBe('Language');
    expect(i.plainCount).toBe(1);
    // With parameters, each call formats its own.
    expect(i.t('app.language.changed', { language: 'English' })).toMatch(/English/);
    expect(i.t('app.language.changed', { language: 'Deutsch' })).toMatch(/Deutsch/);
    expect(i.plainCount).toBe(1);
    await i.use('de', false);
    expect(i.plainCount).toBe(0);
    expect(i.t('app.language.label')).toBe('Sprache');
  });
});

describe('shared formatters', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('makes one formatter per locale and options, for every message and helper', () => {
    const a = messageFormatters.getNumberFormat('de', { maximumFractionDigits: 1 });
    expect(messageFormatters.getNumberFormat('de', { maximumFractionDigits: 1 })).toBe(a);
    expect(messageFormatters.getNumberFormat('en', { maximumFractionDigits: 1 })).not.toBe(a);
    expect(a.format(2.25)).toBe(formatNumber('de', 2.25, { maximumFractionDigits: 1 }));
    const p = messageFormatters.getPluralRules('es');
    expect(messageFormatters.getPluralRules('es')).toBe(p);
    expect(messageFormatters.getPluralRules(['es'])).toBe(p);
    expect(p.select(1)).toBe('one');
  });

  it('compiles the whole catalogue in idle time, a slice per idle period', async () => {
    const idle: Array<(d: IdleDeadline) => void> = [];
    vi.stubGlobal('requestIdleCallback', (cb: (d: IdleDeadline) => void) => idle.push(cb));
    const i = new I18n();
    await i.use('es', false);
    expect(i.compiledCount).toBe(0);
    // An idle period with room for about 3 messages.
    let room = 3;
    idle.shift()!({ didTimeout: false, timeRemaining: () => (room-- > 0 ? 10 : 0) });
    expect(i.compiledCount).toBe(3);
    expect(idle).toHaveLength(1);
    while (idle.length) idle.shift()!({ didTimeout: false, timeRemaining: () => 10 });
    expect(i.compiledCount).toBeGreaterThan(500);
    // Compiled messages format as before, with the shared formatters.
    expect(i.t('app.language.label')).toBe('Idioma');
    const count = i.compiledCount;
    await i.use('de', false);
    expect(i.compiledCount).toBeLessThan(count);
  });
});
