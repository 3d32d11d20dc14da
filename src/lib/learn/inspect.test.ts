import { describe, expect, it } from 'vitest';
import type { InspectedLayer } from '../../../workers/labs/types.ts';
import { exampleColumn, matrixOf, matrixShape, MATRIX_NAMES, num, summarize } from './inspect.ts';

describe('helpers', () => {
  it('gives each matrix of a layer its shape in the notes terms', () => {
    const f = (n: number) => new Float64Array(n).map((_, i) => i);
    const layer: InspectedLayer = {
      layer: 1,
      rows: 4,
      cols: 3,
      activation: 'relu',
      W: f(12),
      b: f(4),
      Z: f(20),
      A: f(20),
      dZ: f(20),
      dW: f(12),
      db: f(4),
    };
    const m = 5;
    expect(matrixShape(layer, 'W', m)).toEqual({ rows: 4, cols: 3 });
    expect(matrixShape(layer, 'dW', m)).toEqual({ rows: 4, cols: 3 });
    expect(matrixShape(layer, 'b', m)).toEqual({ rows: 4, cols: 1 });
    expect(matrixShape(layer, 'db', m)).toEqual({ rows: 4, cols: 1 });
    expect(matrixShape(layer, 'Z', m)).toEqual({ rows: 4, cols: 5 });
    for (const name of MATRIX_NAMES) {
      const { rows, cols } = matrixShape(layer, name, m);
      expect(matrixOf(layer, name)).toHaveLength(rows * cols);
    }
  });

  it('reads the numbers of one example', () => {
    expect(exampleColumn([1, 2, 3, 4, 5, 6], 2, 3, 1)).toEqual([2, 5]);
    expect(() => exampleColumn([1, 2], 1, 2, 2)).toThrow(
      /Example 3 does not exist: this batch has 2 examples/,
    );
  });
  it('summarizes and formats', () => {
    expect(summarize([1, -3, NaN])).toEqual({ min: -3, max: 1, mean: -1, meanAbs: 2 });
    expect(num(0.5)).toBe('0.5000');
    expect(num(1e-5)).toBe('1.000e-5');
    expect(num(0)).toBe('0');
  });
});
