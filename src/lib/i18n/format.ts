// Numbers, sizes, percentages, dates and lists in a locale's own way (Intl), with the formatters cached.
import type { Locale } from './locales.ts';

type Formatter = Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat | Intl.PluralRules;

// One formatter per locale and options for the whole page: making one costs about as much as
// formatting a few hundred numbers (more on a slow device), so a run's first epoch, which shows many
// numbers at once, finds them made.
const cache = new Map<string, Formatter>();

function cached<T extends Formatter>(id: string, make: () => T): T {
  let f = cache.get(id) as T | undefined;
  if (!f) cache.set(id, (f = make()));
  return f;
}

const localeId = (locales: string | readonly string[] | Intl.Locale | undefined): string =>
  Array.isArray(locales) ? locales.join(',') : String(locales);

/** The formatters compiled messages use (intl-messageformat's `formatters` option): shared by every
 *  message and with the helpers below, where each message would otherwise make its own. */
export const messageFormatters = {
  getNumberFormat: (locales?: string | string[], opts?: Intl.NumberFormatOptions) =>
    cached(
      `n|${localeId(locales)}|${JSON.stringify(opts ?? {})}`,
      () => new Intl.NumberFormat(locales, opts),
    ),
  getDateTimeFormat: (locales?: string | string[], opts?: Intl.DateTimeFormatOptions) =>
    cached(
      `d|${localeId(locales)}|${JSON.stringify(opts ?? {})}`,
      () => new Intl.DateTimeFormat(locales, opts),
    ),
  getPluralRules: (locales?: string | string[], opts?: Intl.PluralRulesOptions) =>
    cached(
      `p|${localeId(locales)}|${JSON.stringify(opts ?? {})}`,
      () => new Intl.PluralRules(locales, opts),
    ),
};

export function formatNumber(
  locale: Locale,
  v: number,
  opts: Intl.NumberFormatOptions = {},
): string {
  if (Number.isNaN(v)) return '–';
  return messageFormatters.getNumberFormat(locale, opts).format(v);
}

/** A fraction 0..1 as a percentage ("91.3 %" in German, "91.3%" in English). */
export function formatPercent(locale: Locale, fraction: number, digits = 1): string {
  return formatNumber(locale, fraction, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A size in bytes with a unit a person reads (1 KB = 1024 bytes), e.g. "2.4 MB". */
export function formatBytes(locale: Locale, bytes: number): string {
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return formatNumber(locale, v, {
    style: 'unit',
    unit: UNITS[u],
    unitDisplay: 'short',
    maximumFractionDigits: u === 0 ? 0 : 1,
  });
}

export function formatDate(
  locale: Locale,
  d: Date | number,
  opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  return messageFormatters.getDateTimeFormat(locale, opts).format(d);
}

export function formatList(
  locale: Locale,
  items: readonly string[],
  type: Intl.ListFormatType = 'conjunction',
): string {
  return cached(
    `l|${locale}|${type}`,
    () => new Intl.ListFormat(locale, { style: 'long', type }),
  ).format(items);
}
