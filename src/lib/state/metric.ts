// A readout's number in the page's language: formatMetric's digits (bare, no grouping, an exponent for
// very large or small values) with the locale's decimal sign ("0,4321" in German).
import { i18n } from '../i18n/i18n.svelte.ts';
import { formatMetric } from './format.ts';

const separators = new Map<string, string>();

/** The decimal sign of `locale` ("." or ","). */
export function decimalSign(locale: string): string {
  let s = separators.get(locale);
  if (s === undefined) {
    s =
      new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ??
      '.';
    separators.set(locale, s);
  }
  return s;
}

/** formatMetric(v, digits) with the current language's decimal sign; "" for NaN. */
export function metric(v: number, digits = 4): string {
  const text = formatMetric(v, digits);
  const sign = decimalSign(i18n.locale);
  return sign === '.' ? text : text.replace('.', sign);
}
