import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createNetwork, serialize } from '../../../workers/core/network.ts';
import { predictApi } from '../../../workers/data/predict/api.ts';
import type { ModelRecord } from '../../../workers/store/schema.ts';
import {
  PredictionPanel,
  PROGRESS_MS,
  ROWS_PER_FRAME,
  type PredictionBackend,
} from './prediction.svelte.ts';
import { i18n } from '../i18n/i18n.svelte.ts';

beforeAll(() => i18n.use('en', false));

/** The data worker's prediction API, run in this thread (answers are cloned, as Comlink would). */
function localBackend(): PredictionBackend & { cancels: number } {
  const b = {
    cancels: 0,
    inputs: async (m: ModelRecord) => structuredClone(predictApi.modelInputs(m)),
    predictRow: async (m: ModelRecord, h: string[], c: string[]) =>
      structuredClone(predictApi.predictRow(m, h, c)),
    predictFile: (
      m: ModelRecord,
      f: Blob,
      n: string,
      p: Parameters<PredictionBackend['predictFile']>[3],
    ) => predictApi.predictFile(m, f, n, p),
    cancel: async () => {
      b.cancels++;
      predictApi.cancelPrediction();
    },
  };
  return b;
}

/** p(yes) = sigmoid(x1 - x2). */
function logit(name = 'logit'): ModelRecord {
  const net = serialize(createNetwork({ inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' }));
  net.params = [{ W: [1, -1], b: [0] }];
  return {
    id: name,
    name,
    created: 0,
    network: net,
    recipe: null,
    task: 'binary',
    targetName: 'label',
    featureNames: ['x1', 'x2'],
    classLabels: ['no', 'yes'],
    targetScale: null,
    metrics: {},
    runId: null,
    datasetHash: null,
  };
}

describe('PredictionPanel', () => {
  it('asks the worker for the form, predicts one example and describes it', async () => {
    const panel = new PredictionPanel(localBackend());
    await panel.use(logit());
    expect(panel.columns.map((c) => c.name)).toEqual(['x1', 'x2']);
    expect(panel.values).toEqual(['', '']);
    panel.values = ['2', ' 0 '];
    await panel.predictOne();
    expect(panel.error).toBeNull();
    expect(panel.describe(panel.result!)).toBe('yes (probability 0.881)');
    panel.values = ['abc', '0'];
    await panel.predictOne();
    expect(panel.result).toBeNull();
    expect(panel.error).toBe('Row 1, column "x1": "abc" is not a number. Enter a number there.');
  });

  it('predicts a file with progress, keeps the first rows and the CSV, and names the download', async () => {
    const panel = new PredictionPanel(localBackend());
    await panel.use(logit());
    const text = 'x1,x2,note\n2,0,=HYPERLINK("x")\n0,3,-1+2\n';
    const pending = panel.predictFile(new File([text], 'rows.csv'));
    expect(panel.progress).toMatchObject({ name: 'rows.csv', bytesRead: 0 });
    await pending;
    expect(panel.progress).toBeNull();
    expect(panel.error).toBeNull();
    expect(panel.batch?.rows).toBe(2);
    expect(panel.batch?.shown.map((r) => r.prediction.label)).toEqual(['yes', 'no']);
    expect(panel.downloadName).toBe('rows-predictions.csv');
    const csv = (await panel.batch!.csv.text()).split('\r\n');
    expect(csv[0]).toBe('x1,x2,note,predicted label,probability no,probability yes');
    expect(csv[1]).toBe(`2,0,"'=HYPERLINK(""x"")",yes,0.119203,0.880797`);
  });

  it('shows the progress at most every PROGRESS_MS', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(0);
      let report: (p: { bytesRead: number; totalBytes: number; rows: number }) => void = () => {};
      let finish: (r: Awaited<ReturnType<PredictionBackend['predictFile']>>) => void = () => {};
      const backend: PredictionBackend = {
        ...localBackend(),
        predictFile: (_m, _f, _n, onProgress) => {
          report = onProgress;
          return new Promise((resolve) => (finish = resolve));
        },
      };
      const panel = new PredictionPanel(backend);
      await panel.use(logit());
      const pending = panel.predictFile(new File(['x1,x2\n1,2\n'], 'a.csv'));
      const at = (ms: number, bytesRead: number) => {
        vi.setSystemTime(ms);
        report({ bytesRead, totalBytes: 100, rows: bytesRead });
        return panel.progress?.bytesRead;
      };
      expect(at(PROGRESS_MS / 2, 10)).toBe(0);
      expect(at(PROGRESS_MS, 20)).toBe(20);
      expect(at(PROGRESS_MS + 1, 30)).toBe(20);
      expect(at(2 * PROGRESS_MS, 40)).toBe(40);
      const stopped = { key: 'predicting.cancelled' } as const;
      finish({ ok: false, problem: { code: 'cancelled', message: stopped.key, msg: stopped } });
      await pending;
      expect(panel.progress).toBeNull();
      expect(panel.error).toBe(
        'The prediction was cancelled. Choose the file again when you are ready.',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('predicts one example while a file is being predicted, and keeps both answers', async () => {
    const panel = new PredictionPanel(localBackend());
    await panel.use(logit());
    const lines = ['x1,x2', ...Array.from({ length: 3000 }, (_, i) => `${i % 3},1`)];
    const file = panel.predictFile(new File([lines.join('\n')], 'rows.csv'));
    panel.values = ['2', '0'];
    await panel.predictOne();
    await file;
    expect(panel.describe(panel.result!)).toBe('yes (probability 0.881)');
    expect(panel.batch?.rows).toBe(3000);
    expect(panel.progress).toBeNull();
  });

  it('adds the shown rows to the table a few per frame', async () => {
    const frames: Array<() => void> = [];
    const panel = new PredictionPanel(localBackend(), (fn) => frames.push(fn));
    await panel.use(logit());
    const rows = Array.from({ length: 25 }, (_, i) => `${i},${-i}`);
    await panel.predictFile(new File([['x1,x2', ...rows].join('\n')], 'many.csv'));
    expect(panel.batch?.shown).toHaveLength(25);
    const seen = [panel.visible];
    while (frames.length) {
      frames.shift()!();
      seen.push(panel.visible);
    }
    const steps = Array.from({ length: Math.ceil(25 / ROWS_PER_FRAME) }, (_, k) =>
      Math.min(25, (k + 1) * ROWS_PER_FRAME),
    );
    expect(seen).toEqual([0, 0, ...steps]);
    expect(seen.at(-1)).toBe(25);
  });

  it('shows the worker\u2019s message for a bad file, and a model change drops an old answer', async () => {
    const backend = localBackend();
    const panel = new PredictionPanel(backend);
    await panel.use(logit());
    await panel.predictFile(new File(['x1,x2\n1,2\n3\n'], 'bad.csv'));
    expect(panel.batch).toBeNull();
    expect(panel.error).toBe(
      'Row 3 of "bad.csv" does not have 2 cells like the header. Fix that row and try again.',
    );
    // A file still being predicted when another model is chosen: cancelled, its answer dropped.
    const pending = panel.predictFile(new File(['x1,x2\n1,2\n'], 'late.csv'));
    await panel.use(logit('other'));
    await pending;
    expect(backend.cancels).toBe(1);
    expect(panel.batch).toBeNull();
    expect(panel.progress).toBeNull();
    expect(panel.model?.id).toBe('other');
  });
});
