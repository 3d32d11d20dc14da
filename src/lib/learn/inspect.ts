// "Inspect a layer", page side: the shapes of one layer's matrices in the notes' terms, the numbers of
// one example, and how entries are summarized and formatted. The inspection itself comes from the live
// training session (the trainer's inspect()) or from the labs' worker's sandbox (workers/labs).
import type { InspectedLayer } from '../../../workers/labs/types.ts';

export type { InspectedLayer, Inspection } from '../../../workers/labs/types.ts';

type Values = Float32Array | Float64Array;

export type MatrixName = 'W' | 'b' | 'Z' | 'A' | 'dZ' | 'dW' | 'db';
export const MATRIX_NAMES: readonly MatrixName[] = ['W', 'b', 'Z', 'A', 'dZ', 'dW', 'db'];

/** Shape of a matrix of layer l, in the notes' terms. */
export function matrixShape(
  layer: InspectedLayer,
  name: MatrixName,
  m: number,
): { rows: number; cols: number } {
  switch (name) {
    case 'W':
    case 'dW':
      return { rows: layer.rows, cols: layer.cols };
    case 'b':
    case 'db':
      return { rows: layer.rows, cols: 1 };
    default:
      return { rows: layer.rows, cols: m };
  }
}

export function matrixOf(layer: InspectedLayer, name: MatrixName): Values {
  return layer[name];
}

/** Column j of a (rows, m) matrix: the numbers of one example. */
export function exampleColumn(
  values: ArrayLike<number>,
  rows: number,
  m: number,
  j: number,
): number[] {
  if (j < 0 || j >= m)
    throw new Error(`Example ${j + 1} does not exist: this batch has ${m} examples.`);
  return Array.from({ length: rows }, (_, r) => values[r * m + j]);
}

export interface ValueSummary {
  min: number;
  max: number;
  mean: number;
  /** Mean of |v|. */
  meanAbs: number;
}

export function summarize(values: ArrayLike<number>): ValueSummary {
  let min = Infinity;
  let max = -Infinity;
  let s = 0;
  let sa = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    s += v;
    sa += Math.abs(v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return n === 0
    ? { min: NaN, max: NaN, mean: NaN, meanAbs: NaN }
    : { min, max, mean: s / n, meanAbs: sa / n };
}

/** Formats one matrix entry for the example table. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(3) : v.toFixed(4);
}
