// The page's language: the current locale and its catalogue as runes state, `t()` to format a message
// (ICU MessageFormat through intl-messageformat: plurals, selects, numbers in the locale's way) and the
// Intl helpers bound to the locale. Catalogues load lazily, one chunk per language; the page waits for
// the first one before it mounts (main.ts), so no text ever shows as a key.
import { IntlMessageFormat } from 'intl-messageformat';
import type { MessageKey, Msg, MsgParams } from './keys.ts';
import {
  formatBytes,
  formatDate,
  formatList,
  formatNumber,
  formatPercent,
  messageFormatters,
} from './format.ts';
import { msgOf } from '../../../workers/messages/index.ts';
import {
  DEFAULT_LOCALE,
  LOCALE_STORAGE_KEY,
  isLocale,
  pickLocale,
  type Locale,
} from './locales.ts';

type Catalogue = Record<MessageKey, string>;

const loaders: Record<Locale, () => Promise<{ default: Catalogue }>> = {
  en: () => import('./messages/en/index.ts'),
  es: () => import('./messages/es/index.ts'),
  de: () => import('./messages/de/index.ts'),
};

export class I18n {
  locale = $state<Locale>(DEFAULT_LOCALE);
  #catalogue = $state.raw<Catalogue | null>(null);
  // A cache of compiled messages, cleared when the language changes: not state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #compiled = new Map<string, IntlMessageFormat>();
  /** Messages without parameters, as formatted once: a label in a view that updates every epoch is
   *  read again with its numbers. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #plain = new Map<string, string>();

  /** Loads a language's catalogue and makes it current (remembered unless `remember` is false). */
  async use(locale: Locale, remember = true): Promise<void> {
    const { default: catalogue } = await loaders[locale]();
    this.#compiled.clear();
    this.#plain.clear();
    this.#catalogue = catalogue;
    this.#precompile(catalogue);
    this.locale = locale;
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
    if (remember) {
      try {
        localStorage.setItem(LOCALE_STORAGE_KEY, locale);
      } catch {
        // storage refused (private mode): the choice lasts for this visit
      }
    }
  }

  /** The stored choice or the browser's language, loaded (not remembered: the browser decided). */
  async start(): Promise<void> {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(LOCALE_STORAGE_KEY);
    } catch {
      stored = null;
    }
    const langs =
      typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : [];
    await this.use(pickLocale(stored, langs), isLocale(stored));
  }

  /** Messages compiled so far in the current language (for tests and diagnostics). */
  get compiledCount(): number {
    return this.#compiled.size;
  }

  /** Messages without parameters kept as formatted in the current language (for tests). */
  get plainCount(): number {
    return this.#plain.size;
  }

  get ready(): boolean {
    return this.#catalogue !== null;
  }

  /** The message `key` in the current language, with `params` put in. */
  t(key: MessageKey, params?: MsgParams): string {
    const catalogue = this.#catalogue;
    if (!catalogue) return key;
    const source = catalogue[key];
    if (source === undefined) return key;
    if (params === undefined) {
      const known = this.#plain.get(key);
      if (known !== undefined) return known;
    }
    const f = this.#compile(key, source);
    const text = String(
      f.format(params as Record<string, string | number | boolean | Date> | undefined),
    );
    if (params === undefined) this.#plain.set(key, text);
    return text;
  }

  #compile(key: string, source: string): IntlMessageFormat {
    let f = this.#compiled.get(key);
    if (!f) {
      f = new IntlMessageFormat(source, this.locale, undefined, { formatters: messageFormatters });
      this.#compiled.set(key, f);
    }
    return f;
  }

  /** Compiles a catalogue's messages while the page is idle, a few at a time: a view shown for the
   *  first time (a run's first epoch shows many at once) then finds its messages parsed. */
  #precompile(catalogue: Catalogue): void {
    if (typeof requestIdleCallback !== 'function') return;
    const keys = Object.keys(catalogue) as MessageKey[];
    let next = 0;
    const slice = (deadline: IdleDeadline) => {
      if (this.#catalogue !== catalogue) return; // another language since
      while (next < keys.length && deadline.timeRemaining() > 2) {
        const key = keys[next++];
        this.#compile(key, catalogue[key]);
      }
      if (next < keys.length) requestIdleCallback(slice);
    };
    requestIdleCallback(slice);
  }

  /** A worker's message (a key with parameters) in the current language. */
  msg(m: Msg): string {
    return this.t(m.key, m.params);
  }

  number(v: number, opts?: Intl.NumberFormatOptions): string {
    return formatNumber(this.locale, v, opts);
  }
  percent(fraction: number, digits?: number): string {
    return formatPercent(this.locale, fraction, digits);
  }
  bytes(n: number): string {
    return formatBytes(this.locale, n);
  }
  date(d: Date | number, opts?: Intl.DateTimeFormatOptions): string {
    return formatDate(this.locale, d, opts);
  }
  list(items: readonly string[], type?: Intl.ListFormatType): string {
    return formatList(this.locale, items, type);
  }
}

/** The page's one I18n. */
export const i18n = new I18n();
/** Shorthand for templates: `{t('train.button.train')}`. */
export const t = (key: MessageKey, params?: MsgParams): string => i18n.t(key, params);

/** A worker's message in the current language; a plain string (stored before messages were keys)
 *  is shown as it is. */
export const say = (m: Msg | string): string => (typeof m === 'string' ? m : i18n.msg(m));

/** An error in the user's words: a worker's message in the current language, else its text. */
export const errorText = (e: unknown): string => {
  const m = msgOf(e);
  return m ? i18n.msg(m) : e instanceof Error ? e.message : String(e);
};
