// The labs' worker through its bridge in a real browser: a lab on the example data with progress, the
// sandbox and the gradient check, and a cancel that ends a long lab at once.
import { msgOf } from '../../../workers/messages/index.ts';
import { describe, expect, it } from 'vitest';
import type { LabProgress } from '../../../workers/labs/types.ts';
import { labRunner, labsWorkerRunning } from './labs-bridge.ts';

const spec = {
  inputs: 2,
  hidden: [{ units: 4, activation: 'tanh' as const, keepProb: 1 }],
  outputs: 1,
  output: 'sigmoid' as const,
};
const input = { data: null, maxExamples: 1000 };
const base = { spec, seed: 3, lambda: 0, learningRate: 0.3, batchSize: 32 };

describe('labs bridge', () => {
  it('runs the initialization lab on the example data in the worker, with progress', async () => {
    const runner = labRunner();
    const progress: LabProgress[] = [];
    const run = await runner.initLab(input, { ...base, epochs: 300 }, (p) => progress.push(p));
    expect(run.examples).toBe(160);
    expect(run.results.map((r) => r.id)).toEqual(['zeros', 'random', 'xavier', 'he']);
    expect(run.results.every((r) => r.curves.trainLoss.length === 300)).toBe(true);
    expect(run.results[0].after[0].unitSpread).toBe(0);
    // The first epoch is always reported, then at most one report every 100 ms.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toEqual({
      done: 1,
      total: 1200,
      label: { key: 'labs.variant.zeros' },
    });
    for (const p of progress) {
      expect(p.total).toBe(1200);
      expect(p.done).toBeLessThanOrEqual(p.total);
    }
    // The sandbox and the gradient check on its parameters.
    const ins = await runner.sandboxStart(input, {
      spec,
      task: 'binary',
      init: 'xavier',
      seed: 1,
      batchSize: 16,
      learningRate: 0.1,
      lambda: 0,
    });
    expect(ins.m).toBe(16);
    expect((await runner.sandboxStep()).step).toBe(1);
    const check = await runner.gradientCheck(
      { data: null, maxExamples: 16 },
      { spec, lambda: 0.1, params: 'sandbox' },
    );
    expect(check.examples).toBe(16);
    expect(check.result.overall).toBeLessThan(1e-7);
  });

  it('cancel ends a long lab at once; the next call starts a fresh worker', async () => {
    const runner = labRunner();
    const long = runner.regularizationLab(
      input,
      { ...base, init: 'he', epochs: 2000 },
      { lambda: 0.7, keepProb: 0.8 },
    );
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    runner.cancel();
    await expect(long).rejects.toThrow('Cancelled.');
    expect(performance.now() - t0).toBeLessThan(100);
    expect(labsWorkerRunning()).toBe(false);
    // The fresh worker has no sandbox: it says what to do.
    const refused = await runner.sandboxStep().then(
      () => null,
      (e: unknown) => msgOf(e)?.key,
    );
    expect(refused).toBe('labs.noSandbox');
    runner.cancel();
  });
});
