import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { createNetwork, serialize } from '../../../workers/core/network.ts';
import type { SerializedNetwork, TrainConfig } from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { createLabApi } from '../../../workers/labs/api.ts';
import { exampleData } from '../../../workers/labs/example.ts';
import { InspectSandbox } from '../../../workers/labs/sandbox.ts';
import { EXAMPLE_DATA, type LabInput } from '../../../workers/labs/types.ts';
import { defaultConfig } from './config.ts';
import { LearnSession, type LabRunner, type LearnTrainer } from './learn.svelte.ts';
import { exampleRecipe } from '../learn/recipe-export.ts';

/** The labs' worker API, run in this thread. */
function localRunner(): LabRunner & { cancelled: number; inputs: LabInput[] } {
  const api = createLabApi();
  const r = {
    cancelled: 0,
    inputs: [] as LabInput[],
    initLab: async (...a: Parameters<LabRunner['initLab']>) => (
      r.inputs.push(a[0]),
      api.initLab(...a)
    ),
    regularizationLab: async (...a: Parameters<LabRunner['regularizationLab']>) =>
      api.regularizationLab(...a),
    sandboxStart: async (...a: Parameters<LabRunner['sandboxStart']>) => api.sandboxStart(...a),
    sandboxStep: async () => api.sandboxStep(),
    sandboxNetwork: async () => api.sandboxNetwork(),
    gradientCheck: async (...a: Parameters<LabRunner['gradientCheck']>) => api.gradientCheck(...a),
    cancel: () => {
      r.cancelled++;
    },
  };
  return r;
}

/** The example data as a prepared dataset, with another task and target. */
function prepared(over: Partial<PreparedDataset> = {}): PreparedDataset {
  const d = exampleData();
  const split = (s: typeof d.train) => ({
    m: s.m,
    x: Float32Array.from(s.x),
    y: Float32Array.from(s.y),
  });
  return {
    task: d.task,
    targetName: 'inside',
    featureNames: ['x1', 'x2'],
    classLabels: ['outside', 'inside'],
    targetScale: null,
    train: split(d.train),
    dev: split(d.dev),
    test: split(d.dev),
    ...over,
  };
}

const iris3: PreparedDataset = (() => {
  const d = prepared();
  return {
    ...d,
    task: 'multiclass',
    classLabels: ['a', 'b', 'c'],
    targetName: 'kind',
    train: { ...d.train, y: new Float32Array(3 * d.train.m).map((_, i) => (i % 3 === 0 ? 1 : 0)) },
  };
})();

