import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BATCH, PlannedTrainer, type SplitData } from './train.ts';
import { createNetwork, forwardBackward, gdStep, matrix } from './network.ts';
import { createRng } from './rng.ts';
import { CTRL } from './types.ts';
import { singleThreadKernels } from './kernels/select.ts';
import type { NetworkSpec, Task, TrainConfig } from './types.ts';
import { english, englishOf } from '../store/english.test-support.ts';

/** What `f` throws, in English as the page shows it. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return englishOf(e);
  }
  return 'nothing thrown';
}

const base: TrainConfig = {
  hidden: [],
  init: 'xavier',
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 16,
  epochs: 5,
  lambda: 0,
  seed: 7,
  beta1: 0.9,
  beta2: 0.999,
};

/** Two noisy interleaved classes in 2-D (features x examples). */
function blobs(
  m: number,
  seed: number,
  classes = 2,
): { x: Float32Array; y: Float32Array; m: number; ny: number } {
  const r = createRng(seed);
  const ny = classes === 2 ? 1 : classes;
  const x = new Float32Array(2 * m),
    y = new Float32Array(ny * m);
  for (let j = 0; j < m; j++) {
    const k = r.int(classes);
    const ang = (2 * Math.PI * k) / classes;
    x[j] = Math.cos(ang) + 0.5 * r.gaussian();
    x[m + j] = Math.sin(ang) + 0.5 * r.gaussian();
    if (classes === 2) y[j] = k;
    else y[k * m + j] = 1;
  }
  return { x, y, m, ny };
}

function makeTrainer(
  spec: NetworkSpec,
  cfg: Partial<TrainConfig>,
  train: SplitData,
  task: Task,
  dev?: SplitData,
) {
  return new PlannedTrainer({
    spec,
    config: { ...base, hidden: spec.hidden, ...cfg },
    task,
    data: { train, dev },
  });
}

describe('planned trainer (float32, arena) against the float64 library', () => {
  const spec: NetworkSpec = {
    inputs: 2,
    outputs: 1,
    output: 'sigmoid',
    hidden: [
      { units: 5, activation: 'tanh', keepProb: 1 },
      { units: 3, activation: 'relu', keepProb: 1 },
    ],
  };
  const d = blobs(64, 3);

  it('computes the same gradients as forwardBackward on the same mini-batch, with L2 and dropout', () => {
    for (const g of ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear'] as const) {
      for (const [out, ny, data] of [
        ['sigmoid', 1, blobs(40, 1)],
        ['softmax', 3, blobs(40, 2, 3)],
      ] as const) {
        const s: NetworkSpec = {
          inputs: 2,
          outputs: ny,
          output: out,
          hidden: [
            { units: 6, activation: g, keepProb: 0.8 },
            { units: 4, activation: g, keepProb: 1 },
          ],
        };
        const t = makeTrainer(
          s,
          { lambda: 0.3, batchSize: 8 },
          data,
          ny === 1 ? 'binary' : 'multiclass',
        );
        const before = t.params();
        expect(t.trainBatch()).toBe(BATCH.OK);
        const ins = t.inspect();
        const ref = forwardBackward(
          createNetwork(s, before),
          matrix(2, ins.m, ins.X),
          matrix(ny, ins.m, ins.Y),
          {
            lambda: 0.3,
            masks: [null, ins.layers[0].D ? matrix(6, ins.m, ins.layers[0].D) : null],
          },
        );
        for (let l = 1; l <= 3; l++) {
          const L = ins.layers[l - 1];
          L.dW.forEach((v, i) => expect(v).toBeCloseTo(ref.dW[l].data[i], 5));
          L.db.forEach((v, i) => expect(v).toBeCloseTo(ref.db[l].data[i], 5));
          L.A.forEach((v, i) => expect(v).toBeCloseTo(ref.A[l].data[i], 5));
        }
      }
    }
  });

  it('batch gradient descent stays within 1e-4 of float64 gradient descent after 200 epochs', () => {
    const t = makeTrainer(
      spec,
      { optimizer: 'gd', learningRate: 0.5, epochs: 200, lambda: 0.1 },
      d,
      'binary',
    );
    const net = createNetwork(spec, t.params());
    const X = matrix(2, d.m, d.x),
      Y = matrix(1, d.m, d.y);
    for (let e = 0; e < 200; e++) {
      gdStep(net, forwardBackward(net, X, Y, { lambda: 0.1 }), 0.5);
      t.trainEpoch();
    }
    const p = t.params();
    let maxDiff = 0;
    for (let l = 1; l <= 3; l++)
      p[l - 1].W.forEach((v, i) => {
        maxDiff = Math.max(maxDiff, Math.abs(v - net.W[l].data[i]));
      });
    expect(maxDiff).toBeLessThan(1e-4);
    const last = t.historyRows().at(-1)!;
    expect(last.trainLoss).toBeCloseTo(forwardBackward(net, X, Y).cost.crossEntropy, 3);
    expect(t.finished).toBe(true);
  });
});

