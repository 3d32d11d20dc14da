// The planned trainer's resume state: a trainer built from a checkpoint's parameters and state
// continues the run as if it had never stopped, history timings and divergence rollback included.
import { plainResume } from './packed.ts';
import { describe, expect, it } from 'vitest';
import { BATCH, PlannedTrainer, type PlannedTrainerInput } from './train.ts';
import { createRng } from './rng.ts';
import { CTRL, type NetworkSpec, type ResumeState, type TrainConfig } from './types.ts';

function data(m: number, seed: number, scale = 1) {
  const r = createRng(seed);
  const x = new Float32Array(3 * m).map(() => scale * r.gaussian());
  const y = new Float32Array(m).map((_, j) => x[j] - 2 * x[m + j] + 0.1 * r.gaussian());
  return { m, x, y };
}

const spec: NetworkSpec = {
  inputs: 3,
  outputs: 1,
  output: 'linear',
  hidden: [{ units: 5, activation: 'leaky_relu', keepProb: 0.75 }],
};

/** A clock that moves 1 ms per reading: the same readings in the same order give the same timings. */
function counter(): () => number {
  let t = 0;
  return () => ++t;
}

function trainer(config: Partial<TrainConfig>, extra: Partial<PlannedTrainerInput> = {}) {
  return new PlannedTrainer({
    spec,
    task: 'regression',
    targetScale: { mean: 3, std: 2 },
    config: {
      hidden: spec.hidden,
      init: 'xavier',
      optimizer: 'adam',
      learningRate: 0.01,
      batchSize: 7,
      epochs: 6,
      lambda: 0.05,
      seed: 5,
      beta1: 0.9,
      beta2: 0.999,
      ...config,
    },
    data: { train: data(40, 1), dev: data(12, 2) },
    ...extra,
  });
}

/** Runs `batches` batches (at most until the run ends). */
function run(t: PlannedTrainer, batches: number): void {
  for (let i = 0; i < batches && !t.finished; i++) t.trainBatch();
}

describe('the resume state of the planned trainer', () => {
  it('continues mid-epoch exactly, history timings included (same clock readings)', () => {
    const clockA = counter();
    const whole = trainer({}, { now: clockA });
    while (!whole.finished) whole.trainBatch();

    const clockB = counter();
    const first = trainer({}, { now: clockB });
    run(first, 2 * 6 + 3); // 40 examples in batches of 7: 6 per epoch; stop in epoch 3, after batch 3
    const state: ResumeState = JSON.parse(JSON.stringify(plainResume(first.resumeState())));
    expect(state).toMatchObject({ optimizer: 'adam', epoch: 2, batch: 3, t: 15 });
    expect(state.backup).toHaveLength(first.plan.paramCount);
    const second = trainer({}, { now: clockB, params: first.params(), resume: state });
    expect(Atomics.load(second.ctrl, CTRL.EPOCH)).toBe(2);
    expect(Atomics.load(second.ctrl, CTRL.STEP)).toBe(3);
    expect(second.batchInEpoch).toBe(3);
    while (!second.finished) second.trainBatch();

    expect(second.params()).toEqual(whole.params());
    expect(second.historyRows()).toEqual(whole.historyRows(2));
    expect(second.historyRows()[0].epoch).toBe(3);
    expect(second.elapsedMs).toBe(whole.elapsedMs);
    expect(second.evaluate('dev')).toEqual(whole.evaluate('dev'));
  });

  it('between epochs the rollback copy is the parameters, and a reset goes back to the checkpoint', () => {
    const first = trainer({ optimizer: 'momentum' });
    first.trainEpoch();
    const state = first.resumeState();
    expect(state.batch).toBe(0);
    expect(state.backup).toBeNull();
    expect(state.s).toHaveLength(0);
    expect(state.v).toHaveLength(first.plan.paramCount);
    const params = first.params();
    const second = trainer({ optimizer: 'momentum' }, { params, resume: state });
    second.trainEpoch();
    const after = second.params();
    second.reset();
    expect(second.params()).toEqual(params);
    expect(second.resumeState()).toEqual(state);
    second.trainEpoch();
    expect(second.params()).toEqual(after);
  });

  it('a divergence after a mid-epoch resume rolls back to the same parameters as without it', () => {
    // Big unscaled inputs and a high rate: the loss blows up a few batches into an epoch.
    const input = { train: data(60, 3, 30), dev: data(10, 4, 30) };
    const make = (extra: Partial<PlannedTrainerInput> = {}) =>
      trainer(
        { optimizer: 'sgd', learningRate: 0.02, batchSize: 5, epochs: 40 },
        { data: input, ...extra },
      );
    const whole = make();
    let r: number = BATCH.OK;
    while (r !== BATCH.DIVERGED && r !== BATCH.DONE) r = whole.trainBatch();
    expect(r).toBe(BATCH.DIVERGED);
    const { epoch, step } = whole.divergence!;
    expect(step).toBeGreaterThan(1); // it diverged mid-epoch: the rollback copy is older than the batch

    const first = make();
    run(first, (epoch - 1) * 12 + step - 1);
    const second = make({ params: first.params(), resume: first.resumeState() });
    while (!second.finished) second.trainBatch();
    expect(second.divergence).toEqual(whole.divergence);
    expect(second.params()).toEqual(whole.params());
  });
});
