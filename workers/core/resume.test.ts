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

  it('early stopping continues exactly: the same best epoch, stop and kept parameters', () => {
    // A wide network on few noisy examples overfits: the dev loss turns up and the run stops early.
    const input = { train: data(30, 7), dev: data(30, 8) };
    const make = (extra: Partial<PlannedTrainerInput> = {}) =>
      trainer(
        { learningRate: 0.05, batchSize: 5, epochs: 400, patience: 6, lambda: 0 },
        { data: input, ...extra },
      );
    const whole = make();
    while (!whole.finished) whole.trainBatch();
    expect(whole.watch.stopped).toBe(true);
    const stop = whole.epochsCompleted;
    const best = whole.keptEpoch;
    expect(best).toBeGreaterThan(3);
    expect(best).toBeLessThan(stop);
    expect(stop - best).toBe(6);

    // Checkpoints mid-epoch: one after the best epoch (its parameters travel in the state) and one
    // before it.
    for (const at of [(best + 2) * 6 + 2, (best - 2) * 6 + 4]) {
      const first = make();
      run(first, at);
      const state: ResumeState = JSON.parse(JSON.stringify(plainResume(first.resumeState())));
      expect(state.watch).toBeDefined();
      const second = make({ params: first.params(), resume: state });
      while (!second.finished) second.trainBatch();
      expect(second.watch.stopped).toBe(true);
      expect(second.epochOffset + second.epochsCompleted).toBe(stop);
      expect(second.keptEpoch).toBe(best);
      expect(Atomics.load(second.ctrl, CTRL.BEST_EPOCH)).toBe(best);
      expect(second.params()).toEqual(whole.params());
    }
  });

  it('refuses a watch state whose best parameters are missing or of the wrong size', () => {
    const first = trainer({ patience: 3 });
    run(first, 6 * 2 + 1);
    const state = first.resumeState();
    const params = first.params();
    expect(() =>
      trainer(
        { patience: 3 },
        { params, resume: { ...state, watch: { ...state.watch!, bestParams: null } } },
      ),
    ).toThrow(/parameters of its best epoch are missing/);
    expect(() =>
      trainer(
        { patience: 3 },
        { params, resume: { ...state, watch: { ...state.watch!, bestParams: [1, 2] } } },
      ),
    ).toThrow(/best parameters does not fit this network/);
    // A checkpoint from before the watch existed resumes with the watch afresh.
    const { watch: _old, ...older } = state;
    expect(() => trainer({ patience: 3 }, { params, resume: older })).not.toThrow();
  });
});
