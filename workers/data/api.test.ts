import { describe, expect, it } from 'vitest';
import { dataApi } from './api.ts';
import { DEFAULT_RECIPE_SETTINGS } from './types.ts';

describe('dataApi', () => {
  it('a newer load replaces an older one still running; the older never publishes its table', async () => {
    const big = new Blob(['a,b\n' + '1.5,x\n2.5,y\n'.repeat(200_000)]);
    const small = new Blob(['p,q,r\n1,2,u\n3,4,v\n5,6,u\n7,8,v\n']);
    const first = dataApi.loadFile(big, 'big.csv', { chunkBytes: 4096 });
    const second = dataApi.loadFile(small, 'small.csv');
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.problem.code).toBe('cancelled');
    expect(b.ok && b.report.source).toBe('small.csv');
    const prepared = dataApi.prepare({
      ...structuredClone(DEFAULT_RECIPE_SETTINGS),
      target: 'r',
      split: { train: 1, dev: 0, test: 0 },
    });
    expect(prepared.ok && prepared.dataset.featureNames).toEqual(['p', 'q']);
  });

  it('cancel() stops the running load only', async () => {
    const big = new Blob(['a,b\n' + '1.5,x\n'.repeat(200_000)]);
    const loading = dataApi.loadFile(big, 'big.csv', { chunkBytes: 4096 });
    dataApi.cancel();
    const res = await loading;
    expect(!res.ok && res.problem.code).toBe('cancelled');
    const again = await dataApi.loadFile(new Blob(['x,y\n1,2\n3,4\n']), 'ok.csv');
    expect(again.ok).toBe(true);
  });

  it('prepare before any data says what to do', () => {
    // a fresh module state is not available here, so only check the shape of a problem answer
    const res = dataApi.prepare({
      ...structuredClone(DEFAULT_RECIPE_SETTINGS),
      target: 'no such column',
    });
    expect(!res.ok && res.problem.code).toBe('no-target');
  });

  it('reports the bytes its typed columns hold', async () => {
    await dataApi.loadFile(new Blob(['x,c\n1.5,a\n2.5,b\n3.5,a\n']), 'm.csv');
    const m = dataApi.memory();
    expect(m.rows).toBe(3);
    // one Float64 per number row, one Uint16 code per cell of each column still keeping a dictionary
    expect(m.storedBytes).toBe(3 * 8 + 3 * 2 + 3 * 2);
  });

  it('describes the settings for the page: warnings, column types, inferred task; applies a fix', async () => {
    const rows = ['id,x,y'];
    for (let i = 0; i < 30; i++) rows.push(`${i + 1},${i * i},${i % 2}`);
    await dataApi.loadFile(new Blob([rows.join('\n')]), 'd.csv');
    const base = { ...structuredClone(DEFAULT_RECIPE_SETTINGS), standardize: false };
    const none = dataApi.describe(base);
    expect(none.inferredTask).toBeNull();
    expect(none.types).toEqual({ id: 'id', x: 'numeric', y: 'boolean' });
    const withTarget = dataApi.describe({
      ...base,
      target: 'y',
      types: [{ column: 'x', type: 'categorical' }],
    });
    expect(withTarget.types.x).toBe('categorical');
    expect(withTarget.inferredTask).toBe('binary');
    const unscaled = dataApi
      .describe({ ...base, target: 'y' })
      .warnings.find((w) => w.kind === 'unscaled');
    expect(unscaled?.fixed).toBe(false);
    expect(dataApi.applyFix(base, unscaled!.fix).standardize).toBe(true);
    expect(dataApi.applyFix(base, { kind: 'drop-column', column: 'id' }).dropped).toEqual(['id']);
  });
});
