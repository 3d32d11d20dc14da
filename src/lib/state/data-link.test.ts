// The library's link to a real data session (the data worker's API called in this thread).
import { describe, expect, it } from 'vitest';
import { dataApi } from '../../../workers/data/api.ts';
import { DatasetSession } from './dataset.svelte.ts';
import type { DataBackend } from './data-backend.ts';
import { dataLink } from './data-link.ts';

const backend: DataBackend = {
  loadFile: (f, n, o, p) => dataApi.loadFile(f, n, o, p),
  reread: (o, p) => dataApi.reread(o, p),
  loadUrl: () => Promise.reject(new Error('no samples here')),
  loadSynthetic: (k, o) => dataApi.loadSynthetic(k, o),
  cancel: () => dataApi.cancel(),
  prepare: (s) => dataApi.prepare(s),
  describe: (s, summary) => dataApi.describe(s, summary),
  applyFix: (s, fix) => dataApi.applyFix(s, fix),
};

describe('dataLink', () => {
  it("gives the library the dropped file's bytes and name, and nothing for a generated sample", async () => {
    const session = new DatasetSession(backend);
    const link = dataLink(session);
    const rows = ['a,b,label', ...Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i % 2}`)];
    const file = Object.assign(new Blob([rows.join('\n')], { type: 'text/csv' }), {
      name: 'mine.csv',
    });
    await link.loadFile!(file as File);
    expect(link.file).toBe(file);
    expect(link.sourceName).toBe('mine.csv');
    expect(link.report?.rows).toBe(20);
    expect(link.recipe).toBeNull(); // no target yet
    await link.useSettings!({ target: 'label' });
    expect(session.settings.target).toBe('label');
    expect(link.recipe?.target).toBe('label');
    await session.loadSynthetic('moons', { n: 50 });
    expect(link.file).toBeNull();
    expect(link.sourceName).toBe(session.report?.source);
  });
});
