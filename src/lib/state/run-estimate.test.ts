// The estimate beside Train: asked once the form rests, not again for the same question, never
// while a run is under way; a stale answer is dropped; a failure says why; durations read well.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { RunEstimateState, duration, shapeOf, type EstimateLink } from './run-estimate.svelte.ts';
import type { TrainConfig } from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { DataShape, RunEstimate } from '../../../workers/trainer/types.ts';
import { MessageError } from '../../../workers/messages/index.ts';

beforeAll(() => i18n.use('en', false));
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function dataset(m: number): PreparedDataset {
  const split = (k: number) => ({ m: k, x: new Float32Array(3 * k), y: new Float32Array(2 * k) });
  return {
    task: 'multiclass',
    targetName: 't',
    featureNames: ['a', 'b', 'c'],
    classLabels: ['x', 'y'],
    targetScale: null,
    train: split(m),
    dev: split(10),
    test: split(5),
  };
}

const config = (units: number): TrainConfig => ({
  hidden: [{ units, activation: 'relu', keepProb: 1 }],
  init: 'he',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 8,
  epochs: 10,
  lambda: 0,
  seed: 1,
  beta1: 0.9,
  beta2: 0.999,
});

function fakeLink() {
  const asked: { shape: DataShape; config: TrainConfig; budget: number }[] = [];
  const answers: { resolve: (e: RunEstimate) => void; reject: (e: unknown) => void }[] = [];
  const link: EstimateLink = {
    request: (shape, cfg, budget) => {
      asked.push({ shape, config: cfg, budget });
      return new Promise((resolve, reject) => answers.push({ resolve, reject }));
    },
    budget: () => 1000,
    delayMs: 300,
  };
  return { link, asked, answers };
}

const answer = (arenaBytes: number, fits = true): RunEstimate => ({
  arenaBytes,
  budgetBytes: 1000,
  fits,
  threads: 1,
  batchMs: 2,
  epochMs: 20,
  totalMs: 200,
  epochs: 10,
  basis: 'probe',
});

describe('RunEstimateState', () => {
  it('asks once the form has rested, with the data shape and the budget', async () => {
    const { link, asked, answers } = fakeLink();
    const s = new RunEstimateState(link);
    const ds = dataset(100);
    s.update(ds, config(4), false);
    s.update(ds, config(8), false);
    expect(s.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(299);
    expect(asked).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toHaveLength(1);
    expect(asked[0].config.hidden[0].units).toBe(8);
    expect(asked[0].shape).toEqual({
      task: 'multiclass',
      inputs: 3,
      outputs: 2,
      m: { train: 100, dev: 10, test: 5 },
    });
    expect(asked[0].budget).toBe(1000);
    answers[0].resolve(answer(640));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.estimate?.arenaBytes).toBe(640);
    expect(s.pending).toBe(false);
    expect(s.overBudget).toBe(false);
    // The same question again: nothing asked.
    s.update(ds, config(8), false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(1);
    expect(s.estimate?.arenaBytes).toBe(640);
  });

  it('drops an answer overtaken by a newer question, and asks nothing while a run is under way', async () => {
    const { link, asked, answers } = fakeLink();
    const s = new RunEstimateState(link);
    s.update(dataset(100), config(4), false);
    await vi.advanceTimersByTimeAsync(300);
    s.update(dataset(200), config(4), false);
    answers[0].resolve(answer(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.estimate).toBeNull();
    await vi.advanceTimersByTimeAsync(300);
    answers[1].resolve(answer(2000, false));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.estimate?.arenaBytes).toBe(2000);
    expect(s.overBudget).toBe(true);
    s.update(dataset(300), config(16), true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(2);
    expect(s.estimate?.arenaBytes).toBe(2000);
  });

  it("says why it has no estimate (the worker's message) and asks again later", async () => {
    const { link, asked, answers } = fakeLink();
    const s = new RunEstimateState(link);
    s.update(dataset(100), config(4), false);
    await vi.advanceTimersByTimeAsync(300);
    answers[0].reject(new MessageError({ key: 'trainer.busy.running' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.error).toBe('Training is already running.');
    expect(s.pending).toBe(false);
    s.update(dataset(100), config(4), false);
    await vi.advanceTimersByTimeAsync(300);
    expect(asked).toHaveLength(2);
    // No data: nothing to estimate.
    s.update(null, config(4), false);
    expect(s.estimate).toBeNull();
    expect(s.pending).toBe(false);
  });

  it('reads the shape of a regression dataset, and formats durations', () => {
    const ds = { ...dataset(50), task: 'regression' as const };
    ds.train = { m: 50, x: new Float32Array(150), y: new Float32Array(50) };
    expect(shapeOf(ds).outputs).toBe(1);
    expect(duration(0.2)).toBe('1 ms');
    expect(duration(850)).toBe('850 ms');
    expect(duration(4240)).toBe('4.2 sec');
    expect(duration(45_000)).toBe('45 sec');
    expect(duration(12 * 60_000)).toBe('12 min');
    expect(duration(3 * 3_600_000)).toBe('3 hr');
  });
});
