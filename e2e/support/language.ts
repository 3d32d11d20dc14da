// What a page shows in a language other than English: every text node and every accessible text
// attribute, and the ones among them that are still English (from the English catalogue, or plain
// English sentences written outside any catalogue).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

type Catalogue = Record<string, string>;

/** The iris sample's own words on screen (file, title, column names, class labels): user data, which
 *  stays as it is in every language. */
export const IRIS_TEXTS = [
  'iris.csv',
  'Iris flowers',
  'sepal_length',
  'sepal_width',
  'petal_length',
  'petal_width',
  'species',
  'setosa',
  'versicolor',
  'virginica',
];

/** The page's and the workers' messages of one language, read from the source catalogues. */
export function catalogue(locale: string): Catalogue {
  const out: Catalogue = {};
  for (const dir of [`src/lib/i18n/messages/${locale}`, `workers/messages/${locale}`])
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')))
      Object.assign(out, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Catalogue);
  return out;
}

/** An ICU message as a pattern of its fixed words: each argument (with its plural or select
 * branches) matches any text. */
function pattern(message: string): { re: RegExp; fixed: number } {
  const parts: string[] = [];
  let depth = 0;
  let text = '';
  for (const ch of message) {
    if (ch === '{') {
      if (depth === 0) {
        parts.push(text);
        text = '';
      }
      depth++;
    } else if (ch === '}') depth--;
    else if (depth === 0) text += ch;
  }
  parts.push(text);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    re: new RegExp(`^${parts.map((p) => escape(p.trim())).join('.+?')}$`, 's'),
    fixed: parts.join('').replace(/\W/g, '').length,
  };
}

/** Words that are English and never Spanish or German: two of them in one text make it English. */
const ENGLISH_WORDS = new Set(
  'the and of to is with your this from when are it be which has have will should what how its was'.split(
    ' ',
  ),
);

export interface Shown {
  text: string;
  where: string;
}

/** Every text the page shows or names (text nodes, aria-label, title, placeholder, alt), outside
 * typeset maths, code and elements marked as another language. */
export function shownTexts(page: Page): Promise<Shown[]> {
  return page.evaluate(() => {
    const lang = document.documentElement.lang;
    const out: { text: string; where: string }[] = [];
    const skip = (el: Element | null): boolean =>
      !el ||
      el.closest('.katex, pre, code, textarea, script, style, noscript, [data-user-data]') !==
        null ||
      (el.closest('[lang]')?.getAttribute('lang') ?? lang) !== lang;
    const where = (el: Element): string => {
      const id = el.closest('[data-testid]')?.getAttribute('data-testid');
      return `${el.tagName.toLowerCase()}${id ? ` in ${id}` : ''}`;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      if (text && !skip(n.parentElement)) out.push({ text, where: where(n.parentElement!) });
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (skip(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const text = el.getAttribute(a)?.trim();
        if (text) out.push({ text, where: `${where(el)} [${a}]` });
      }
    }
    return out;
  });
}

/** The shown texts that are English in a page set to `locale`: an English catalogue message whose
 * translation differs (and that the translation does not match), or a sentence with English words.
 * `allowed` are the user's own data (column names, class labels, file names). */
export function englishLeft(shown: Shown[], locale: string, allowed: readonly string[]): string[] {
  const en = catalogue('en');
  const active = catalogue(locale);
  const checks = Object.entries(en)
    .filter(([key, message]) => active[key] !== undefined && active[key] !== message)
    .map(([key, message]) => ({ key, en: pattern(message), active: pattern(active[key]) }))
    .filter((c) => c.en.fixed >= 4);
  const allow = new Set(allowed);
  const left = new Set<string>();
  for (const { text, where } of shown) {
    if (allow.has(text)) continue;
    const hit = checks.find((c) => c.en.re.test(text) && !c.active.re.test(text));
    if (hit) {
      left.add(`${where}: "${text}" (${hit.key})`);
      continue;
    }
    const words = new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
    const english = [...words].filter((w) => ENGLISH_WORDS.has(w));
    if (english.length >= 2) left.add(`${where}: "${text}"`);
  }
  return [...left];
}
