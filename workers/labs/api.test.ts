import { describe, expect, it } from 'vitest';
import { initParams } from '../core/activations.ts';
import { gradientCheck } from '../core/network.ts';
import { createRng } from '../core/rng.ts';
import type { NetworkSpec } from '../core/types.ts';
import { createLabApi } from './api.ts';
import { exampleData } from './example.ts';
import { EXAMPLE_DATA, type LabProgress } from './types.ts';

const spec: NetworkSpec = {
  inputs: 2,
  hidden: [{ units: 5, activation: 'tanh', keepProb: 1 }],
  outputs: 1,
  output: 'sigmoid',
};
const base = { spec, seed: 4, lambda: 0, learningRate: 0.3, epochs: 6, batchSize: 32 };

describe('the example data', () => {
  it('is the seeded circle set with the shape the page shows', () => {
    const d = exampleData();
    expect(d.task).toBe(EXAMPLE_DATA.task);
    expect(d.train.m).toBe(EXAMPLE_DATA.splits.train.m);
    expect(d.dev.m).toBe(EXAMPLE_DATA.splits.dev.m);
    for (const s of [d.train, d.dev]) {
      expect(s.x).toHaveLength(EXAMPLE_DATA.featureNames.length * s.m);
      expect(s.y).toHaveLength(EXAMPLE_DATA.outputs * s.m);
      // Inside the disk of radius 0.5 is 1, the ring from 0.7 outwards is 0.
      for (let i = 0; i < s.m; i++) {
        const r2 = s.x[i] ** 2 + s.x[s.m + i] ** 2;
        expect(s.y[i]).toBe(r2 < 0.36 ? 1 : 0);
      }
    }
    expect(new Set(Array.from(d.train.y))).toEqual(new Set([0, 1]));
    expect(exampleData()).toEqual(d);
    expect(Array.from(d.dev.x.slice(0, 8))).not.toEqual(Array.from(d.train.x.slice(0, 8)));
  });
});

describe('createLabApi', () => {
  it('runs a lab on the example data when the page sends none, capped at maxExamples', () => {
    const api = createLabApi();
    const progress: LabProgress[] = [];
    const run = api.initLab({ data: null, maxExamples: 50 }, base, (p) => progress.push(p));
    expect(run.examples).toBe(50);
    expect(run.results.map((r) => r.id)).toEqual(['zeros', 'random', 'xavier', 'he']);
    expect(progress[0]).toEqual({ done: 1, total: 24, label: { key: 'labs.variant.zeros' } });
    const all = api.initLab({ data: null, maxExamples: 1000 }, base);
    expect(all.examples).toBe(EXAMPLE_DATA.splits.train.m);
    expect(all.results[2].curves).not.toEqual(run.results[2].curves);
  });

  it('runs the four regularization variants on the data it is given', () => {
    const api = createLabApi();
    const d = exampleData();
    const run = api.regularizationLab(
      { data: d, maxExamples: 1000 },
      { ...base, init: 'xavier' },
      { lambda: 0.5, keepProb: 0.6 },
    );
    expect(run.examples).toBe(d.train.m);
    expect(
      run.results.map((r) => [r.id, r.options.lambda, r.options.spec.hidden[0].keepProb]),
    ).toEqual([
      ['none', 0, 1],
      ['l2', 0.5, 1],
      ['dropout', 0, 0.6],
      ['both', 0.5, 0.6],
    ]);
  });

  it('steps the sandbox and says what to do when it was not started', () => {
    const api = createLabApi();
    expect(() => api.sandboxStep()).toThrow(/labs.noSandbox/);
    expect(() => api.sandboxNetwork()).toThrow(/labs.noSandbox/);
    const opts = {
      spec,
      task: 'binary' as const,
      init: 'he' as const,
      seed: 2,
      batchSize: 1e9,
      learningRate: 0.1,
      lambda: 0,
    };
    const first = api.sandboxStart({ data: null, maxExamples: 100 }, opts);
    // Batch gradient descent: one batch holds all the (capped) examples.
    expect(first.m).toBe(100);
    const next = api.sandboxStep();
    expect(next.epoch).toBe(1);
    expect(api.sandboxNetwork().params[0].W).toEqual(Array.from(next.layers[0].W));
  });

  it('gradient check on a fresh network: the initializer with the seed, the first examples, no dropout', () => {
    const api = createLabApi();
    const dropSpec = { ...spec, hidden: [{ ...spec.hidden[0], keepProb: 0.5 }] };
    const { result, examples } = api.gradientCheck(
      { data: null, maxExamples: 16 },
      { spec: dropSpec, lambda: 0.2, params: { init: 'he', seed: 9 } },
    );
    expect(examples).toBe(16);
    expect(result.overall).toBeLessThan(1e-7);
    // The same check, by hand: He initialization from seed 9 on the first 16 examples.
    const d = exampleData();
    const x = Array.from({ length: 32 }, (_, k) => d.train.x[(k >> 4) * d.train.m + (k & 15)]);
    const y = Array.from(d.train.y.slice(0, 16));
    const expected = gradientCheck(
      dropSpec,
      initParams(dropSpec, 'he', createRng(9)),
      { rows: 2, cols: 16, data: x },
      { rows: 1, cols: 16, data: y },
      { lambda: 0.2, keepProbs: [1], maxPerLayer: 64 },
    );
    expect(result).toEqual(expected);
  });

  it('gradient check on the sandbox needs a started sandbox, and an empty split is refused', () => {
    const api = createLabApi();
    const req = { spec, lambda: 0, params: 'sandbox' as const };
    expect(() => api.gradientCheck({ data: null, maxExamples: 16 }, req)).toThrow(/labs.noSandbox/);
    const empty = { m: 0, x: new Float32Array(0), y: new Float32Array(0) };
    expect(() =>
      api.gradientCheck(
        { data: { task: 'binary', train: empty, dev: empty }, maxExamples: 16 },
        { ...req, params: { init: 'xavier', seed: 1 } },
      ),
    ).toThrow(/labs.emptyTrain/);
  });
});
