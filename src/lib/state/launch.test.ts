// The launcher sends each file, shortcut and lesson link where it belongs.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE_SETTINGS } from '../../../workers/data/types.ts';
import { encodeConfig, withLesson } from './config-hash.ts';
import { DEFAULT_CONFIG } from './config.ts';
import { Launcher, type LaunchData } from './launch.svelte.ts';
import { SHARED_CACHE, type Area } from './launch-url.ts';
import { packLesson, type SharedLesson } from './share-link.ts';

function fakes() {
  const calls: string[] = [];
  const files: File[] = [];
  const shown: Area[] = [];
  const data: LaunchData = {
    loadFile: async (f) => {
      calls.push(`loadFile ${f.name}`);
      files.push(f as File);
    },
    loadSample: async (id) => void calls.push(`loadSample ${id}`),
    loadSynthetic: async (kind, o) => void calls.push(`loadSynthetic ${kind} ${JSON.stringify(o)}`),
    reread: async (o) => void calls.push(`reread ${JSON.stringify(o)}`),
    update: async (p) => void calls.push(`update target=${p.target} seed=${p.seed}`),
  };
  const library = { importFile: async (f: File) => void calls.push(`import ${f.name}`) };
  const training = {
    loadFromHash: (h: string) => {
      calls.push(`hash ${h.slice(0, 12)}`);
      return true;
    },
  };
  return { calls, files, shown, data, library, training };
}

function launcher(f: ReturnType<typeof fakes>, caches?: () => CacheStorage | undefined): Launcher {
  return new Launcher({
    data: f.data,
    library: f.library,
    training: f.training,
    show: (a) => f.shown.push(a),
    ...(caches ? { caches } : {}),
  });
}

const csv = (name: string) => new File(['a,b\n1,2\n3,4'], name, { type: 'text/csv' });
const pack = (format: string, name: string) =>
  new File([JSON.stringify({ format: `backprop-lab/${format}`, version: 1 })], name);

describe('Launcher.open', () => {
  it('loads a table, imports the app’s own files and refuses the rest, naming them', async () => {
    const f = fakes();
    const l = launcher(f);
    const n = await l.open([
      csv('模型.csv'),
      pack('lesson', 'lesson.json'),
      new File(['{"name":"x"}'], 'package.json'),
    ]);
    expect(n).toBe(2);
    expect(f.calls).toEqual(['loadFile 模型.csv', 'import lesson.json']);
    expect(f.shown).toEqual(['data', 'library']);
    expect(l.message).toEqual({
      key: 'launch.notOurs',
      params: { name: 'package.json' },
      tone: 'alert',
    });
    expect(l.busy).toBe(false);
  });

  it('loads only the first of several tables and says so', async () => {
    const f = fakes();
    const l = launcher(f);
    await l.open([csv('a.csv'), csv('b.csv')]);
    expect(f.calls).toEqual(['loadFile a.csv']);
    expect(l.message?.key).toBe('launch.oneTable');
  });
});

describe('Launcher.openUrl', () => {
  it('runs the shortcuts: a sample to train on, the library', async () => {
    const f = fakes();
    const l = launcher(f);
    expect(await l.openUrl(new URL('https://x.test/lab/?sample=iris'))).toBe(true);
    expect(await l.openUrl(new URL('https://x.test/lab/?open=library'))).toBe(false);
    expect(await l.openUrl(new URL('https://x.test/lab/?sample=unknown'))).toBe(false);
    expect(f.calls).toEqual(['loadSample iris']);
    expect(f.shown).toEqual(['train', 'library']);
  });
});

describe('Launcher.openLesson', () => {
  const lesson = (data: Uint8Array | null): SharedLesson => ({
    source: { kind: 'file', name: 'übung.csv', type: 'text/csv', size: 11 },
    settings: { ...structuredClone(DEFAULT_RECIPE_SETTINGS), target: 'b', seed: 5 },
    parse: { delimiter: ';', decimalComma: 'auto', raggedRows: 'stop' },
    data,
  });

  it('loads the link’s settings, then its data byte for byte, read and prepared as the teacher’s', async () => {
    const bytes = new TextEncoder().encode('a;b\n1;2\n3;4');
    const { packed } = await packLesson(lesson(bytes));
    const f = fakes();
    const l = launcher(f);
    const hash = `#${withLesson(encodeConfig(DEFAULT_CONFIG), packed)}`;
    expect(await l.openLesson(hash)).toBe(true);
    expect(f.calls).toEqual([
      'hash #v=1&hidden=',
      'loadFile übung.csv',
      'reread {"delimiter":";","decimalComma":"auto","raggedRows":"stop"}',
      'update target=b seed=5',
    ]);
    expect(new Uint8Array(await f.files[0].arrayBuffer())).toEqual(bytes);
    expect(l.message).toEqual({ key: 'share.opened', tone: 'status' });
  });

  it('says to import the lesson pack when the data did not fit in the link', async () => {
    const { packed } = await packLesson(lesson(null));
    const f = fakes();
    const l = launcher(f);
    expect(await l.openLesson(`#v=1&lesson=${packed}`)).toBe(false);
    expect(f.calls).toEqual(['hash #v=1&lesson=']);
    expect(l.message).toEqual({
      key: 'share.opened.noData',
      params: { name: 'übung.csv' },
      tone: 'alert',
    });
  });

  it('says a damaged link is damaged and loads nothing', async () => {
    const f = fakes();
    const l = launcher(f);
    expect(await l.openLesson('#v=1&lesson=AAAA')).toBe(false);
    expect(l.message?.key).toBe('share.error.damaged');
    expect(f.calls.filter((c) => !c.startsWith('hash'))).toEqual([]);
  });
});

/** A Cache Storage holding one cache in memory (what the service worker leaves for the page). */
function memoryCaches(entries: Map<string, Response>): CacheStorage {
  const cache = {
    keys: async () => [...entries.keys()].map((u) => new Request(u)),
    match: async (r: Request) => entries.get(r.url)?.clone(),
    delete: async (r: Request) => entries.delete(r.url),
  };
  return {
    open: async (name: string) => {
      expect(name).toBe(SHARED_CACHE);
      return cache as unknown as Cache;
    },
  } as unknown as CacheStorage;
}

describe('Launcher.openShared', () => {
  it('opens the files the service worker parked, then forgets them', async () => {
    const entries = new Map<string, Response>([
      [
        'https://x.test/lab/shared/k1/0',
        new Response('x,y\n1,2', {
          headers: {
            'content-type': 'text/csv',
            'x-file-name': encodeURIComponent('Messwerte ä.csv'),
          },
        }),
      ],
      ['https://x.test/lab/shared/other/0', new Response('z')],
    ]);
    const f = fakes();
    const l = launcher(f, () => memoryCaches(entries));
    expect(await l.openShared('k1')).toBe(1);
    expect(f.calls).toEqual(['loadFile Messwerte ä.csv']);
    expect([...entries.keys()]).toEqual(['https://x.test/lab/shared/other/0']);
    expect(await l.openShared('k1')).toBe(0);
    expect(l.message?.key).toBe('launch.sharedMissing');
  });
});

describe('Launcher.consume', () => {
  it('opens launched file handles, or the launched address', async () => {
    const f = fakes();
    const l = launcher(f);
    await l.consume({ files: [{ kind: 'file', getFile: async () => csv('from-disk.csv') }] });
    await l.consume({ files: [], targetURL: 'https://x.test/lab/?sample=penguins' });
    expect(f.calls).toEqual(['loadFile from-disk.csv', 'loadSample penguins']);
  });
});
