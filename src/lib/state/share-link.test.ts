// A lesson survives the link byte for byte; a damaged or hostile link gives a message, never a throw.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARSE_OPTIONS, DEFAULT_RECIPE_SETTINGS } from '../../../workers/data/types.ts';
import {
  LINK_DATA_LIMIT,
  fromBase64Url,
  packLesson,
  pickParse,
  toBase64Url,
  unpackLesson,
  type SharedLesson,
} from './share-link.ts';

function csvBytes(rows: number, seed = 1): Uint8Array {
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['länge;breite;art'];
  for (let i = 0; i < rows; i++)
    lines.push(
      `${rand().toFixed(6).replace('.', ',')};${rand().toFixed(6)};${rand() > 0.5 ? 'ja' : 'nein'}`,
    );
  return new TextEncoder().encode(lines.join('\n'));
}

function fileLesson(data: Uint8Array): SharedLesson {
  return {
    source: { kind: 'file', name: 'übung.csv', type: 'text/csv', size: data.length },
    settings: {
      ...structuredClone(DEFAULT_RECIPE_SETTINGS),
      target: 'art',
      types: [{ column: 'breite', type: 'numeric' }],
      split: { train: 0.6, dev: 0.2, test: 0.2 },
      seed: 7,
    },
    parse: { ...pickParse(DEFAULT_PARSE_OPTIONS), delimiter: ';', decimalComma: true },
    data,
  };
}

describe('lesson links', () => {
  it('carry a small file byte for byte with its settings and reading options', async () => {
    const data = csvBytes(200);
    const lesson = fileLesson(data);
    const p = await packLesson(lesson);
    expect(p.dataIncluded).toBe(true);
    expect(p.compressedBytes).toBeLessThan(data.length);
    expect(p.packed).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = await unpackLesson(p.packed);
    expect(back.problem).toBeNull();
    expect(back.ignored).toEqual([]);
    expect(back.lesson).toEqual(lesson);
    expect(Array.from(back.lesson!.data!)).toEqual(Array.from(data));
  });

  it('leave out data bigger than the limit and say so, keeping the settings', async () => {
    const data = csvBytes(20_000, 3);
    const p = await packLesson(fileLesson(data));
    expect(p.dataIncluded).toBe(false);
    expect(p.compressedBytes).toBeGreaterThan(LINK_DATA_LIMIT);
    expect(p.packed.length).toBeLessThan(1000);
    const back = await unpackLesson(p.packed);
    expect(back.lesson?.data).toBeNull();
    expect(back.lesson?.source).toEqual({
      kind: 'file',
      name: 'übung.csv',
      type: 'text/csv',
      size: data.length,
    });
    expect(back.lesson?.settings.target).toBe('art');
  });

  it('carry a sample or a generated set by name, with the default settings in a few bytes', async () => {
    const sample: SharedLesson = {
      source: { kind: 'sample', id: 'iris' },
      settings: { ...structuredClone(DEFAULT_RECIPE_SETTINGS), target: 'species' },
      parse: pickParse(DEFAULT_PARSE_OPTIONS),
      data: null,
    };
    const p = await packLesson(sample);
    expect(p.packed.length).toBeLessThan(120);
    expect((await unpackLesson(p.packed)).lesson).toEqual(sample);
    const gen: SharedLesson = {
      source: {
        kind: 'synthetic',
        synthetic: 'spiral',
        options: { n: 600, noise: 0.2, seed: 9, classes: 4 },
      },
      settings: { ...structuredClone(DEFAULT_RECIPE_SETTINGS), target: 'label' },
      parse: pickParse(DEFAULT_PARSE_OPTIONS),
      data: null,
    };
    expect((await unpackLesson((await packLesson(gen)).packed)).lesson).toEqual(gen);
  });

  it('give a message for damaged, cut, foreign or unknown links', async () => {
    const p = (await packLesson(fileLesson(csvBytes(50)))).packed;
    expect((await unpackLesson(p.slice(0, p.length - 20))).problem?.key).toBe(
      'share.error.damaged',
    );
    expect((await unpackLesson('not base64!')).problem?.key).toBe('share.error.damaged');
    expect((await unpackLesson('')).problem?.key).toBe('share.error.damaged');
    expect((await unpackLesson('x'.repeat(200_000))).problem?.key).toBe('share.error.tooLong');
    const future = await packRaw({ v: 2, source: { kind: 'sample', id: 'iris' } });
    expect((await unpackLesson(future)).problem).toEqual({
      key: 'share.error.version',
      params: { version: '2' },
    });
    const unknown = await packRaw({ v: 1, source: { kind: 'sample', id: 'titanic' } });
    expect((await unpackLesson(unknown)).problem).toEqual({
      key: 'share.error.sample',
      params: { id: 'titanic' },
    });
  });

  it('use the defaults for settings it cannot read, and name them', async () => {
    const packed = await packRaw({
      v: 1,
      source: { kind: 'sample', id: 'iris' },
      settings: {
        target: 'species',
        seed: 1.5,
        split: { train: 0, dev: 0.5, test: 0.5 },
        types: [{ column: 'x', type: 'evil' }],
        standardize: false,
      },
      parse: { delimiter: '|' },
    });
    const back = await unpackLesson(packed);
    expect(back.problem).toBeNull();
    expect(back.ignored.sort()).toEqual(['delimiter', 'seed', 'split', 'types']);
    expect(back.lesson?.settings).toEqual({
      ...DEFAULT_RECIPE_SETTINGS,
      target: 'species',
      standardize: false,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stop unpacking a link that inflates past the limit (a zip bomb)', async () => {
    const zeros = new Uint8Array(20 * 1024 * 1024);
    const bomb = toBase64Url(
      new Uint8Array(
        await new Response(
          new Blob([zeros]).stream().pipeThrough(new CompressionStream('deflate-raw')),
        ).arrayBuffer(),
      ),
    );
    expect(bomb.length).toBeLessThan(96 * 1024);
    expect((await unpackLesson(bomb)).problem?.key).toBe('share.error.damaged');
  });

  it('base64url round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 5; n++) {
      const part = all.slice(0, 250 + n);
      const text = toBase64Url(part);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(Array.from(fromBase64Url(text)!)).toEqual(Array.from(part));
    }
    expect(fromBase64Url('a')).toBeNull();
  });
});

/** A lesson parameter made from a raw header (to test what a hostile or future link holds). */
async function packRaw(header: unknown): Promise<string> {
  // A "__proto__" key, as a hostile JSON text can hold one (an object literal cannot).
  const text = JSON.stringify(header).replace(
    '"standardize"',
    '"__proto__":{"polluted":true},"standardize"',
  );
  const head = new TextEncoder().encode(text);
  const raw = new Uint8Array(4 + head.length);
  new DataView(raw.buffer).setUint32(0, head.length);
  raw.set(head, 4);
  const z = await new Response(
    new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate-raw')),
  ).arrayBuffer();
  return toBase64Url(new Uint8Array(z));
}
