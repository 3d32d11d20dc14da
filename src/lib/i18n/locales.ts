// The languages the app speaks, and which one a visitor gets: the one they chose (remembered), else
// the first of the browser's languages the app has, else English.

export const LOCALES = ['en', 'es', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language's name in itself (the switcher lists them so, whatever the current language). */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  de: 'Deutsch',
};

/** Where the chosen language is remembered (localStorage). */
export const LOCALE_STORAGE_KEY = 'backprop-lab.locale';

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** The stored choice if valid, else the first browser language whose primary subtag we have. */
export function pickLocale(
  stored: string | null | undefined,
  languages: readonly string[],
): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return DEFAULT_LOCALE;
}
