import { describe, expect, it } from 'vitest';
import { gradientCheck, createNetwork, serialize } from '../../../workers/core/network.ts';
import type { SerializedNetwork, TrainConfig } from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { defaultConfig } from './config.ts';
import { LearnSession, type LabRunner, type LearnTrainer } from './learn.svelte.ts';
import { trainLab } from '../learn/labs.ts';
import { InspectSandbox } from '../learn/inspect.ts';
import { demoDataset, demoRecipe } from '../learn/demo.ts';

/** The labs' worker, run in this thread. */
function localRunner(): LabRunner & { cancelled: number } {
  let sandbox: InspectSandbox | null = null;
  const r = {
    cancelled: 0,
    run: async (data: Parameters<LabRunner['run']>[0], variants: Parameters<LabRunner['run']>[1]) =>
      variants.map((v) => trainLab(data, v)),
    gradientCheck: async (...a: Parameters<LabRunner['gradientCheck']>) => {
      const [spec, params, x, y, m, lambda] = a;
      return gradientCheck(
        spec,
        params,
        { rows: spec.inputs, cols: m, data: x },
        { rows: spec.outputs, cols: m, data: y },
        { lambda, keepProbs: spec.hidden.map(() => 1) },
      );
    },
    sandboxStart: async (
      train: Parameters<LabRunner['sandboxStart']>[0],
      opts: Parameters<LabRunner['sandboxStart']>[1],
    ) => {
      sandbox = new InspectSandbox(train, opts);
      return sandbox.inspect();
    },
    sandboxStep: async () => sandbox!.step(),
    sandboxNetwork: async () => sandbox!.network(),
    cancel: () => {
      r.cancelled++;
    },
  };
  return r;
}

const iris3: PreparedDataset = (() => {
  const d = demoDataset();
  return {
    ...d,
    task: 'multiclass',
    classLabels: ['a', 'b', 'c'],
    targetName: 'kind',
    train: { ...d.train, y: new Float32Array(3 * d.train.m).map((_, i) => (i % 3 === 0 ? 1 : 0)) },
  };
})();