describe('WebAssembly kernels and activations', () => {
  it('train like the TypeScript path (within float32 tolerance) and deterministically', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 3,
      output: 'softmax',
      hidden: [
        { units: 9, activation: 'sigmoid', keepProb: 1 },
        { units: 7, activation: 'tanh', keepProb: 0.9 },
      ],
    };
    const d = blobs(150, 5, 3);
    const run = (fast: boolean) => {
      const t = new PlannedTrainer({
        spec,
        task: 'multiclass',
        config: {
          ...base,
          hidden: spec.hidden,
          optimizer: 'adam',
          learningRate: 0.01,
          epochs: 3,
          batchSize: 25,
        },
        data: { train: d },
        kernels: fast ? (a) => singleThreadKernels(a, 'auto') : undefined,
        elementwise: fast ? 'wasm' : 'js',
      });
      while (!t.finished) t.trainEpoch();
      return t;
    };
    const fast = run(true),
      again = run(true),
      ref = run(false);
    expect(fast.kernels.name).toMatch(/^wasm-/);
    expect(fast.elementwise).toBe('wasm');
    expect(fast.params()).toEqual(again.params());
    const a = fast.params(),
      b = ref.params();
    for (let l = 0; l < 3; l++)
      a[l].W.forEach((w, i) => expect(Math.abs(w - b[l].W[i])).toBeLessThan(1e-4));
    expect(fast.historyRows()[2].trainLoss).toBeCloseTo(ref.historyRows()[2].trainLoss, 4);
  });
});

describe('determinism', () => {
  it('gives identical curves and parameters, bit for bit, for the same seed (adam, dropout, shuffling)', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 3,
      output: 'softmax',
      hidden: [{ units: 8, activation: 'relu', keepProb: 0.8 }],
    };
    const d = blobs(200, 5, 3);
    const run = (seed: number) => {
      const t = makeTrainer(
        spec,
        { optimizer: 'adam', learningRate: 0.01, epochs: 4, seed, batchSize: 32 },
        d,
        'multiclass',
        blobs(50, 6, 3),
      );
      while (!t.finished) t.trainEpoch();
      return {
        h: t.historyRows().map((r) => [r.trainLoss, r.devLoss, r.trainAccuracy, r.devAccuracy]),
        p: t.params(),
      };
    };
    const a = run(11),
      b = run(11),
      c = run(12);
    expect(a.h).toEqual(b.h);
    expect(a.p).toEqual(b.p);
    expect(a.h).not.toEqual(c.h);
  });
});

