import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataApi } from '../../../workers/data/api.ts';
import { DatasetSession } from './dataset.svelte.ts';
import type { DataBackend } from './data-backend.ts';
import { storableData } from './dataset-store.ts';
import { i18n } from '../i18n/i18n.svelte.ts';

beforeAll(() => i18n.use('en', false));

/** A file the app serves (a sample), read from static/ instead of fetched. */
function served(url: string): Blob {
  return new Blob([
    readFileSync(new URL(`../../../static${new URL(url).pathname}`, import.meta.url)),
  ]);
}

/** The worker's API called in-process; samples read from static/ instead of fetched. */
function backend(): DataBackend {
  return {
    loadFile: (f, n, o, p) => dataApi.loadFile(f, n, o, p),
    reread: (o, p) => dataApi.reread(o, p),
    loadUrl: (url, name) => dataApi.loadFile(served(url), name, {}),
    loadSynthetic: (k, o) => dataApi.loadSynthetic(k, o),
    cancel: () => dataApi.cancel(),
    prepare: (s) => dataApi.prepare(s),
    describe: (s, summary) => dataApi.describe(s, summary),
    applyFix: (s, fix) => dataApi.applyFix(s, fix),
  };
}
const file = (text: string, name = 'my.csv') => Object.assign(new Blob([text]), { name });

