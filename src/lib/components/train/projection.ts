// The projection of all features: training examples placed by their first two principal components,
// the background coloured from the network's predictions for the nearest examples in that plane.
// The view worker computes the components (once per dataset) and, at each refresh, the network's
// outputs for the drawn examples and the neighbourhood grid; this builds the jobs and keeps what the
// picture draws (a deterministic, evenly strided sample of the training split).
import type { PreparedDataset } from '../../../../workers/data/prepared.ts';
import type {
  PageLayer,
  PcaJob,
  PcaResult,
  ProjectionJob,
  ProjectionResult,
} from '../../../../workers/view/types.ts';
import { colorize, divergingColor, type Plane } from './boundary.ts';
import { featureRange, labelsOf, type Points } from './points.ts';
import { paintPointLayer, type Shape } from './point-layer.ts';

/** Bounds of the sample and of one refresh. */
export const PROJECTION = {
  /** Most examples the components are fitted on and drawn. */
  maxPoints: 2000,
  /** Most values (n_x x examples) sent to the worker for the components. */
  maxValues: 400_000,
  /** Multiply-adds of the network's forward pass over the drawn examples per refresh. */
  budget: 40_000_000,
  /** Fewest examples drawn when the budget is tight (or all, when fewer). */
  minPoints: 200,
  /** Nearest examples a cell averages. */
  k: 7,
  /** Grid cells x examples compared per refresh (the grid's side follows from it). */
  cellBudget: 6_000_000,
} as const;

const EMPTY: Points = {
  x: new Float32Array(0),
  y: new Float32Array(0),
  label: new Uint8Array(0),
  value: new Float32Array(0),
  count: 0,
};

/** Evenly strided indices: `count` of `m`. */
function strided(m: number, count: number): Int32Array {
  const stride = count > 0 ? m / count : 1;
  return Int32Array.from({ length: count }, (_, q) => Math.floor(q * stride));
}

/** Columns `idx` of X (rows x m). */
function columns(x: Float32Array, rows: number, m: number, idx: Int32Array): Float32Array {
  const n = idx.length;
  const out = new Float32Array(rows * n);
  for (let f = 0; f < rows; f++) for (let q = 0; q < n; q++) out[f * n + q] = x[f * m + idx[q]];
  return out;
}

/** Grid side so that side^2 cells x n examples stay within the cell budget (16 to 96). */
export function projectionSide(n: number, cellBudget: number = PROJECTION.cellBudget): number {
  return Math.max(16, Math.min(96, Math.floor(Math.sqrt(cellBudget / Math.max(1, n)))));
}

/** How many of the `count` sampled examples one refresh predicts for a network of `weights` weights. */
export function drawnCount(count: number, weights: number): number {
  const fit = Math.floor(PROJECTION.budget / Math.max(1, weights));
  return Math.min(count, Math.max(PROJECTION.minPoints, fit));
}

/** Everything fixed for one dataset: the sample, its components once known, the drawn subset. */
export class ProjectionModel implements Plane {
  readonly data: PreparedDataset;
  readonly nx: number;
  /** The sample: X (n_x x count), class labels, targets. */
  readonly count: number;
  readonly #x: Float32Array;
  readonly #label: Uint8Array;
  readonly #value: Float32Array;
  coords: Float32Array | null = null;
  /** The components were asked of the worker. */
  asked = false;
  ratio: [number, number] = [0, 0];
  xRange: [number, number] = [-1, 1];
  yRange: [number, number] = [-1, 1];
  /** The drawn examples (all the sample until a network's budget asks for fewer). */
  train: Points = EMPTY;
  readonly dev: Points = EMPTY;
  #drawn: { n: number; x: Float32Array; coords: Float32Array } | null = null;

  constructor(data: PreparedDataset) {
    this.data = data;
    this.nx = data.featureNames.length;
    const { m, x, y } = data.train;
    const cap = Math.floor(PROJECTION.maxValues / Math.max(1, this.nx));
    this.count = Math.min(m, PROJECTION.maxPoints, Math.max(PROJECTION.minPoints, cap));
    const idx = strided(m, this.count);
    this.#x = columns(x, this.nx, m, idx);
    const ny = m > 0 ? Math.round(y.length / m) : 1;
    const labels = labelsOf(y, ny, m);
    this.#label = Uint8Array.from(idx, (i) => labels[i]);
    this.#value = Float32Array.from(idx, (i) => y[i]);
  }

