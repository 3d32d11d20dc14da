// The catalogues are complete and consistent: every language has every key, each message is valid
// ICU MessageFormat with the same arguments as the English source, plurals name the categories the
// language needs, and each key lives in the file of its area.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from './locales.ts';

const PAGE = join(__dirname, 'messages');
const WORKERS = join(__dirname, '../../../workers/messages');

type Area = { realm: 'page' | 'workers'; name: string; messages: Record<string, string> };

function areas(locale: Locale): Area[] {
  const out: Area[] = [];
  for (const [realm, dir] of [
    ['page', PAGE],
    ['workers', WORKERS],
  ] as const) {
    for (const f of readdirSync(join(dir, locale))
      .filter((x) => x.endsWith('.json'))
      .sort()) {
      out.push({
        realm,
        name: f.replace(/\.json$/, ''),
        messages: JSON.parse(readFileSync(join(dir, locale, f), 'utf8')),
      });
    }
  }
  return out;
}

const all = (locale: Locale) =>
  Object.assign({}, ...areas(locale).map((a) => a.messages)) as Record<string, string>;

/** Each argument of a message with its kind (argument, number, date, plural, select...). */
function argumentsOf(
  els: MessageFormatElement[],
  out = new Map<string, number>(),
): Map<string, number> {
  for (const el of els) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    if (el.type === TYPE.tag) {
      argumentsOf(el.children, out);
      continue;
    }
    out.set(el.value, el.type);
    if (el.type === TYPE.plural || el.type === TYPE.select)
      for (const o of Object.values(el.options)) argumentsOf(o.value, out);
  }
  return out;
}

function plurals(els: MessageFormatElement[], out: string[][] = []): string[][] {
  for (const el of els) {
    if (el.type === TYPE.plural) {
      out.push(Object.keys(el.options));
      for (const o of Object.values(el.options)) plurals(o.value, out);
    } else if (el.type === TYPE.select)
      for (const o of Object.values(el.options)) plurals(o.value, out);
  }
  return out;
}

const en = all('en');

describe('message catalogues', () => {
  it('has messages', () => {
    expect(Object.keys(en).length).toBeGreaterThan(0);
  });

  it.each(LOCALES)(
    '%s: each key lives in the file of its area, and areas are not shared by the page and the workers',
    (locale) => {
      const list = areas(locale);
      for (const a of list)
        for (const k of Object.keys(a.messages))
          expect(k.startsWith(`${a.name}.`), `${a.realm}/${locale}/${a.name}.json: ${k}`).toBe(
            true,
          );
      const pageAreas = new Set(list.filter((a) => a.realm === 'page').map((a) => a.name));
      for (const a of list.filter((x) => x.realm === 'workers'))
        expect(pageAreas.has(a.name), `area ${a.name} in both realms`).toBe(false);
    },
  );

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the English keys', (locale) => {
    const keys = Object.keys(all(locale)).sort();
    const missing = Object.keys(en).filter((k) => !keys.includes(k));
    const extra = keys.filter((k) => !(k in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(LOCALES)(
    '%s: every message is valid ICU with the arguments of the English one, and plurals have one and other',
    (locale) => {
      const cat = all(locale);
      const problems: string[] = [];
      for (const [key, source] of Object.entries(cat)) {
        if (!source.trim()) {
          problems.push(`${key}: empty`);
          continue;
        }
        let ast: MessageFormatElement[];
        try {
          ast = parse(source);
        } catch (e) {
          problems.push(`${key}: ${(e as Error).message}`);
          continue;
        }
        const args = [...argumentsOf(ast)].sort();
        const enArgs = [...argumentsOf(parse(en[key] ?? ''))].sort();
        if (JSON.stringify(args) !== JSON.stringify(enArgs))
          problems.push(
            `${key}: arguments ${JSON.stringify(args)} differ from English ${JSON.stringify(enArgs)}`,
          );
        for (const cats of plurals(ast)) {
          if (!cats.includes('other') || !(cats.includes('one') || cats.includes('=1')))
            problems.push(`${key}: a plural needs "one" and "other" (has ${cats.join(', ')})`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
