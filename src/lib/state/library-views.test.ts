import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import type { EpochMetrics } from '../../../workers/core/types.ts';
import type { ModelRecord, RunRecord } from '../../../workers/store/schema.ts';
import { hasMetric, overlayData } from './run-overlay.ts';
import {
  SearchIndex,
  filterRuns,
  groupRuns,
  keptModelOf,
  liveStatus,
  modelMetrics,
  modelShape,
  progressSummary,
  runModelText,
  runSummary,
  statusText,
} from './library-views.ts';

const row = (epoch: number, trainLoss: number, devAccuracy = NaN): EpochMetrics => ({
  epoch,
  trainLoss,
  devLoss: NaN,
  trainAccuracy: NaN,
  devAccuracy,
  trainRmse: NaN,
  devRmse: NaN,
  examplesPerSecond: 0,
  elapsedMs: 0,
});

function run(
  name: string,
  created: number,
  history: EpochMetrics[],
  extra: Partial<RunRecord> = {},
): RunRecord {
  return {
    id: name,
    name,
    created,
    updated: created,
    status: 'completed',
    config: { optimizer: 'adam' } as RunRecord['config'],
    seed: 1,
    datasetHash: null,
    datasetName: 'circle',
    recipe: null,
    spec: null,
    task: 'binary',
    targetName: 'label',
    featureNames: [],
    classLabels: [],
    targetScale: null,
    history,
    final: null,
    divergence: null,
    timings: { startedAt: 0, endedAt: 0, elapsedMs: 0 },
    checkpointEpoch: 0,
    ...extra,
  };
}

beforeAll(() => i18n.use('en', false));

describe('overlay data', () => {
  it('aligns runs of different lengths on one epoch axis, with gaps as null', () => {
    const d = overlayData(
      [
        { history: [row(1, 0.5), row(2, 0.4)] },
        { history: [row(1, 0.9), row(2, 0.7), row(3, 0.6)] },
      ],
      'trainLoss',
      true,
    );
    expect(d).toEqual([
      [1, 2, 3],
      [0.5, 0.4, null],
      [0.9, 0.7, 0.6],
    ]);
  });
  it('drops NaN and, on a log axis, values that are not positive', () => {
    const d = overlayData([{ history: [row(1, 0), row(2, NaN), row(3, 0.2)] }], 'trainLoss', true);
    expect(d[1]).toEqual([null, null, 0.2]);
    expect(overlayData([{ history: [row(1, 0)] }], 'trainLoss', false)[1]).toEqual([0]);
    expect(hasMetric([{ history: [row(1, 1)] }], 'devAccuracy')).toBe(false);
    expect(hasMetric([{ history: [row(1, 1, 0.8)] }], 'devAccuracy')).toBe(true);
  });
});

describe('search and sort', () => {
  const runs = [
    run('Run 10', 3, [row(1, 0.3, 0.7)]),
    run('Run 9', 1, [row(1, 0.2, 0.9)], { datasetName: 'iris' }),
    run('moons', 2, [row(1, 0.1, 0.8)], { status: 'interrupted' }),
  ];
  it('sorts newest, oldest, by name (numbers in order) and by best result', () => {
    expect(filterRuns(runs, '', 'newest').map((r) => r.name)).toEqual(['Run 10', 'moons', 'Run 9']);
    expect(filterRuns(runs, '', 'oldest').map((r) => r.name)).toEqual(['Run 9', 'moons', 'Run 10']);
    expect(filterRuns(runs, '', 'name').map((r) => r.name)).toEqual(['moons', 'Run 9', 'Run 10']);
    expect(filterRuns(runs, '', 'best').map((r) => r.name)).toEqual(['Run 9', 'moons', 'Run 10']);
  });
  it('searches every word in name, data and status', () => {
    expect(filterRuns(runs, 'iris', 'newest').map((r) => r.name)).toEqual(['Run 9']);
    expect(filterRuns(runs, 'INTERRUPTED', 'newest').map((r) => r.name)).toEqual(['moons']);
    expect(filterRuns(runs, 'run circle', 'newest').map((r) => r.name)).toEqual(['Run 10']);
  });
  it('indexes a list ahead of the search, a chunk at a time; a keystroke then reads no record', async () => {
    const items = Array.from({ length: 2500 }, (_, i) => ({ name: `item ${i}` }));
    let reads = 0;
    const index = new SearchIndex<{ name: string }>((x) => (reads++, [x.name]));
    let pauses = 0;
    await index.index(items, async () => void pauses++, 1000);
    expect(reads).toBe(2500);
    expect(pauses).toBe(2);
    expect(index.filter(items, 'ITEM 249').map((x) => x.name)).toEqual(
      items.map((x) => x.name).filter((n) => n.includes('249')),
    );
    expect(reads).toBe(2500);
    // Indexing again reads only what is new.
    await index.index([...items, { name: 'new' }], async () => undefined);
    expect(reads).toBe(2501);
  });
});