describe('training behaviour', () => {
  it('keeps hidden units identical with zero initialization', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 4, activation: 'sigmoid', keepProb: 1 }],
    };
    const t = makeTrainer(
      spec,
      { init: 'zeros', epochs: 20, learningRate: 1 },
      blobs(100, 2),
      'binary',
    );
    while (!t.finished) t.trainEpoch();
    const [l1, l2] = t.params();
    expect(l1.W.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    for (let i = 1; i < 4; i++) {
      expect(l1.W[i * 2]).toBe(l1.W[0]);
      expect(l1.W[i * 2 + 1]).toBe(l1.W[1]);
      expect(l1.b[i]).toBe(l1.b[0]);
      expect(l2.W[i]).toBe(l2.W[0]);
    }
  });

  it('every optimizer lowers the loss on a separable problem', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 6, activation: 'tanh', keepProb: 1 }],
    };
    for (const [optimizer, learningRate] of [
      ['gd', 1],
      ['sgd', 0.3],
      ['momentum', 0.3],
      ['adam', 0.02],
    ] as const) {
      const t = makeTrainer(
        spec,
        { optimizer, learningRate, epochs: 30 },
        blobs(300, 9),
        'binary',
        blobs(100, 10),
      );
      while (!t.finished) t.trainEpoch();
      const h = t.historyRows();
      expect(h).toHaveLength(30);
      expect(h[29].trainLoss).toBeLessThan(h[0].trainLoss);
      expect(h[29].devAccuracy).toBeGreaterThan(0.8);
    }
  });

  it('momentum and Adam follow their update rules step by step (against float64 by hand)', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
    };
    const d = blobs(20, 4);
    const X = matrix(2, 20, d.x),
      Y = matrix(1, 20, d.y);
    for (const optimizer of ['momentum', 'adam'] as const) {
      // one batch = all 20 examples (shuffled order does not change the sums beyond rounding)
      const t = makeTrainer(
        spec,
        { optimizer, learningRate: 0.05, batchSize: 20, epochs: 3, beta1: 0.9, beta2: 0.999 },
        d,
        'binary',
      );
      const net = createNetwork(spec, t.params());
      const params = [net.W[1], net.b[1], net.W[2], net.b[2]];
      const v = params.map((w) => new Float64Array(w.data.length));
      const sq = params.map((w) => new Float64Array(w.data.length));
      for (let step = 1; step <= 3; step++) {
        const g = forwardBackward(net, X, Y);
        const grads = [g.dW[1], g.db[1], g.dW[2], g.db[2]];
        for (let l = 0; l < 4; l++) {
          const W = params[l].data,
            dW = grads[l].data;
          for (let i = 0; i < W.length; i++) {
            if (optimizer === 'momentum') {
              v[l][i] = 0.9 * v[l][i] + 0.1 * dW[i]; // v = beta v + (1 - beta) dW
              W[i] -= 0.05 * v[l][i];
            } else {
              v[l][i] = 0.9 * v[l][i] + 0.1 * dW[i];
              sq[l][i] = 0.999 * sq[l][i] + 0.001 * dW[i] * dW[i];
              const vh = v[l][i] / (1 - 0.9 ** step),
                sh = sq[l][i] / (1 - 0.999 ** step);
              W[i] -= (0.05 * vh) / (Math.sqrt(sh) + 1e-7);
            }
          }
        }
        t.trainBatch();
        const p = t.params();
        for (let l = 1; l <= 2; l++) {
          p[l - 1].W.forEach((w, i) => expect(w).toBeCloseTo(net.W[l].data[i], 5));
          p[l - 1].b.forEach((b, i) => expect(b).toBeCloseTo(net.b[l].data[i], 5));
        }
      }
    }
  });

  it('regression: RMSE and R^2 in the original units', () => {
    const r = createRng(4);
    const m = 200;
    const x = new Float32Array(m),
      y = new Float32Array(m);
    for (let j = 0; j < m; j++) {
      x[j] = r.gaussian();
      y[j] = 2 * x[j] + 0.1 * r.gaussian();
    }
    const spec: NetworkSpec = { inputs: 1, outputs: 1, output: 'linear', hidden: [] };
    const t = new PlannedTrainer({
      spec,
      task: 'regression',
      targetScale: { mean: 100, std: 10 },
      config: { ...base, optimizer: 'gd', learningRate: 0.5, epochs: 100 },
      data: { train: { m, x, y }, test: { m, x, y } },
    });
    while (!t.finished) t.trainEpoch();
    const ev = t.evaluate('test');
    expect(ev.rmse).toBeGreaterThan(0.5); // noise 0.1 standardized units x std 10 = about 1
    expect(ev.rmse).toBeLessThan(1.5);
    expect(ev.r2).toBeGreaterThan(0.99);
    expect(Number.isNaN(ev.accuracy)).toBe(true);
    const p = t.predict(new Float32Array([1]), 1);
    expect(p[0]).toBeCloseTo(100 + 10 * 2, 0);
  });

  it('stops at the batch where the loss diverges, rolls back to finite parameters and says why', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 1,
      output: 'linear',
      hidden: [{ units: 8, activation: 'relu', keepProb: 1 }],
    };
    const d = blobs(100, 1);
    const t = makeTrainer(spec, { learningRate: 50, epochs: 50 }, d, 'regression');
    let r: number = BATCH.OK;
    while (r !== BATCH.DIVERGED && r !== BATCH.DONE) r = t.trainBatch();
    expect(r).toBe(BATCH.DIVERGED);
    expect(t.divergence).not.toBeNull();
    expect(english(t.divergence!.cause)).toMatch(
      /^The learning rate 50 is too high: (the loss (grew to infinity|became NaN \(not a number\)) at epoch \d+|at epoch \d+ the loss grew to [\d,.]+, more than 10 times its best)\.$/,
    );
    // Without a range test (the session runs one), the fix divides the rate by ten.
    expect(t.divergence!.fix.learningRate).toBe(5);
    expect(english(t.divergence!.fix.label)).toBe('Lower the learning rate to 5');
    expect(t.params().every((p) => p.W.every(Number.isFinite) && p.b.every(Number.isFinite))).toBe(
      true,
    );
    expect(t.trainBatch()).toBe(BATCH.DIVERGED);
  });

  it('names an unscaled column when it is the likely cause', () => {
    const d = blobs(100, 1);
    for (let j = 0; j < 100; j++) d.x[100 + j] *= 1e5;
    const spec: NetworkSpec = { inputs: 2, outputs: 1, output: 'linear', hidden: [] };
    const t = new PlannedTrainer({
      spec,
      task: 'regression',
      featureNames: ['age', 'income'],
      config: { ...base, learningRate: 0.5, epochs: 20 },
      data: { train: d },
    });
    while (!t.finished) t.trainEpoch();
    expect(english(t.divergence!.cause)).toMatch(/^Column income is not scaled: its values reach/);
    expect(english(t.divergence!.fix.label)).toBe(
      'Standardize column income in the recipe, or lower the learning rate to 0.05',
    );
  });

  it('allocates its arena once and writes control counters and history into it', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 4, activation: 'relu', keepProb: 0.5 }],
    };
    const t = makeTrainer(spec, { epochs: 2, batchSize: 10 }, blobs(45, 1), 'binary');
    expect(t.arena.shared).toBe(true);
    const buf = t.arena.buffer;
    t.trainEpoch();
    expect(Atomics.load(t.ctrl, CTRL.EPOCH)).toBe(1);
    expect(Atomics.load(t.ctrl, CTRL.BATCHES_PER_EPOCH)).toBe(5);
    expect(Atomics.load(t.ctrl, CTRL.TOTAL_STEPS)).toBe(5);
    expect(Atomics.load(t.ctrl, CTRL.LAST_COLS)).toBe(5); // 45 = 4 x 10 + 5
    expect(t.history[0]).toBe(1);
    const ins = t.inspect(3);
    expect([ins.m, ins.batchM]).toEqual([3, 5]);
    expect(ins.X).toHaveLength(2 * 3);
    expect(ins.layers[0].Z).toHaveLength(4 * 3);
    expect(ins.layers[0].D).toHaveLength(4 * 3);
    expect(ins.layers[0].W).toHaveLength(4 * 2);
    expect(t.inspect().layers[0].A).toHaveLength(4 * 5);
    expect(t.arena.buffer).toBe(buf);
  });

  it('rejects a bad config or data with a message naming the field', () => {
    const spec: NetworkSpec = { inputs: 2, outputs: 1, output: 'sigmoid', hidden: [] };
    expect(thrown(() => makeTrainer(spec, { learningRate: -1 }, blobs(10, 1), 'binary'))).toBe(
      'Learning rate: must be a positive number (got -1).',
    );
    expect(thrown(() => makeTrainer(spec, { batchSize: 0 }, blobs(10, 1), 'binary'))).toMatch(
      /^Batch size/,
    );
    expect(() =>
      makeTrainer(spec, {}, { m: 10, x: new Float32Array(19), y: new Float32Array(10) }, 'binary'),
    ).toThrow("The train split's X should be 2 x 10 (20 values) but has 19.");
  });
});

