// Stored datasets: once per content, with the source, reading options and recipe settings of their
// latest use; a generated set stands for itself as a description with the same bytes every time.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { LabStore } from './store.ts';
import {
  SYNTHETIC_TYPE,
  getDataset,
  listDatasets,
  putDataset,
  sourceOf,
  syntheticFile,
} from './datasets.ts';
import { DEFAULT_RECIPE_SETTINGS } from '../data/types.ts';
import { sha256Hex } from './names.ts';

let n = 0;
const opened: LabStore[] = [];
function openStore(): LabStore {
  const s = new LabStore({ name: `datasets-${n++}`, broadcast: false, onFirstWrite: () => {} });
  opened.push(s);
  return s;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

describe('stored datasets', () => {
  it('keeps a file once by content, with the source, options and settings of its latest use', async () => {
    const store = openStore();
    const bytes = new Blob(['a;b;y\n1,5;2;x\n'], { type: 'text/csv' });
    const first = await putDataset(
      store,
      {
        name: 'semi.csv',
        bytes,
        summary: { rows: 1 },
        source: { kind: 'file' },
        parseOptions: { delimiter: ';', decimalComma: true },
        settings: { ...DEFAULT_RECIPE_SETTINGS, target: 'y' },
      },
      1000,
    );
    expect(first.hash).toBe(await sha256Hex(await bytes.arrayBuffer()));
    const again = await putDataset(
      store,
      {
        name: 'other name.csv',
        bytes,
        summary: null,
        settings: { ...DEFAULT_RECIPE_SETTINGS, target: 'b', seed: 3 },
      },
      2000,
    );
    expect(again.hash).toBe(first.hash);
    const stored = await getDataset(store, first.hash);
    expect(stored).toMatchObject({
      name: 'semi.csv',
      created: 1000,
      source: { kind: 'file' },
      parseOptions: { delimiter: ';', decimalComma: true },
      settings: { target: 'b', seed: 3 },
    });
    expect(await listDatasets(store)).toHaveLength(1);
    // Nothing new to say: the record stays as it is.
    expect(await putDataset(store, { name: 'x', bytes, summary: null })).toEqual(stored);
  });

  it('describes a generated set with the same bytes for the same set, however its options were given', async () => {
    const a = syntheticFile('moons', { noise: 0.2 });
    const b = syntheticFile('moons', { classes: 3, seed: 1, n: 400, noise: 0.2 });
    expect(a.type).toBe(SYNTHETIC_TYPE);
    expect(await a.text()).toBe(await b.text());
    expect(await syntheticFile('moons', { noise: 0.3 }).text()).not.toBe(await a.text());
    const store = openStore();
    const rec = await putDataset(store, { name: 'Two moons', bytes: a, summary: null });
    expect(rec.type).toBe(SYNTHETIC_TYPE);
    expect(await sourceOf(rec)).toEqual({
      kind: 'synthetic',
      synthetic: 'moons',
      options: { n: 400, noise: 0.2, seed: 1, classes: 3 },
    });
  });

  it('reads a record whose source is missing or damaged as a file', async () => {
    const base = {
      hash: '0'.repeat(64),
      name: 'x.csv',
      type: 'text/csv',
      size: 3,
      file: new Blob(['a\n1']),
      summary: null,
      created: 0,
    };
    expect(await sourceOf(base)).toEqual({ kind: 'file' });
    expect(await sourceOf({ ...base, type: SYNTHETIC_TYPE })).toEqual({ kind: 'file' });
    const bad = new Blob([JSON.stringify({ kind: 'spiralz', options: { n: 1 } })]);
    expect(await sourceOf({ ...base, type: SYNTHETIC_TYPE, file: bad })).toEqual({ kind: 'file' });
    expect(
      await sourceOf({
        ...base,
        source: { kind: 'synthetic', synthetic: 'xor', options: { n: NaN } as never },
      }),
    ).toEqual({ kind: 'file' });
    expect(await sourceOf({ ...base, source: { kind: 'sample', id: 'iris' } })).toEqual({
      kind: 'sample',
      id: 'iris',
    });
  });
});
