import { describe, expect, it } from 'vitest';
import { informativeAxes } from './axes.ts';
import type { PreparedDataset } from './prepared.ts';

/** A dataset from feature rows (features x examples) and a target row. */
function data(task: PreparedDataset['task'], rows: number[][], y: number[], labels: string[]) {
  const m = rows[0].length;
  const x = new Float32Array(rows.length * m);
  rows.forEach((r, f) => x.set(r, f * m));
  const split = { m, x, y: new Float32Array(y) };
  return {
    task,
    targetName: 't',
    featureNames: rows.map((_, f) => `f${f}`),
    classLabels: labels,
    targetScale: null,
    train: split,
    dev: split,
    test: split,
  } satisfies PreparedDataset;
}

const noise = (m: number, seed: number) =>
  Array.from({ length: m }, (_, i) => Math.sin((i + 1) * seed * 12.9898) * 3);

describe('informativeAxes', () => {
  it('picks the two numeric features that separate the classes, not noise or one-hot columns', () => {
    const m = 60;
    const y = Array.from({ length: m }, (_, i) => i % 2);
    const signal = y.map((c, i) => c * 4 + noise(m, 1)[i] * 0.3);
    const weaker = y.map((c, i) => c * 2 + noise(m, 2)[i]);
    const oneHot = y.map((c) => c); // a 0/1 column that alone gives the class
    const ds = data('binary', [noise(m, 3), oneHot, weaker, noise(m, 4), signal], y, ['a', 'b']);
    expect(informativeAxes(ds, [true, false, true, true, true])).toEqual([2, 4]);
    // With fewer than two numeric inputs, a one-hot column makes up the pair.
    expect(informativeAxes(ds, [false, false, false, false, true])).toEqual([1, 4]);
  });

  it('reads multiclass targets from their one-hot rows', () => {
    const m = 90;
    const cls = Array.from({ length: m }, (_, i) => i % 3);
    const y = new Array<number>(3 * m).fill(0);
    cls.forEach((c, i) => (y[c * m + i] = 1));
    const ds = data(
      'multiclass',
      [
        noise(m, 5),
        cls.map((c, i) => c + noise(m, 6)[i] * 0.1),
        noise(m, 7),
        cls.map((c) => c * c),
      ],
      [],
      ['a', 'b', 'c'],
    );
    ds.train.y = new Float32Array(y);
    expect(informativeAxes(ds, [true, true, true, true])).toEqual([1, 3]);
  });

  it('for regression ranks by correlation with the target, whatever its sign', () => {
    const m = 50;
    const y = Array.from({ length: m }, (_, i) => i / 10);
    const ds = data(
      'regression',
      [
        noise(m, 8),
        y.map((v) => -2 * v + 1),
        noise(m, 9),
        y.map((v, i) => v + noise(m, 10)[i] * 0.2),
      ],
      y,
      [],
    );
    expect(informativeAxes(ds, [true, true, true, true])).toEqual([1, 3]);
  });

  it('keeps the first two for tiny or constant data', () => {
    const ds = data(
      'binary',
      [
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
      ],
      [0, 1, 0],
      ['a', 'b'],
    );
    expect(informativeAxes(ds, [true, true, true])).toEqual([0, 1]);
    expect(informativeAxes(data('binary', [[1, 2]], [0, 1], ['a', 'b']), [true])).toEqual([0, 0]);
  });
});