describe('input checks and fallbacks', () => {
  it('names the column and example of a value that is not a number', () => {
    const spec: NetworkSpec = { inputs: 2, outputs: 1, output: 'sigmoid', hidden: [] };
    const d = blobs(10, 1);
    d.x[10 + 3] = NaN;
    expect(
      thrown(
        () =>
          new PlannedTrainer({
            spec,
            task: 'binary',
            featureNames: ['age', 'income'],
            config: base,
            data: { train: d },
          }),
      ),
    ).toBe(
      'Column income has a value that is not a number (NaN) in example 4 of the train split. Fill in or drop missing values in the recipe.',
    );
  });

  it('trains the same on a plain (non-shared) memory', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 4, activation: 'relu', keepProb: 0.9 }],
    };
    const d = blobs(64, 2);
    const run = (shared: boolean) => {
      const t = new PlannedTrainer({
        spec,
        task: 'binary',
        config: { ...base, hidden: spec.hidden, epochs: 3 },
        data: { train: d },
        shared,
      });
      while (!t.finished) t.trainEpoch();
      return t;
    };
    const a = run(false),
      b = run(true);
    expect(a.arena.shared).toBe(false);
    expect(a.arena.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(b.arena.shared).toBe(true);
    expect(a.params()).toEqual(b.params());
  });
});