  /** The worker's job for the components of the sample. */
  pcaJob(): PcaJob {
    return { x: this.#x, nx: this.nx, m: this.count };
  }

  /** Keeps the examples' places in the plane; the ranges frame them. */
  setPca(r: PcaResult): void {
    this.coords = r.coords;
    this.ratio = r.ratio;
    this.xRange = featureRange(r.coords, this.count, 0);
    this.yRange = featureRange(r.coords, this.count, 1);
    this.#drawn = null;
    this.#draw(this.count);
  }

  /** The drawn subset: n of the sample, evenly strided; the painted points follow it. */
  #draw(n: number): { n: number; x: Float32Array; coords: Float32Array } {
    if (this.#drawn?.n === n) return this.#drawn;
    const coords = this.coords ?? new Float32Array(2 * this.count);
    const idx = strided(this.count, n);
    const drawn = {
      n,
      x: columns(this.#x, this.nx, this.count, idx),
      coords: columns(coords, 2, this.count, idx),
    };
    this.train = {
      x: drawn.coords.slice(0, n),
      y: drawn.coords.slice(n, 2 * n),
      label: Uint8Array.from(idx, (i) => this.#label[i]),
      value: Float32Array.from(idx, (i) => this.#value[i]),
      count: n,
    };
    this.#drawn = drawn;
    return drawn;
  }

  /** The worker's job for one refresh of the background (null until the components are known). */
  projectionJob(layers: readonly PageLayer[]): ProjectionJob | null {
    if (!this.coords) return null;
    let weights = 0;
    for (const L of layers) weights += L.rows * L.cols;
    const d = this.#draw(drawnCount(this.count, weights));
    return {
      x: d.x,
      m: d.n,
      coords: d.coords,
      xRange: this.xRange,
      yRange: this.yRange,
      side: projectionSide(d.n),
      k: PROJECTION.k,
      classes: this.data.task !== 'regression',
    };
  }

  /** Regression: the largest |value| of the background and the drawn examples' targets (the colour
   * scale both share; values are standardized, 0 = the training mean). */
  scale = 1;

  /** The colour scale of the drawn examples' targets alone (before the network draws a background). */
  valueScale(): number {
    let s = 0;
    for (let q = 0; q < this.train.count; q++) s = Math.max(s, Math.abs(this.train.value[q]));
    return s || 1;
  }

  /** The worker's grid as an image (row 0 = top); regression on a scale shared with the points. */
  image(r: ProjectionResult): ImageData {
    const image = new ImageData(r.side, r.side);
    const n = r.side * r.side;
    if (this.data.task !== 'regression') {
      colorize(r.values, r.per, n, false, image.data);
      return image;
    }
    let s = this.valueScale();
    for (let p = 0; p < n; p++) s = Math.max(s, Math.abs(r.values[p * r.per]));
    this.scale = s;
    for (let p = 0; p < n; p++) {
      const [cr, cg, cb] = divergingColor(r.values[p * r.per], s);
      image.data.set([cr, cg, cb, 255], p * 4);
    }
    return image;
  }
}

/** Regression: each drawn example coloured by its actual target on the background's diverging scale
 * (orange below the training mean, blue above), outlined dark. */
export function paintValues(ctx: CanvasRenderingContext2D, plane: Plane, scale: number): void {
  paintPointLayer(ctx, plane, valuesOf, scale);
}

/** Each drawn example as a shape of its own (its colour is its value's). */
function valuesOf(plane: Plane, width: number, height: number, scale: number): Shape[] {
  const [x0, x1] = plane.xRange;
  const [y0, y1] = plane.yRange;
  const r = Math.max(2, Math.min(4, width / 120));
  const pts = plane.train;
  const shapes: Shape[] = [];
  for (let q = 0; q < pts.count; q++) {
    const [cr, cg, cb] = divergingColor(pts.value[q], scale);
    const path = new Path2D();
    path.arc(
      ((pts.x[q] - x0) / (x1 - x0)) * width,
      height - ((pts.y[q] - y0) / (y1 - y0)) * height,
      r,
      0,
      2 * Math.PI,
    );
    shapes.push({ path, fill: `rgb(${cr},${cg},${cb})`, stroke: '#333333', lineWidth: 1 });
  }
  return shapes;
}

const models = new WeakMap<PreparedDataset, ProjectionModel>();

/** The projection of a dataset, made once (its components are computed once). */
export function projectionModelOf(data: PreparedDataset): ProjectionModel {
  let m = models.get(data);
  if (!m) {
    m = new ProjectionModel(data);
    models.set(data, m);
  }
  return m;
}
