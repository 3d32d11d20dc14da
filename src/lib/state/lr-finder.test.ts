// "Find a learning rate" through the training session, with a fake trainer worker: the data is sent
// first, the suggested rate goes into the form (and a note says what it replaced), a test that found
// nothing leaves the rate alone, an answer for data that changed meanwhile is ignored, and nothing is
// asked of the worker while a run is under way or the form is invalid.
import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { TrainingSession } from './training.svelte.ts';
import type { Trainer } from '../engine/bridge.ts';
import type { LrRangeResult, TrainConfig } from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { MessageError } from '../../../workers/messages/index.ts';

beforeAll(() => i18n.use('en', false));

function dataset(name: string): PreparedDataset {
  const split = (m: number) => ({ m, x: new Float32Array(3 * m), y: new Float32Array(m) });
  return {
    task: 'binary',
    targetName: name,
    featureNames: ['a', 'b', 'c'],
    classLabels: ['no', 'yes'],
    targetScale: null,
    train: split(100),
    dev: split(10),
    test: split(10),
  };
}

function curve(suggested: number | null): LrRangeResult {
  const points = [1e-4, 1e-3, 1e-2, 1e-1, 1].map((lr, i) => ({
    lr,
    loss: suggested === null ? 0.69 : [0.7, 0.6, 0.3, 0.2, 0.9][i],
  }));
  return {
    optimizer: 'adam',
    points,
    suggested,
    minLr: suggested === null ? 1e-4 : 0.1,
    minLoss: suggested === null ? 0.69 : 0.2,
    steps: points.length,
  };
}

/** A trainer worker that records what it is asked and answers range tests when told to. */
function fakeWorker() {
  const calls: string[] = [];
  const tests: Array<{
    config: TrainConfig;
    progress?: (steps: number, lr: number) => void;
    answer: (r: LrRangeResult) => void;
    fail: (e: unknown) => void;
  }> = [];
  const remote = {
    load: async (ds: PreparedDataset) => {
      calls.push(`load ${ds.targetName}`);
    },
    findLearningRate: (config: TrainConfig, progress?: (steps: number, lr: number) => void) => {
      calls.push(`find at ${config.learningRate}`);
      return new Promise<LrRangeResult>((answer, fail) =>
        tests.push({ config, progress, answer, fail }),
      );
    },
  } as unknown as Trainer;
  return { calls, tests, remote: () => remote };
}

function setup() {
  const w = fakeWorker();
  let data: PreparedDataset | null = dataset('first');
  const s = new TrainingSession({ dataset: () => data, remote: w.remote });
  s.datasetChanged();
  const change = (ds: PreparedDataset | null) => {
    data = ds;
    s.datasetChanged();
  };
  return { ...w, s, change };
}

/** Lets the awaited calls in flight settle. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('Find a learning rate', () => {
  it('sends the data, reports progress, sets the learning rate to the suggestion and says what it was', async () => {
    const { s, calls, tests } = setup();
    expect(s.finder.canFind).toBe(true);
    const before = s.form.config!.learningRate;
    const found = s.finder.find();
    await settle();
    expect(calls).toEqual(['load first', `find at ${before}`]);
    expect(s.finder.busy).toBe(true);
    expect(s.finder.canFind).toBe(false);
    // No run starts while the test goes.
    expect(s.canTrain).toBe(false);
    tests[0].progress?.(40, 0.002);
    expect(s.finder.progress).toEqual({ steps: 40, total: 200, lr: 0.002 });
    tests[0].answer(curve(0.041));
    await found;
    expect(s.finder.busy).toBe(false);
    expect(s.finder.progress).toBeNull();
    expect(s.finder.result?.suggested).toBe(0.041);
    expect(s.finder.outcome).toEqual({ kind: 'set', rate: 0.041, was: before });
    expect(s.form.raw.learningRate).toBe('0.041');
    expect(s.form.config!.learningRate).toBe(0.041);
    expect(s.canTrain).toBe(true);
    // The data is sent once: a second test asks for the test only.
    const again = s.finder.find();
    await settle();
    expect(calls).toEqual(['load first', `find at ${before}`, 'find at 0.041']);
    tests[1].answer(curve(0.03));
    await again;
    expect(s.form.config!.learningRate).toBe(0.03);
    expect(s.finder.outcome).toEqual({ kind: 'set', rate: 0.03, was: 0.041 });
  });

  it('when the loss never went down: the curve is kept, the rate stays, the note says none was found', async () => {
    const { s, tests } = setup();
    s.form.set('learningRate', '0.005');
    const found = s.finder.find();
    await settle();
    tests[0].answer(curve(null));
    await found;
    expect(s.finder.result?.suggested).toBeNull();
    expect(s.finder.result?.points.length).toBe(5);
    expect(s.finder.outcome).toEqual({ kind: 'none' });
    expect(s.form.raw.learningRate).toBe('0.005');
    expect(s.error).toBeNull();
  });

  it('ignores an answer for data that changed meanwhile, and new data clears the curve', async () => {
    const { s, tests, change } = setup();
    const first = s.finder.find();
    await settle();
    tests[0].answer(curve(0.02));
    await first;
    expect(s.finder.result).not.toBeNull();
    const before = s.form.raw.learningRate;
    const stale = s.finder.find();
    await settle();
    change(dataset('second'));
    // New data: the curve and the note go, and a test may start on the new data at once.
    expect(s.finder.result).toBeNull();
    expect(s.finder.outcome).toBeNull();
    expect(s.finder.busy).toBe(false);
    expect(s.finder.canFind).toBe(true);
    tests[1].progress?.(10, 1e-5);
    expect(s.finder.progress).toBeNull();
    tests[1].answer(curve(0.5));
    await stale;
    expect(s.finder.result).toBeNull();
    expect(s.finder.outcome).toBeNull();
    expect(s.form.raw.learningRate).not.toBe('0.5');
    expect(s.form.raw.learningRate).toBe(before);
    // A failure of the stale test is not shown either.
    const next = s.finder.find();
    await settle();
    change(null);
    tests[2].fail(new Error('worker gone'));
    await next;
    expect(s.error).toBeNull();
  });

  it('refuses while a run is under way, without data or with an invalid form', async () => {
    const { s, calls, change } = setup();
    await settle();
    calls.length = 0;
    for (const state of ['running', 'paused'] as const) {
      s.state = state;
      expect(s.finder.canFind).toBe(false);
      await s.finder.find();
      expect(s.finder.busy).toBe(false);
    }
    s.state = 'done';
    s.form.set('learningRate', 'abc');
    expect(s.finder.canFind).toBe(false);
    await s.finder.find();
    s.form.set('learningRate', '0.01');
    change(null);
    expect(s.finder.canFind).toBe(false);
    await s.finder.find();
    expect(calls).toEqual([]);
  });

  it('a run that began while the test went keeps its form; the curve is still shown', async () => {
    const { s, tests } = setup();
    const found = s.finder.find();
    await settle();
    s.state = 'running';
    tests[0].answer(curve(0.2));
    await found;
    expect(s.finder.result?.suggested).toBe(0.2);
    expect(s.finder.outcome).toBeNull();
    expect(s.form.raw.learningRate).not.toBe('0.2');
  });

  it("a worker's refusal is shown in the user's words", async () => {
    const { s, tests } = setup();
    const found = s.finder.find();
    await settle();
    tests[0].fail(new MessageError({ key: 'trainer.rangeTest.busy' }));
    await found;
    expect(s.error).toBe('Stop the current run before looking for a learning rate.');
    expect(s.finder.busy).toBe(false);
    expect(s.finder.result).toBeNull();
  });
});