describe('one-line summaries', () => {
  it('says how far a run got, its loss and its accuracy or RMSE', () => {
    const cfg = { optimizer: 'adam', epochs: 50 } as RunRecord['config'];
    expect(runSummary(run('a', 1, [], { config: cfg }))).toBe('no epoch saved yet');
    expect(runSummary(run('a', 1, [row(12, 0.1234, 0.95)], { config: cfg }))).toBe(
      '12 of 50 epochs · loss 0.123 · accuracy 0.950',
    );
    expect(
      runSummary(run('a', 1, [row(3, 0.004)], { config: cfg, final: { testRmse: 2.5 } })),
    ).toBe('3 of 50 epochs · loss 4.00e-3 · RMSE 2.500');
    // Early stopping kept an earlier epoch: the summary says which (not when it is the last one).
    const stopped = { testAccuracy: 0.9, keptEpoch: 7 };
    expect(runSummary(run('a', 1, [row(12, 0.1234, 0.95)], { config: cfg, final: stopped }))).toBe(
      '12 of 50 epochs · loss 0.123 · accuracy 0.900 · kept epoch 7 (lowest dev loss)',
    );
    const last = { testAccuracy: 0.9, keptEpoch: 12 };
    expect(runSummary(run('a', 1, [row(12, 0.1234, 0.95)], { config: cfg, final: last }))).toBe(
      '12 of 50 epochs · loss 0.123 · accuracy 0.900',
    );
  });
  it('gives a model its layer sizes and its test result', () => {
    const model = (metrics: Record<string, number>) =>
      ({
        network: {
          spec: {
            inputs: 2,
            hidden: [{ units: 8, activation: 'tanh', keepProb: 1 }],
            outputs: 1,
            output: 'sigmoid',
          },
        },
        metrics,
      }) as unknown as ModelRecord;
    expect(modelShape(model({}))).toBe('2-8-1');
    expect(modelMetrics(model({ testAccuracy: 0.9 }))).toBe('test accuracy 0.900');
    expect(modelMetrics(model({ testRmse: 1.25 }))).toBe('test RMSE 1.250');
    expect(modelMetrics(model({}))).toBe('no test metrics');
  });
});

describe('runs grouped by dataset', () => {
  const runs = [
    run('c', 5, [], { datasetHash: 'h-iris', datasetName: 'Iris flowers' }),
    run('b', 4, [], { datasetHash: null, datasetName: 'old.csv' }),
    run('a', 3, [], { datasetHash: 'h-moons', datasetName: 'Two moons' }),
    run('z', 2, [], { datasetHash: 'h-iris', datasetName: 'Iris flowers' }),
    run('y', 1, [], { datasetHash: null, datasetName: 'old.csv' }),
  ];
  it('keeps the list order inside and between groups, named by the stored dataset when known', () => {
    const groups = groupRuns(runs, new Map([['h-iris', 'iris.csv (stored)']]));
    expect(groups.map((g) => [g.name, g.runs.map((r) => r.name)])).toEqual([
      ['iris.csv (stored)', ['c', 'z']],
      ['old.csv', ['b', 'y']],
      ['Two moons', ['a']],
    ]);
    expect(new Set(groups.map((g) => g.key)).size).toBe(3);
    // Oldest first: the groups follow.
    const oldest = groupRuns(filterRuns(runs, '', 'oldest'), new Map());
    expect(oldest.map((g) => g.runs.map((r) => r.name))).toEqual([['y', 'b'], ['z', 'c'], ['a']]);
  });

  it('counts each group’s runs in the whole list, not only in the page shown', () => {
    const firstPage = runs.slice(0, 3);
    const groups = groupRuns(firstPage, new Map(), runs);
    expect(groups.map((g) => [g.key, g.runs.length, g.total])).toEqual([
      ['h-iris', 1, 2],
      ['name:old.csv', 1, 2],
      ['h-moons', 1, 1],
    ]);
    expect(groupRuns(runs, new Map()).map((g) => g.total)).toEqual([2, 2, 1]);
  });
});

describe('a run and its model', () => {
  const spec = {
    inputs: 4,
    hidden: [{ units: 8, activation: 'relu', keepProb: 1 }],
    outputs: 3,
    output: 'softmax',
  } as RunRecord['spec'];
  it('says what model a run keeps: its shape and test result, else the epoch of its weights', () => {
    expect(runModelText(run('a', 1, [], { spec, final: { testAccuracy: 0.96667 } }))).toBe(
      'Its model: network 4-8-3 · test accuracy 0.967',
    );
    expect(runModelText(run('a', 1, [], { spec, final: { testRmse: 12.5 } }))).toBe(
      'Its model: network 4-8-3 · test RMSE 12.500',
    );
    expect(runModelText(run('a', 1, [], { spec, checkpointEpoch: 7 }))).toBe(
      'Its model: network 4-8-3 · weights of epoch 7',
    );
  });
  it('finds the model kept from the run at its current weights only', () => {
    const r = run('a', 1, [], { checkpointEpoch: 12 });
    const kept = (runId: string, epoch: number) =>
      ({ id: `${runId}-${epoch}`, runId, metrics: { epoch } }) as unknown as ModelRecord;
    expect(keptModelOf([kept('other', 12), kept('a', 11)], r)).toBeUndefined();
    expect(keptModelOf([kept('a', 11), kept('a', 12)], r)?.id).toBe('a-12');
  });
});

describe('the run that trains', () => {
  it('takes its status from the training area, except while idle or cut short', () => {
    expect(liveStatus('running')).toBe('running');
    expect(liveStatus('paused')).toBe('running');
    expect(liveStatus('done')).toBe('completed');
    expect(liveStatus('stopped')).toBe('stopped');
    expect(liveStatus('diverged')).toBe('diverged');
    expect(liveStatus('idle')).toBeNull();
    expect(liveStatus('interrupted')).toBeNull();
    expect(statusText('interrupted')).toBe('interrupted');
  });
  it('counts the epochs the training area counts, ahead of the last saved row', () => {
    expect(progressSummary(93, 200, row(92, 0.5, 0.8))).toBe(
      '93 of 200 epochs · loss 0.500 · accuracy 0.800',
    );
    expect(progressSummary(0, 200, null)).toBe('no epoch saved yet');
    expect(progressSummary(1, 1, null)).toBe('1 of 1 epoch');
  });
});
