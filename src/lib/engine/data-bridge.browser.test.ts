// The data worker through its bridge in a real browser: progress, prepared matrices in shared memory.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE_SETTINGS, type ParseProgress } from '../../../workers/data/types.ts';
import type { ModelRecord } from '../../../workers/store/schema.ts';
import { terminateDataWorker, workerDataBackend, workerPredictionBackend } from './data-bridge.ts';

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
  it('predicts a file in the worker with progress, and Cancel stops a long one', async () => {
    const model: ModelRecord = {
      id: 'm',
      name: 'm',
      created: 0,
      network: {
        format: 'backprop-lab/network',
        version: 1,
        spec: { inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' },
        params: [{ W: [1, -1], b: [0] }],
      },
      recipe: null,
      task: 'binary',
      targetName: 'label',
      featureNames: ['x1', 'x2'],
      classLabels: ['no', 'yes'],
      targetScale: null,
      metrics: {},
      runId: null,
      datasetHash: null,
    };
    const lines = ['x1,x2'];
    for (let i = 0; i < 300_000; i++) lines.push(`${i % 7},${i % 5}`);
    const file = new File([lines.join('\n')], 'rows.csv');
    const seen: number[] = [];
    const done = await workerPredictionBackend.predictFile(model, file, file.name, (p) =>
      seen.push(p.bytesRead),
    );
    if (!done.ok) throw new Error(done.problem.message);
    expect(done.batch.rows).toBe(300_000);
    expect(seen.at(-1)).toBe(file.size);
    expect(done.batch.csv).toBeInstanceOf(Blob);
    expect((await done.batch.csv.text()).split('\r\n')[1]).toBe('0,0,yes,0.5,0.5');
    // A file of many 1 MiB chunks: Cancel after the first progress stops it between two chunks.
    const big = new File([lines.map((l) => `${l},${'-'.repeat(40)}`).join('\n')], 'big.csv');
    let asked = false;
    const stopped = await workerPredictionBackend.predictFile(model, big, big.name, () => {
      if (!asked) void workerPredictionBackend.cancel();
      asked = true;
    });
    expect(stopped.ok || stopped.problem.code).toBe('cancelled');
    terminateDataWorker();
  });
});