beforeAll(() => i18n.use('en', false));

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

  it('builds the spec as the trainer does: n_y from the rows of Y, the output from the task', () => {
    const regression = prepared({ task: 'regression', classLabels: [], targetName: 'r' });
    const s = new LearnSession({ dataset: () => regression }, localRunner);
    expect(s.spec.output).toBe('linear');
    expect(s.spec.outputs).toBe(1);
    expect(s.formulas.panel?.sections.find((x) => x.id === 'cost')?.formulas[0].caption).toMatch(
      /squared error/,
    );
    const binary = new LearnSession({ dataset: () => prepared() }, localRunner);
    expect(binary.spec.output).toBe('sigmoid');
    expect(new LearnSession({ dataset: () => iris3 }, localRunner).spec.outputs).toBe(3);
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

  it('runs the initialization lab on the example data and shows the zero-init symmetry', async () => {
    const runner = localRunner();
    const s = new LearnSession({}, () => runner);
    s.labs.labEpochs = 20;
    await s.labs.runInitLab();
    const lab = s.labs.initLab;
    expect(lab.status).toBe('done');
    expect(lab.results.map((r) => r.id)).toEqual(['zeros', 'random', 'xavier', 'he']);
    expect(lab.results[0].after[0].unitSpread).toBe(0);
    expect(lab.results.every((r) => r.epochsRun === 20)).toBe(true);
    expect(lab.examples).toBe(EXAMPLE_DATA.splits.train.m);
    // The example's numbers are made in the worker: the page sends none.
    expect(runner.inputs[0].data).toBeNull();
  });

  it('sends the prepared splits to the labs, capped at labExamples', async () => {
    const d = prepared();
    const m = 1300;
    const x = new Float32Array(2 * m).map((_, i) => d.train.x[i % d.train.x.length]);
    const y = new Float32Array(m).map((_, i) => d.train.y[i % d.train.m]);
    const big = { ...d, train: { m, x, y } };
    const runner = localRunner();
    const s = new LearnSession({ dataset: () => big }, () => runner);
    s.labs.labEpochs = 1;
    await s.labs.runInitLab();
    expect(s.labs.initLab.status).toBe('done');
    expect(runner.inputs[0].data?.train).toBe(big.train);
    expect(runner.inputs[0].maxExamples).toBe(s.labExamples);
    expect(s.labs.initLab.examples).toBe(1000);
  });

  it('validates lab settings with messages naming the field', async () => {
    const s = new LearnSession({}, localRunner);
    s.labs.labLearningRate = -1;
    await s.labs.runInitLab();
    expect(s.labs.initLab.status).toBe('error');
    expect(s.labs.initLab.error).toMatch(/Lab learning rate must be/);
    s.labs.labLearningRate = 0.3;
    s.labs.labEpochs = 2.5;
    await s.labs.runInitLab();
    expect(s.labs.initLab.error).toMatch(/Lab epochs must be a whole number/);
    s.labs.labEpochs = 10;
    s.labs.regLambda = 0;
    await s.labs.runRegLab();
    expect(s.labs.regLab.error).toMatch(/L2 lambda for the comparison/);
    s.labs.regLambda = 0.7;
    s.labs.regKeepProb = 1;
    await s.labs.runRegLab();
    expect(s.labs.regLab.error).toMatch(/Keep probability for the comparison/);
  });

  it('runs the regularization lab with a hint per variant; refuses an empty dev split', async () => {
    const s = new LearnSession({}, localRunner);
    s.labs.labEpochs = 20;
    await s.labs.runRegLab();
    expect(s.labs.regLab.status).toBe('done');
    expect(s.labs.regLab.results.map((r) => r.id)).toEqual(['none', 'l2', 'dropout', 'both']);
    for (const r of s.labs.regLab.results) {
      expect(['high-bias', 'high-variance', 'high-bias-and-variance', 'good']).toContain(
        s.labs.hintFor(r).diagnosis,
      );
      expect(r.final.train).toBeCloseTo(1 - r.curves.trainAccuracy[19], 12);
    }
    const noDev = prepared({ dev: { m: 0, x: new Float32Array(0), y: new Float32Array(0) } });
    const s2 = new LearnSession({ dataset: () => noDev }, localRunner);
    await s2.labs.runRegLab();
    expect(s2.labs.regLab.error).toMatch(/dev split is empty/);
  });

  it('gradient check: fresh network without a session, right verdicts', async () => {
    const s = new LearnSession({}, localRunner);
    await s.runGradientCheck();
    expect(s.gradCheck.status).toBe('done');
    expect(s.gradCheck.overall).toBe('right');
    expect(s.gradCheck.verdicts.every((v) => v === 'right')).toBe(true);
    expect(s.gradCheck.about).toMatch(/freshly initialized/);
    expect(s.gradCheck.about).toContain('on the first 16 training examples');
  });

  it('gradient check: the sandbox parameters once the sandbox was inspected', async () => {
    const runner = localRunner();
    const s = new LearnSession({}, () => runner);
    await s.inspect();
    await s.stepBatch();
    await s.runGradientCheck();
    expect(s.gradCheck.status).toBe('done');
    expect(s.gradCheck.overall).toBe('right');
    expect(s.gradCheck.about).toMatch(/inspection sandbox's current parameters/);
  });

  it('gradient check: an empty training split gets a clear message', async () => {
    const empty = prepared({ train: { m: 0, x: new Float32Array(0), y: new Float32Array(0) } });
    const s = new LearnSession({ dataset: () => empty }, localRunner);
    await s.runGradientCheck();
    expect(s.gradCheck.status).toBe('error');
    expect(s.gradCheck.error).toMatch(/training split is empty/);
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
    const sandbox = new InspectSandbox(exampleData().train, {
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
    const s = new LearnSession({ trainer: () => live, recipe: () => exampleRecipe() }, localRunner);
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
    runner.initLab = () =>
      new Promise((res) => (release = () => res({ examples: 1, results: [] })));
    const s = new LearnSession({}, () => runner);
    const p = s.labs.runInitLab();
    expect(s.labs.initLab.status).toBe('running');
    s.cancelLabs();
    expect(runner.cancelled).toBe(1);
    expect(s.labs.initLab.error).toBe('Cancelled.');
    release();
    await p;
    // A late answer does not bring a cancelled lab back.
    expect(s.labs.initLab.status).toBe('error');
  });
});

describe('following the live session', () => {
  it('re-inspects when the session moved and is not running, once per position', async () => {
    let progress = 'paused:0:1';
    let inspections = 0;
    const sandbox = new InspectSandbox(exampleData().train, {
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
