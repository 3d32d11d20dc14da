// What the planned trainer does at an epoch's end: early stopping keeps the best epoch's parameters,
// a finite blow-up ends the run and rolls back to the best finite parameters, and the doctor says so.
import { describe, expect, it } from 'vitest';
import { BATCH, PlannedTrainer, type SplitData } from './train.ts';
import { createRng } from './rng.ts';
import { CTRL, PLATEAU_MARGIN, type NetworkSpec, type TrainConfig } from './types.ts';
import { english } from '../store/english.test-support.ts';

const base: TrainConfig = {
  hidden: [{ units: 32, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.02,
  batchSize: 8,
  epochs: 300,
  lambda: 0,
  seed: 11,
  beta1: 0.9,
  beta2: 0.999,
};

/** y = x1 - x2 + noise, (3, m) inputs: few examples and a wide network overfit. */
function regression(m: number, seed: number): SplitData {
  const r = createRng(seed);
  const x = new Float32Array(3 * m).map(() => r.gaussian());
  const y = new Float32Array(m).map((_, j) => x[j] - x[m + j] + 0.8 * r.gaussian());
  return { m, x, y };
}

/** Three blobs, one-hot Y (3, m). */
function blobs(m: number, seed: number): SplitData {
  const r = createRng(seed);
  const x = new Float32Array(2 * m),
    y = new Float32Array(3 * m);
  for (let j = 0; j < m; j++) {
    const k = j % 3;
    x[j] = Math.cos((2 * Math.PI * k) / 3) + 0.4 * r.gaussian();
    x[m + j] = Math.sin((2 * Math.PI * k) / 3) + 0.4 * r.gaussian();
    y[k * m + j] = 1;
  }
  return { m, x, y };
}

const regSpec: NetworkSpec = { inputs: 3, outputs: 1, output: 'linear', hidden: base.hidden };
const clsSpec: NetworkSpec = { inputs: 2, outputs: 3, output: 'softmax', hidden: base.hidden };

function regTrainer(cfg: Partial<TrainConfig>) {
  return new PlannedTrainer({
    spec: regSpec,
    task: 'regression',
    config: { ...base, ...cfg },
    data: { train: regression(40, 1), dev: regression(40, 2) },
  });
}

function runToEnd(t: PlannedTrainer): number {
  let r: number = BATCH.OK;
  while (r !== BATCH.DONE && r !== BATCH.DIVERGED) r = t.trainBatch();
  return r;
}

describe('early stopping', () => {
  it("stops `patience` epochs after the best dev loss and keeps that epoch's parameters", () => {
    const t = regTrainer({ patience: 10 });
    expect(runToEnd(t)).toBe(BATCH.DONE);
    const rows = t.historyRows();
    expect(t.watch.stopped).toBe(true);
    expect(rows.length).toBeLessThan(base.epochs);
    // the kept epoch has the lowest dev loss of the run, and the run stopped `patience` epochs later
    const devs = rows.map((r) => r.devLoss);
    const lowest = devs.indexOf(Math.min(...devs)) + 1;
    expect(t.keptEpoch).toBe(lowest);
    expect(rows.length - t.keptEpoch).toBe(10);
    expect(Atomics.load(t.ctrl, CTRL.BEST_EPOCH)).toBe(lowest);
    // the parameters are that epoch's: the dev pass gives that epoch's dev loss again, to the bit
    expect(t.evaluate('dev').loss).toBe(rows[lowest - 1].devLoss);
    expect(t.evaluate('dev').loss).toBeLessThan(rows.at(-1)!.devLoss);
  });

  it('off (patience 0 or absent): every epoch runs and the last parameters stay', () => {
    for (const cfg of [{ patience: 0 }, {}]) {
      const t = regTrainer({ ...cfg, epochs: 60 });
      expect(runToEnd(t)).toBe(BATCH.DONE);
      expect(t.historyRows()).toHaveLength(60);
      expect(t.keptEpoch).toBe(60);
      expect(t.evaluate('dev').loss).toBe(t.historyRows().at(-1)!.devLoss);
    }
  });

  it('a run that ends before patience runs out still keeps its best epoch', () => {
    const t = regTrainer({ patience: 200, epochs: 80 });
    runToEnd(t);
    const rows = t.historyRows();
    expect(rows).toHaveLength(80);
    expect(t.watch.stopped).toBe(false);
    expect(t.keptEpoch).toBeLessThan(80);
    expect(t.evaluate('dev').loss).toBe(rows[t.keptEpoch - 1].devLoss);
  });
});

describe('finite blow-ups', () => {
  it("a loss that grows past ten times the constant prediction's ends the run at that epoch, back to the initial weights", () => {
    const make = (lr: number) =>
      new PlannedTrainer({
        spec: clsSpec,
        task: 'multiclass',
        config: { ...base, learningRate: lr, batchSize: 16 },
        data: { train: blobs(105, 3), dev: blobs(30, 4) },
      });
    const initial = make(1).params();
    const t = make(1e6);
    expect(runToEnd(t)).toBe(BATCH.DIVERGED);
    const d = t.divergence!;
    expect(d.kind).toBe('blowup');
    expect(Number.isFinite(d.loss)).toBe(true);
    expect(d.epoch).toBe(1);
    expect(d.step).toBe(0);
    expect(d.restoredEpoch).toBe(0);
    // the blown-up epoch is in the history, so the curve shows it
    expect(t.historyRows()).toHaveLength(1);
    expect(t.historyRows()[0].trainLoss).toBe(d.loss);
    expect(t.params()).toEqual(initial);
    expect(english(d.cause)).toMatch(
      /^The learning rate 1,000,000 is too high: at epoch 1 the loss grew to [\d,.]+, more than 10 times its best\.$/,
    );
    expect(d.fix.learningRate).toBe(1e5);
  });

  it("after good epochs, a blow-up rolls back to the best epoch's parameters", () => {
    const t = new PlannedTrainer({
      spec: clsSpec,
      task: 'multiclass',
      config: { ...base, learningRate: 0.01, batchSize: 16 },
      data: { train: blobs(105, 3), dev: blobs(30, 4) },
    });
    for (let e = 0; e < 8; e++) t.trainEpoch();
    const best = t.watch.bestEpoch;
    expect(best).toBeGreaterThan(0);
    const bestDev = t.historyRows()[best - 1].devLoss;
    t.setLearningRate(1e6);
    expect(runToEnd(t)).toBe(BATCH.DIVERGED);
    expect(['blowup', 'plateau', 'nan', 'infinite']).toContain(t.divergence!.kind);
    expect(t.divergence!.restoredEpoch).toBe(best);
    expect(t.evaluate('dev').loss).toBe(bestDev);
  });

  it('a learning rate too low is never taken for a plateau', () => {
    const t = new PlannedTrainer({
      spec: clsSpec,
      task: 'multiclass',
      config: { ...base, init: 'he', optimizer: 'sgd', learningRate: 1e-6, epochs: 40 },
      data: { train: blobs(105, 3), dev: blobs(30, 4) },
    });
    expect(runToEnd(t)).toBe(BATCH.DONE);
    expect(t.divergence).toBeNull();
    // the whole run stayed above the plateau's bar, yet its loss kept going down
    const rows = t.historyRows();
    expect(rows.every((r) => r.trainLoss > PLATEAU_MARGIN * t.watch.baseline)).toBe(true);
    expect(rows.at(-1)!.trainLoss).toBeLessThan(rows[0].trainLoss);
  });
});
