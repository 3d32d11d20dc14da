import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { TrainingSession } from './training.svelte.ts';
import { encodeConfig } from './config-hash.ts';
import { defaultConfig } from './config.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';

function dataset(inputs: number, m = 100): PreparedDataset {
  const split = (n: number) => ({ m: n, x: new Float32Array(inputs * n), y: new Float32Array(n) });
  return {
    task: 'binary',
    targetName: 'y',
    featureNames: Array.from({ length: inputs }, (_, i) => `f${i}`),
    classLabels: ['no', 'yes'],
    targetScale: null,
    train: split(m),
    dev: split(10),
    test: split(10),
  };
}

/** One saved epoch of a run. */
function row(epoch: number) {
  return {
    epoch,
    trainLoss: 0.5,
    devLoss: 0.6,
    trainAccuracy: 0.8,
    devAccuracy: 0.7,
    trainRmse: Number.NaN,
    devRmse: Number.NaN,
    examplesPerSecond: 1,
    elapsedMs: 1,
  };
}

/** A session whose trainer must never be reached in these tests. */
function session(data: PreparedDataset | null = null) {
  return new TrainingSession({
    dataset: () => data,
    remote: () => {
      throw new Error('no trainer in this test');
    },
  });
}

beforeAll(() => i18n.use('en', false));

describe('TrainingSession without a trainer', () => {
  it('cannot train without data, and says what to do', async () => {
    const s = session();
    expect(s.canTrain).toBe(false);
    await s.train();
    expect(s.error).toMatch(/choose a sample or drop a CSV file/);
    expect(s.state).toBe('idle');
  });

  it('refuses to train with invalid settings and names them', async () => {
    const s = session(dataset(2));
    s.form.set('learningRate', '-1');
    s.form.setLayer(0, { units: '0' });
    expect(s.canTrain).toBe(false);
    await s.train();
    expect(s.error).toMatch(/Learning rate/);
    expect(s.error).toMatch(/Units of hidden layer 1/);
  });

  it('suggests settings for new data until the user changes something', () => {
    const s = session();
    s.useDataset(dataset(784));
    expect(s.form.config?.hidden.map((h) => h.units)).toEqual([128, 64]);
    s.form.set('epochs', '3');
    s.useDataset(dataset(2));
    expect(s.form.config?.hidden.map((h) => h.units)).toEqual([128, 64]);
    expect(s.form.config?.epochs).toBe(3);
  });

  it('keeps the settings of a share link when data arrives', () => {
    const s = session();
    const c = defaultConfig();
    c.learningRate = 0.123;
    c.hidden = [{ units: 3, activation: 'relu', keepProb: 0.5 }];
    expect(s.loadFromHash('#' + encodeConfig(c))).toBe(true);
    s.useDataset(dataset(784));
    expect(s.form.config).toEqual(c);
    expect(s.hash).toBe(encodeConfig(c));
    expect(s.notice).toBeNull();
  });

  it('reports a damaged link and ignores a hash that is no configuration', () => {
    const s = session();
    expect(s.loadFromHash('#main')).toBe(false);
    expect(s.loadFromHash('#v=1&lr=oops')).toBe(true);
    expect(s.notice).toMatch(/Learning rate/);
    expect(s.form.config?.learningRate).toBe(defaultConfig().learningRate);
  });

  it('has no hash while a field is invalid, and shares only chosen settings', () => {
    const s = session();
    expect(s.shareable).toBe(false);
    s.form.set('seed', '1.5');
    expect(s.hash).toBeNull();
    s.form.set('seed', '2');
    expect(s.shareable).toBe(true);
    expect(s.hash).toMatch(/seed=2/);
  });

  it('shows an interrupted run with its history', () => {
    const s = session(dataset(2));
    s.markInterrupted([row(4)]);
    expect(s.state).toBe('interrupted');
    expect(s.epoch).toBe(4);
    expect(s.curves.length).toBe(1);
  });

  it('keeps an interrupted run shown before the restored data arrives, but not when the data changes later', () => {
    let data: PreparedDataset | null = null;
    const s = new TrainingSession({
      dataset: () => data,
      remote: () => {
        throw new Error('no trainer in this test');
      },
    });
    s.markInterrupted([row(3)], 'binary');
    data = dataset(2);
    s.datasetChanged();
    expect(s.state).toBe('interrupted');
    expect(s.curves.length).toBe(1);
    s.useDataset(dataset(3));
    expect(s.state).toBe('idle');
    expect(s.curves.length).toBe(0);
  });

  it('ignores pause, resume and stop when nothing runs', () => {
    const s = session(dataset(2));
    s.pause();
    s.resume();
    s.stop();
    s.togglePause();
    expect(s.state).toBe('idle');
  });
});