describe('LearnSession', () => {
  it('uses example data until the source has data, and follows the configuration', () => {
    let config: TrainConfig | null = null;
    let data: PreparedDataset | null = null;
    const s = new LearnSession({ config: () => config, dataset: () => data }, localRunner);
    expect(s.usingDemo).toBe(true);
    expect(s.spec.inputs).toBe(2);
    config = {
      ...defaultConfig(),
      hidden: [{ units: 3, activation: 'relu', keepProb: 1 }],
      batchSize: 16,
      optimizer: 'sgd',
    };
    data = iris3;
    s.refresh();
    expect(s.usingDemo).toBe(false);
    expect(s.spec).toEqual({
      inputs: 2,
      hidden: [{ units: 3, activation: 'relu', keepProb: 1 }],
      outputs: 3,
      output: 'softmax',
    });
    expect(s.m).toBe(16);
    expect(s.formulas.panel?.summary).toContain('m = 16');
    config = { ...config, optimizer: 'gd' };
    s.refresh();
    expect(s.m).toBe(iris3.train.m);
  });

  it('caps the labs at fewer examples for big networks', () => {
    const small = new LearnSession({}, localRunner);
    expect(small.labExamples).toBe(1000);
    const wide: TrainConfig = {
      ...defaultConfig(),
      hidden: [
        { units: 128, activation: 'relu', keepProb: 1 },
        { units: 64, activation: 'relu', keepProb: 1 },
      ],
    };
    const big = new LearnSession(
      {
        config: () => wide,
        dataset: () => ({ ...iris3, featureNames: Array.from({ length: 784 }, (_, i) => `p${i}`) }),
      },
      localRunner,
    );
    expect(big.labExamples).toBe(Math.floor(2e7 / (128 * 785 + 64 * 129 + 3 * 65)));
    expect(big.labExamples).toBeGreaterThanOrEqual(100);
  });

  it('reports a formula error instead of throwing', () => {
    const bad = {
      ...defaultConfig(),
      hidden: [{ units: 0, activation: 'tanh' as const, keepProb: 1 }],
    };
    const s = new LearnSession({ config: () => bad }, localRunner);
    expect(s.formulas.panel).toBeNull();
    expect(s.formulas.error).toMatch(/Layer 1 has 0 units/);
  });

  it('runs the initialization lab and shows the zero-init symmetry', async () => {
    const s = new LearnSession({}, localRunner);
    s.labEpochs = 20;
    await s.runInitLab();
    expect(s.initLab.status).toBe('done');
    expect(s.initLab.results.map((r) => r.id)).toEqual(['zeros', 'random', 'xavier', 'he']);
    expect(s.initLab.results[0].after[0].unitSpread).toBe(0);
    expect(s.initLab.examples).toBe(demoDataset().train.m);
  });

  it('validates lab settings with messages naming the field', async () => {
    const s = new LearnSession({}, localRunner);
    s.labLearningRate = -1;
    await s.runInitLab();
    expect(s.initLab.status).toBe('error');
    expect(s.initLab.error).toMatch(/Lab learning rate must be/);
    s.labLearningRate = 0.3;
    s.regKeepProb = 1;
    await s.runRegLab();
    expect(s.regLab.error).toMatch(/Keep probability for the comparison/);
  });

  it('runs the regularization lab with a hint per variant; refuses an empty dev split', async () => {
    const s = new LearnSession({}, localRunner);
    s.labEpochs = 20;
    await s.runRegLab();
    expect(s.regLab.status).toBe('done');
    expect(s.regLab.results.map((r) => r.id)).toEqual(['none', 'l2', 'dropout', 'both']);
    for (const r of s.regLab.results)
      expect(['high-bias', 'high-variance', 'high-bias-and-variance', 'good']).toContain(
        s.hintFor(r).diagnosis,
      );
    const noDev = {
      ...demoDataset(),
      dev: { m: 0, x: new Float32Array(0), y: new Float32Array(0) },
    };
    const s2 = new LearnSession({ dataset: () => noDev }, localRunner);
    await s2.runRegLab();
    expect(s2.regLab.error).toMatch(/dev split is empty/);
  });

  it('gradient check: fresh network without a session, right verdicts', async () => {
    const s = new LearnSession({}, localRunner);
    await s.runGradientCheck();
    expect(s.gradCheck.status).toBe('done');
    expect(s.gradCheck.overall).toBe('right');
    expect(s.gradCheck.verdicts.every((v) => v === 'right')).toBe(true);
    expect(s.gradCheck.about).toMatch(/freshly initialized/);
  });

  it('inspects and steps the sandbox, then exports its network with the demo recipe', async () => {
    const runner = localRunner();
    const s = new LearnSession({}, () => runner);
    await s.buildExport();
    expect(s.exportError).toMatch(/no trained network yet/);
    await s.inspect();
    expect(s.inspectFrom).toBe('sandbox');
    expect(s.inspection?.step).toBe(0);
    await s.stepBatch();
    expect(s.inspection?.step).toBe(1);
    expect(s.inspectError).toBe('');
    await s.buildExport();
    expect(s.exportError).toBe('');
    expect(s.exportScript).toContain('Z1 = np.dot(W1, A0) + b1');
    expect(s.exportScript).toContain('"column": "x1"');
  });

  it('prefers the live session for inspection, gradient check and export', async () => {
    const net: SerializedNetwork = serialize(
      createNetwork(
        {
          inputs: 2,
          hidden: [
            { units: 8, activation: 'tanh', keepProb: 1 },
            { units: 8, activation: 'tanh', keepProb: 1 },
          ],
          outputs: 1,
          output: 'sigmoid',
        },
        { init: 'he', seed: 3 },
      ),
    );
    const calls: string[] = [];
    const sandbox = new InspectSandbox(demoDataset().train, {
      spec: net.spec,
      task: 'binary',
      init: 'he',
      seed: 3,
      batchSize: 8,
      learningRate: 0.1,
      lambda: 0,
    });
    const live: LearnTrainer = {
      inspect: async () => (calls.push('inspect'), sandbox.inspect()),
      gradientCheck: async () => (
        calls.push('gradientCheck'),
        {
          perLayer: [
            { layer: 1, relativeDifference: 2e-9 },
            { layer: 2, relativeDifference: 5e-4 },
          ],
          overall: 4e-4,
        }
      ),
      stepBatch: async () => void calls.push('stepBatch'),
      network: async () => (calls.push('network'), net),
    };
    const s = new LearnSession({ trainer: () => live, recipe: () => demoRecipe() }, localRunner);
    await s.inspect();
    await s.stepBatch();
    await s.runGradientCheck();
    await s.buildExport();
    expect(calls).toEqual(['inspect', 'stepBatch', 'inspect', 'gradientCheck', 'network']);
    expect(s.inspectFrom).toBe('session');
    expect(s.gradCheck.verdicts).toEqual(['right', 'suspicious']);
    expect(s.gradCheck.overall).toBe('suspicious');
    expect(s.exportScript).toContain(String(net.params[0].W[0]));
  });

  it('cancel ends the worker and marks a running lab cancelled', async () => {
    const runner = localRunner();
    let release: () => void = () => {};
    runner.run = () => new Promise((res) => (release = () => res([])));
    const s = new LearnSession({}, () => runner);
    const p = s.runInitLab();
    expect(s.initLab.status).toBe('running');
    s.cancelLabs();
    expect(runner.cancelled).toBe(1);
    expect(s.initLab.error).toBe('Cancelled.');
    release();
    await p;
  });
});

describe('following the live session', () => {
  it('re-inspects when the session moved and is not running, once per position', async () => {
    let progress = 'paused:0:1';
    let inspections = 0;
    const sandbox = new InspectSandbox(demoDataset().train, {
      spec: {
        inputs: 2,
        hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
        outputs: 1,
        output: 'sigmoid',
      },
      task: 'binary',
      init: 'he',
      seed: 1,
      batchSize: 8,
      learningRate: 0.1,
      lambda: 0,
    });
    const live: LearnTrainer = {
      inspect: async () => (inspections++, sandbox.inspect()),
      gradientCheck: async () => ({ perLayer: [], overall: 0 }),
      stepBatch: async () => {},
      network: async () => sandbox.network(),
    };
    const s = new LearnSession({ trainer: () => live, progress: () => progress }, localRunner);
    s.follow(progress); // nothing inspected yet: no following
    expect(inspections).toBe(0);
    await s.inspect();
    expect(inspections).toBe(1);
    s.follow(progress); // same position
    expect(inspections).toBe(1);
    progress = 'running:0:5';
    s.follow(progress); // running: wait
    expect(inspections).toBe(1);
    progress = 'paused:0:6';
    s.follow(progress);
    expect(inspections).toBe(2);
  });
});
