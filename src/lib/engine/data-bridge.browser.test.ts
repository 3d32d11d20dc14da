// The data worker through its bridge in a real browser: progress, prepared matrices in shared memory.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE_SETTINGS, type ParseProgress } from '../../../workers/data/types.ts';
import { terminateDataWorker, workerDataBackend } from './data-bridge.ts';

describe('data bridge', () => {
  it('loads a file with progress and prepares X in shared memory', async () => {
    const lines = ['x1,x2,colour,label'];
    for (let i = 0; i < 20000; i++)
      lines.push(
        `${(i % 97) / 10},${(i % 89) / 7},${['red', 'blue'][i % 2]},${i % 3 === 0 ? 'yes' : 'no'}`,
      );
    const file = new File([lines.join('\n')], 'bridge.csv', { type: 'text/csv' });
    const progress: ParseProgress[] = [];
    const loaded = await workerDataBackend.loadFile(
      file,
      file.name,
      { chunkBytes: 32 * 1024 },
      (p) => progress.push(p),
    );
    expect(loaded.ok).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[progress.length - 1].bytesRead).toBe(file.size);
    const res = await workerDataBackend.prepare({
      ...structuredClone(DEFAULT_RECIPE_SETTINGS),
      target: 'label',
    });
    if (!res.ok) throw new Error(res.problem.message);
    expect(crossOriginIsolated).toBe(true);
    expect(res.dataset.train.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(res.dataset.featureNames).toEqual(['x1', 'x2', 'colour=blue', 'colour=red']);
    expect(res.dataset.train.x.length).toBe(4 * res.dataset.train.m);
    expect(res.dataset.classLabels).toEqual(['no', 'yes']);
    terminateDataWorker();
  });
});
