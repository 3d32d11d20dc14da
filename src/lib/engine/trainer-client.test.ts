// The trainer client sends a dataset once, as soon as it is chosen: Train then copies nothing, a
// dataset chosen later replaces it, a failed early send is made again by prepare, and a range test
// sends the data the same way.
import { describe, expect, it } from 'vitest';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { TrainConfig } from '../../../workers/core/types.ts';
import type { Trainer } from './bridge.ts';
import { TrainerClient } from './trainer-client.ts';

const dataset = (name: string) => ({ targetName: name }) as unknown as PreparedDataset;
const cfg = {} as TrainConfig;

function fakeWorker(failFirstLoad = false) {
  const calls: string[] = [];
  let held = '';
  let failures = failFirstLoad ? 1 : 0;
  const remote = {
    load: async (ds: PreparedDataset) => {
      calls.push(`load ${ds.targetName}`);
      await Promise.resolve();
      if (failures-- > 0) throw new Error('worker busy');
      held = ds.targetName;
    },
    prepare: async () => {
      calls.push(`prepare on ${held}`);
      return {};
    },
    findLearningRate: async () => {
      calls.push(`range test on ${held}`);
      return {};
    },
  } as unknown as Trainer;
  return { calls, client: new TrainerClient(() => remote) };
}

describe('TrainerClient', () => {
  it('sends a chosen dataset once: preparing after the early send copies nothing again', async () => {
    const { calls, client } = fakeWorker();
    const a = dataset('a');
    client.preload(a);
    client.preload(a);
    expect(calls).toEqual(['load a']);
    await client.prepare(a, cfg);
    await client.prepare(a, cfg);
    expect(calls).toEqual(['load a', 'prepare on a', 'prepare on a']);
  });

  it('a dataset chosen while another is on its way is the one prepared', async () => {
    const { calls, client } = fakeWorker();
    const a = dataset('a');
    const b = dataset('b');
    await client.prepare(a, cfg);
    client.preload(b);
    await client.prepare(b, cfg);
    // Back to the first: the worker holds the second now, so it is sent again.
    await client.prepare(a, cfg);
    expect(calls).toEqual([
      'load a',
      'prepare on a',
      'load b',
      'prepare on b',
      'load a',
      'prepare on a',
    ]);
  });

  it('an early send that failed is made again by prepare', async () => {
    const { calls, client } = fakeWorker(true);
    const a = dataset('a');
    client.preload(a);
    await client.prepare(a, cfg);
    expect(calls).toEqual(['load a', 'load a', 'prepare on a']);
  });

  it('a range test sends the data first unless the worker holds it or it is on its way', async () => {
    const { calls, client } = fakeWorker();
    const a = dataset('a');
    const b = dataset('b');
    await client.findLearningRate(a, cfg);
    await client.findLearningRate(a, cfg);
    await client.prepare(a, cfg);
    client.preload(b);
    await client.findLearningRate(b, cfg);
    expect(calls).toEqual([
      'load a',
      'range test on a',
      'range test on a',
      'prepare on a',
      'load b',
      'range test on b',
    ]);
  });
});