describe('resuming a checkpoint', () => {
  it('trains the remaining epochs from the saved parameters and numbers them on', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 4, activation: 'tanh', keepProb: 1 }],
    };
    const d = blobs(64, 2);
    const first = makeTrainer(spec, { optimizer: 'gd', learningRate: 0.5, epochs: 3 }, d, 'binary');
    while (!first.finished) first.trainEpoch();
    const t = new PlannedTrainer({
      spec,
      task: 'binary',
      config: { ...base, hidden: spec.hidden, optimizer: 'gd', learningRate: 0.5, epochs: 5 },
      data: { train: d },
      params: first.params(),
      startEpoch: 3,
    });
    expect(t.params()).toEqual(first.params());
    expect(Atomics.load(t.ctrl, CTRL.EPOCH)).toBe(3);
    expect(Atomics.load(t.ctrl, CTRL.EPOCHS)).toBe(5);
    while (!t.finished) t.trainEpoch();
    expect(t.historyRows().map((r) => r.epoch)).toEqual([4, 5]);
    // batch gradient descent has no randomness: 3 + 2 epochs equal 5 epochs in one go
    const whole = makeTrainer(spec, { optimizer: 'gd', learningRate: 0.5, epochs: 5 }, d, 'binary');
    while (!whole.finished) whole.trainEpoch();
    expect(t.params()).toEqual(whole.params());
    expect(
      thrown(
        () =>
          new PlannedTrainer({
            spec,
            task: 'binary',
            config: { ...base, epochs: 3 },
            data: { train: d },
            startEpoch: 3,
          }),
      ),
    ).toMatch(/cannot resume after epoch 3/);
  });
});

describe('a real dataset', () => {
  it('iris (seeded 120/30 split, 4-8-3 tanh, Adam): test accuracy at least 0.93', () => {
    const rows = readFileSync(new URL('../../static/samples/iris.csv', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const labels = [...new Set(rows.map((r) => r[4]))];
    expect(labels).toHaveLength(3);
    const order = Array.from(rows.keys());
    createRng(1).shuffle(order);
    const feats = rows.map((r) => r.slice(0, 4).map(Number));
    const mean = [0, 1, 2, 3].map((f) => feats.reduce((s, v) => s + v[f], 0) / feats.length);
    const std = [0, 1, 2, 3].map((f) =>
      Math.sqrt(feats.reduce((s, v) => s + (v[f] - mean[f]) ** 2, 0) / feats.length),
    );
    const split = (idx: number[]): SplitData => {
      const m = idx.length,
        x = new Float32Array(4 * m),
        y = new Float32Array(3 * m);
      idx.forEach((r, j) => {
        for (let f = 0; f < 4; f++) x[f * m + j] = (feats[r][f] - mean[f]) / std[f];
        y[labels.indexOf(rows[r][4]) * m + j] = 1;
      });
      return { m, x, y };
    };
    const spec: NetworkSpec = {
      inputs: 4,
      outputs: 3,
      output: 'softmax',
      hidden: [{ units: 8, activation: 'tanh', keepProb: 1 }],
    };
    const t = new PlannedTrainer({
      spec,
      task: 'multiclass',
      config: {
        ...base,
        hidden: spec.hidden,
        optimizer: 'adam',
        learningRate: 0.01,
        epochs: 100,
        batchSize: 16,
      },
      data: { train: split(order.slice(0, 120)), test: split(order.slice(120)) },
    });
    while (!t.finished) t.trainEpoch();
    const ev = t.evaluate('test');
    expect(ev.m).toBe(30);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.93);
  });
});
