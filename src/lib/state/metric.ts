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

/** A number written with "." as the current language writes it. */
function localized(text: string): string {
  const sign = decimalSign(i18n.locale);
  return sign === '.' ? text : text.replace('.', sign);
}

/** formatMetric(v, digits) with the current language's decimal sign; "" for NaN. */
export function metric(v: number, digits = 4): string {
  return localized(formatMetric(v, digits));
}

/** An axis tick: at most 3 significant digits, and a short exponent ("1e-4", "2.5e-6", "3e+5") for
 * magnitudes a plain decimal would round to 0 or make too wide; the language's decimal sign. */
export function tickLabel(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  let text: string;
  if (a < 1e-3 || a >= 1e5) {
    const [mantissa, exponent] = v.toExponential(2).split('e');
    const e = Number(exponent);
    text = `${Number(mantissa)}e${e > 0 ? '+' : ''}${e}`;
  } else text = String(Number(v.toPrecision(3)));
  return localized(text);
}