describe('DatasetSession', () => {
  it('a synthetic sample is ready to train at once, with its target chosen', async () => {
    const s = new DatasetSession(backend());
    await s.loadSynthetic('moons', { n: 200 });
    expect(s.status).toBe('prepared');
    expect(s.targetName).toBe('label');
    expect(s.task).toBe('binary');
    expect(s.featureNames).toEqual(['x1', 'x2']);
    expect(s.classLabels).toEqual(['0', '1']);
    expect(s.shapeText).toBe('2 features x 140 training examples');
    expect(s.version).toBe(1);
  });

  it('a bundled sample loads with its target and licence', async () => {
    const s = new DatasetSession(backend(), 'http://localhost/');
    await s.loadSample('iris');
    expect(s.status).toBe('prepared');
    expect(s.shapeText).toBe('4 features x 105 training examples');
    expect(s.source?.kind === 'sample' && s.source.sample.licence).toMatch(/Public domain/);
  });

  it('what it gives the library to store is plain data that IndexedDB can clone', async () => {
    const s = new DatasetSession(backend(), 'http://localhost/');
    await s.loadSample('iris');
    // In the page the session's fields are runes state: proxies, which IndexedDB cannot clone.
    const tokens = [{ column: 'species', token: 'NA' }];
    const session = {
      source: s.source,
      report: s.report,
      recipe: s.recipe,
      file: s.file,
      parseOptions: new Proxy({ ...s.parseOptions, valueTokens: new Proxy(tokens, {}) }, {}),
    };
    const stored = await storableData(session, 'http://localhost/', async (url) => served(url));
    expect(stored?.name).toMatch(/Iris/);
    expect(stored?.parseOptions?.valueTokens).toEqual(tokens);
    expect(() => structuredClone(stored)).not.toThrow();
  });

  it('a user file waits for the target; choosing it prepares the data', async () => {
    const s = new DatasetSession(backend());
    const rows = ['a,b,label'];
    for (let i = 0; i < 40; i++)
      rows.push(`${(i * 0.37) % 3},${i % 4 ? 'x' : 'y'},${i % 2 ? 'cat' : 'dog'}`);
    const f = file(rows.join('\n'));
    await s.loadFile(f);
    expect(s.status).toBe('ready');
    expect(s.prepared).toBeNull();
    expect(s.file).toBe(f);
    await s.setTarget('label');
    expect(s.status).toBe('prepared');
    expect(s.prepared?.featureNames).toEqual(['a', 'b=x', 'b=y']);
    expect(s.recipe?.version).toBe(1);
    await s.setType('b', 'constant');
    expect(s.featureNames).toEqual(['a']);
    await s.setType('b', null);
    await s.setDropped('a', true);
    expect(s.featureNames).toEqual(['b=x', 'b=y']);
    expect(s.version).toBe(4);
  });

  it('a fix from a warning updates the recipe', async () => {
    const s = new DatasetSession(backend());
    const rows = ['id,x,y'];
    for (let i = 0; i < 30; i++) rows.push(`${i + 1},${i * i},${i % 2}`);
    await s.loadFile(file(rows.join('\n')));
    await s.update({ dropIdLike: false, standardize: false });
    await s.setTarget('y');
    const unscaled = s.warnings.find((w) => w.kind === 'unscaled');
    expect(unscaled?.fixed).toBe(false);
    await s.fix(unscaled!);
    expect(s.settings.standardize).toBe(true);
    expect(s.warnings.find((w) => w.kind === 'unscaled')?.fixed).toBe(true);
    const id = s.warnings.find((w) => w.kind === 'id-like');
    await s.fix(id!);
    expect(s.featureNames).toEqual(['x']);
  });

  it("shows the worker's column types, inferred task and warnings for the current settings", async () => {
    const s = new DatasetSession(backend());
    const rows = ['id,x,colour,y'];
    for (let i = 0; i < 30; i++)
      rows.push(`${i + 1},${i * 0.5},${i % 3 ? 'red' : 'blue'},${i % 2}`);
    await s.loadFile(file(rows.join('\n')));
    expect(s.typeOf('colour')).toBe('categorical');
    expect(s.typeOf('x')).toBe('numeric');
    expect(s.typeOf('no such column')).toBeNull();
    expect(s.inferredTask).toBeNull();
    expect(s.warnings.map((w) => w.kind)).toContain('id-like');
    await s.setTarget('y');
    expect(s.inferredTask).toBe('binary');
    await s.setType('x', 'categorical');
    expect(s.typeOf('x')).toBe('categorical');
    await s.setType('x', null);
    expect(s.typeOf('x')).toBe('numeric');
    await s.setTarget('x');
    expect(s.inferredTask).toBe('regression');
    await s.setTarget(null);
    expect(s.inferredTask).toBeNull();
  });

  it("keeps the newest of the worker's answers about the settings", async () => {
    const b = backend();
    const waiting: Array<() => void> = [];
    let slow = false;
    const s = new DatasetSession({
      ...b,
      describe: async (settings, summary) => {
        const view = await b.describe(settings, summary);
        if (slow) await new Promise<void>((r) => waiting.push(r));
        return view;
      },
    });
    await s.loadSynthetic('moons', { n: 100 });
    expect(s.inferredTask).toBe('binary');
    slow = true;
    const first = s.setTask('regression');
    await new Promise((r) => setTimeout(r, 0));
    slow = false;
    await s.setTarget(null);
    expect(s.inferredTask).toBeNull();
    for (const w of waiting) w();
    await first;
    expect(s.inferredTask).toBeNull(); // the older answer (target "label") came last and was dropped
  });

  it('bad files give a problem message, not a crash; ragged rows can be skipped', async () => {
    const s = new DatasetSession(backend());
    await s.loadFile(file('', 'empty.csv'));
    expect(s.status).toBe('error');
    expect(s.loadProblem?.code).toBe('empty-file');
    await s.loadFile(file('a,b\n1,2\n3\n4,5\n6,7\n'));
    expect(s.loadProblem?.code).toBe('ragged-rows');
    expect(s.loadProblem?.rows).toEqual([3]);
    await s.skipBadRows();
    expect(s.loadProblem).toBeNull();
    expect(s.report?.rows).toBe(3);
    expect(s.report?.notices.map((n) => i18n.msg(n)).join(' ')).toMatch(/skipped/);
  });

  it('reads a missing-value token of one column as a value and back, every other choice kept', async () => {
    const s = new DatasetSession(backend());
    const rows = ['sex,mass,note,species'];
    for (let i = 0; i < 40; i++)
      rows.push(
        `${['male', 'female', '.'][i % 3]},${3000 + i * 10},n${i % 4},${i % 2 ? 'A' : 'B'}`,
      );
    await s.loadFile(file(rows.join('\n'), 'penguins.csv'));
    await s.setTarget('species');
    await s.setDropped('note', true);
    const sex = () => s.report?.columns.find((c) => c.name === 'sex');
    expect(sex()?.missing).toBe(13);
    expect(sex()?.missingTokens).toEqual([{ token: '.', count: 13, asValue: false }]);
    expect(s.featureNames.some((f) => f === 'sex=.')).toBe(false);
    const version = s.version;

    await s.readTokenAs('sex', '.', true);
    expect(s.status).toBe('prepared');
    expect(sex()?.missing).toBe(0);
    expect(sex()?.missingTokens).toEqual([{ token: '.', count: 13, asValue: true }]);
    expect(s.settings.valueTokens).toEqual([{ column: 'sex', token: '.' }]);
    expect(s.recipe?.settings.valueTokens).toEqual([{ column: 'sex', token: '.' }]);
    expect(s.featureNames).toContain('sex=.');
    // The target and the dropped column are as they were.
    expect(s.targetName).toBe('species');
    expect(s.settings.dropped).toEqual(['note']);
    expect(s.version).toBeGreaterThan(version);

    await s.readTokenAs('sex', '.', false);
    expect(sex()?.missing).toBe(13);
    expect(s.featureNames).not.toContain('sex=.');
    expect(s.settings.dropped).toEqual(['note']);
    expect(s.settings.valueTokens).toEqual([]);
  });

  it('a target with one class is explained, and the data stays loaded', async () => {
    const s = new DatasetSession(backend());
    await s.loadFile(file('x,y\n1,a\n2,a\n3,a\n'));
    await s.setTarget('y');
    expect(s.status).toBe('ready');
    expect(s.prepareProblem?.code).toBe('one-class');
    expect(s.prepared).toBeNull();
  });

  it('publishes progress while reading and clears it at the end', async () => {
    const b = backend();
    const seen: number[] = [];
    const s: DatasetSession = new DatasetSession({
      ...b,
      loadFile: (f, n, o, p) =>
        b.loadFile(f, n, { ...o, chunkBytes: 65536 }, (x) => {
          p(x);
          seen.push(s.progress?.bytesRead ?? -1);
        }),
    });
    const text = 'a,b\n' + '1.5,x\n'.repeat(100_000);
    await s.loadFile(file(text));
    expect(s.report?.rows).toBe(100_000);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[seen.length - 1]).toBe(text.length);
    expect(s.progress).toBeNull();
  });
});
