import { describe, expect, it } from 'vitest';
import type { NetworkSpec, TrainConfig } from '../../../workers/core/types.ts';
import { DEFAULT_CONFIG } from './config.ts';
import { reportLayers, splitShares, totalParams } from './run-report.ts';

describe('reportLayers', () => {
  it('lists input, hidden and output layers with n_l * n_(l-1) + n_l parameters each', () => {
    const spec: NetworkSpec = {
      inputs: 4,
      hidden: [
        { units: 8, activation: 'tanh', keepProb: 1 },
        { units: 5, activation: 'relu', keepProb: 1 },
      ],
      outputs: 3,
      output: 'softmax',
    };
    const config: TrainConfig = {
      ...DEFAULT_CONFIG,
      hidden: [
        { units: 8, activation: 'tanh', keepProb: 0.8 },
        { units: 5, activation: 'relu', keepProb: 1 },
      ],
    };
    const layers = reportLayers(spec, config);
    expect(
      layers.map((l) => [l.kind, l.index, l.units, l.activation, l.keepProb, l.params]),
    ).toEqual([
      ['input', 0, 4, null, null, 0],
      ['hidden', 1, 8, 'tanh', 0.8, 8 * 4 + 8],
      ['hidden', 2, 5, 'relu', 1, 5 * 8 + 5],
      ['output', 0, 3, 'softmax', null, 3 * 5 + 3],
    ]);
    expect(totalParams(layers)).toBe(40 + 45 + 18);
  });

  it('handles logistic regression (no hidden layer)', () => {
    const layers = reportLayers({ inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' }, null);
    expect(layers.map((l) => l.params)).toEqual([0, 3]);
  });
});

describe('splitShares', () => {
  it('normalizes the split weights', () => {
    expect(splitShares({ train: 2, dev: 1, test: 1 })).toEqual({
      train: 0.5,
      dev: 0.25,
      test: 0.25,
    });
    expect(splitShares({ train: 0, dev: 0, test: 0 })).toEqual({ train: 1, dev: 0, test: 0 });
  });
});
