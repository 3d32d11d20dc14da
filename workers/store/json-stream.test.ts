import { describe, expect, it } from 'vitest';
import { JsonScanner, type JsonPiece } from './json-stream.ts';
import { ImportError } from './validate.ts';
import { englishOf } from './english.test-support.ts';

const TEXT = JSON.stringify({
  format: 'backprop-lab/backup',
  version: 1,
  note: 'brackets ] } [ { and "quotes" and \\ backslashes, \u00e9\u{1F600}',
  models: [{ name: 'a]"}', w: [1, -2.5e-3, null] }, 7, 'x', [], {}],
  empty: [],
  runs: [],
  flag: true,
  nothing: null,
});

function scan(chunks: string[], streamed = ['models', 'runs', 'empty']): JsonPiece[] {
  const out: JsonPiece[] = [];
  const s = new JsonScanner(
    (k) => streamed.includes(k),
    (p) => out.push(p),
  );
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe('JsonScanner: a root object in pieces, however the text is cut', () => {
  const whole = scan([TEXT]);

  it('hands over each member, and each element of a streamed list', () => {
    expect(whole.map((p) => [p.key, p.index])).toEqual([
      ['format', -1],
      ['version', -1],
      ['note', -1],
      ['models', 0],
      ['models', 1],
      ['models', 2],
      ['models', 3],
      ['models', 4],
      ['flag', -1],
      ['nothing', -1],
    ]);
    const parsed = JSON.parse(TEXT) as Record<string, unknown[]>;
    expect(whole.filter((p) => p.key === 'models').map((p) => JSON.parse(p.text))).toEqual(
      parsed.models,
    );
    expect(JSON.parse(whole[2].text)).toBe(parsed.note);
  });

  it('gives the same pieces for every place the text is cut in two, and one character at a time', () => {
    for (let i = 0; i <= TEXT.length; i++)
      expect(scan([TEXT.slice(0, i), TEXT.slice(i)])).toEqual(whole);
    expect(scan([...TEXT])).toEqual(whole);
    expect(scan([` \n${TEXT}\r\n `])).toEqual(whole);
  });

  it('a list that is not streamed comes whole', () => {
    const pieces = scan([TEXT], []);
    expect(pieces.find((p) => p.key === 'models')?.text).toBe(
      JSON.stringify((JSON.parse(TEXT) as { models: unknown }).models),
    );
  });

  it('says what is wrong with broken structure', () => {
    const fails = (chunks: string[]) => {
      try {
        scan(chunks);
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        return englishOf(e);
      }
      throw new Error('expected a refusal');
    };
    expect(fails([TEXT.slice(0, 60)])).toMatch(/cut short/);
    expect(fails([TEXT.slice(0, -1)])).toMatch(/cut short/);
    expect(fails(['[{"a":1}]'])).toMatch(/one JSON object/);
    expect(fails([''])).toMatch(/one JSON object/);
    expect(fails(['{"a" 1}'])).toMatch(/not valid JSON \(a “:” should come here\)/);
    expect(fails(['{"a":1 "b":2}'])).toMatch(/not valid JSON \(unexpected “"”\)/);
    expect(fails(['{"models":[1 2]}'])).toMatch(/not valid JSON \(unexpected “2”\)/);
    expect(fails(['{}{}'])).toMatch(/after the end of the data/);
    expect(fails(['{"__proto__":{}}'])).toMatch(/“__proto__”/);
  });

  it('refuses a piece longer than its limit', () => {
    const s = new JsonScanner(
      () => true,
      () => undefined,
      10,
    );
    expect(() => s.push('{"models":["0123456789abc"]}')).toThrow(ImportError);
  });
});
