// Plain data between the page's live views and the view worker: the layers the page holds, where the
// worker reads the parameters from, and the jobs (a grid over two features, predicted vs actual).
import type { Activation, OutputActivation, TargetScale } from '../core/types.ts';

/** One layer's live W[l] (rows x cols = n_l x n_{l-1}, row-major) and b[l] (rows x 1), as the page
 * holds them: views into the trainer's arena. */
export interface PageLayer {
  W: Float32Array;
  b: Float32Array;
  rows: number;
  cols: number;
  activation: Activation | OutputActivation;
}

/** A layer inside a shared arena: byte offsets of W[l] and b[l] (float32). */
export interface SharedLayer {
  wOffset: number;
  bOffset: number;
  rows: number;
  cols: number;
  activation: Activation | OutputActivation;
}

/** Where the view worker reads W and b: the trainer's shared arena (live, read at each job), or a copy
 * the page made (no shared memory). */
export type ParamSource =
  | { kind: 'shared'; buffer: SharedArrayBuffer; layers: SharedLayer[] }
  | { kind: 'snapshot'; layers: PageLayer[] };

/** What a grid point gives: the network's output (all n_y values), or one neuron A[layer][unit]
 * (layer 1-based). */
export type ForwardTarget = { kind: 'output' } | { kind: 'neuron'; layer: number; unit: number };

/** A picture over features fx (across) and fy (up), the other inputs held at `base`. */
export interface GridJob {
  fx: number;
  fy: number;
  /** One value per input: the held values (fx and fy's are ignored). */
  base: Float64Array;
  xRange: [number, number];
  yRange: [number, number];
  target: ForwardTarget;
  /** Multiply-adds the picture may cost: the grid's side is chosen from it. */
  budget: number;
  maxSide: number;
}

export interface GridResult {
  /** The grid is side x side; point (i, j) is column i (x ascending) of row j (row 0 = top = largest y). */
  side: number;
  /** Values per point (n_y for the output, 1 for a neuron). */
  per: number;
  /** per values per point, point j * side + i, values of one point contiguous. */
  values: Float32Array;
  /** Time the worker computed, ms. */
  ms: number;
}

/** Predicted vs actual on sampled examples: X (n_x x m) and the standardized targets Y (1 x m). */
export interface ScatterJob {
  x: Float32Array;
  y: Float32Array;
  m: number;
  targetScale: TargetScale | null;
}

export interface ScatterResult {
  /** Both in the target's units. */
  actual: Float32Array;
  predicted: Float32Array;
  ms: number;
}

/** Principal components of sampled examples X (n_x x m): where each example sits in the plane. */
export interface PcaJob {
  x: Float32Array;
  nx: number;
  m: number;
}

export interface PcaResult {
  /** The examples in the plane (2 x m): row 0 = PC1, row 1 = PC2. */
  coords: Float32Array;
  /** Share of the total variance PC1 and PC2 explain. */
  ratio: [number, number];
  ms: number;
}

/** The network's outputs for examples X (n_x x m) placed in a plane at `coords` (2 x m), and the
 * neighbourhood grid over that plane (each cell: the mean output of the k nearest examples). */
export interface ProjectionJob {
  x: Float32Array;
  m: number;
  coords: Float32Array;
  xRange: [number, number];
  yRange: [number, number];
  side: number;
  k: number;
  /** Classes (the agreement is measured) or regression (it is not). */
  classes: boolean;
}

export interface ProjectionResult {
  /** The grid is side x side, as GridResult's. */
  side: number;
  per: number;
  values: Float32Array;
  /** Share of the examples whose cell's class is the class the network predicts for them (null for
   * regression). */
  agreement: number | null;
  ms: number;
}
