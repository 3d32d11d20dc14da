// The decision-boundary painter: a heatmap of the network's output over two chosen input features
// (the others at their median), with train points (filled) and dev points (ringed) on top; for
// regression, predicted vs actual on the dev split. The view worker computes the grid and the
// predictions (jobs built here); the page only colours and paints.
import type { PreparedDataset } from '../../../../workers/data/prepared.ts';
import type {
  ForwardTarget,
  GridJob,
  GridResult,
  PageLayer,
  ScatterJob,
} from '../../../../workers/view/types.ts';
import { datasetMedians, featureRange, samplePoints, type Points } from './points.ts';
import { paintPointLayer, type Shape } from './point-layer.ts';

export type Rgb = readonly [number, number, number];

/** Most points drawn over a picture, per split (evenly strided): enough to see the classes, few
 *  enough that a software rasteriser (a slow laptop) paints them in a few ms. */
export const MAX_POINTS = { train: 600, dev: 200 } as const;

/** Class colours (colour-blind-safe Okabe-Ito order, then extras); class 0 of a binary task is orange, 1 blue. */
export const CLASS_COLORS: readonly Rgb[] = [
  [213, 94, 0],
  [0, 114, 178],
  [0, 158, 115],
  [204, 121, 167],
  [230, 159, 0],
  [86, 180, 233],
  [120, 94, 240],
  [140, 140, 140],
  [0, 0, 0],
  [160, 100, 40],
];

export function classColor(c: number): Rgb {
  return CLASS_COLORS[((c % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
}

const WHITE: Rgb = [255, 255, 255];

function mix(a: Rgb, b: Rgb, t: number): [number, number, number] {
  const u = Math.max(0, Math.min(1, t));
  return [
    Math.round(a[0] + (b[0] - a[0]) * u),
    Math.round(a[1] + (b[1] - a[1]) * u),
    Math.round(a[2] + (b[2] - a[2]) * u),
  ];
}

/** Binary probability p of class 1 -> colour: class 0 colour at 0, white at 0.5, class 1 colour at 1 (softened). */
export function probabilityColor(p: number): [number, number, number] {
  if (!Number.isFinite(p)) return [128, 128, 128];
  return p >= 0.5
    ? mix(WHITE, classColor(1), (p - 0.5) * 2 * 0.75)
    : mix(WHITE, classColor(0), (0.5 - p) * 2 * 0.75);
}

/** Softmax column -> colour of the most likely class, paler when the network is unsure. */
export function multiclassColor(
  probs: ArrayLike<number>,
  offset: number,
  classes: number,
): [number, number, number] {
  let best = 0;
  let bestP = -1;
  for (let c = 0; c < classes; c++) {
    const p = probs[offset + c];
    if (p > bestP) {
      bestP = p;
      best = c;
    }
  }
  if (!Number.isFinite(bestP)) return [128, 128, 128];
  const confidence = classes > 1 ? (bestP - 1 / classes) / (1 - 1 / classes) : 1;
  return mix(WHITE, classColor(best), 0.15 + 0.6 * confidence);
}

/** A value on a diverging scale around 0: negative orange, positive blue, |v| >= scale saturated. */
export function divergingColor(v: number, scale: number): [number, number, number] {
  if (!Number.isFinite(v)) return [128, 128, 128];
  const t = scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
  return t >= 0 ? mix(WHITE, classColor(1), t * 0.85) : mix(WHITE, classColor(0), -t * 0.85);
}

/** Writes RGBA pixels for n grid points of `per` values each. */
export function colorize(
  out: Float32Array,
  per: number,
  n: number,
  diverging: boolean,
  px: Uint8ClampedArray,
): void {
  let scale = 1;
  if (diverging) {
    let maxAbs = 0;
    for (let p = 0; p < n; p++) maxAbs = Math.max(maxAbs, Math.abs(out[p * per]));
    scale = maxAbs || 1;
  }
  for (let p = 0; p < n; p++) {
    const rgb = diverging
      ? divergingColor(out[p * per], scale)
      : per === 1
        ? probabilityColor(out[p])
        : multiclassColor(out, p * per, per);
    px[p * 4] = rgb[0];
    px[p * 4 + 1] = rgb[1];
    px[p * 4 + 2] = rgb[2];
    px[p * 4 + 3] = 255;
  }
}

/** Everything fixed for one dataset and one pair of features. */
export class BoundaryModel {
  readonly data: PreparedDataset;
  readonly fx: number;
  readonly fy: number;
  readonly base: Float64Array;
  readonly xRange: [number, number];
  readonly yRange: [number, number];
  readonly train: Points;
  readonly dev: Points;
  readonly ny: number;
  #scatter: { count: number; job: ScatterJob } | null = null;

  constructor(data: PreparedDataset, fx: number, fy: number, base?: Float64Array) {
    this.data = data;
    const nx = data.featureNames.length;
    this.fx = Math.min(Math.max(0, fx), nx - 1);
    this.fy = Math.min(Math.max(0, fy), nx - 1);
    this.ny =
      data.train.m > 0
        ? Math.round(data.train.y.length / data.train.m)
        : Math.max(1, data.classLabels.length);
    this.base = base ?? datasetMedians(data);
    this.xRange = featureRange(data.train.x, data.train.m, this.fx);
    this.yRange = featureRange(data.train.x, data.train.m, this.fy);
    this.train = samplePoints(data.train, this.ny, this.fx, this.fy, MAX_POINTS.train);
    this.dev = samplePoints(data.dev, this.ny, this.fx, this.fy, MAX_POINTS.dev);
  }

  /** The view worker's job for a heatmap of the output (or of one neuron): about `budget`
   * multiply-adds, a grid side of at most `maxSide`. */
  gridJob(target: ForwardTarget = { kind: 'output' }, budget = 2_000_000, maxSide = 60): GridJob {
    return {
      fx: this.fx,
      fy: this.fy,
      base: this.base,
      xRange: this.xRange,
      yRange: this.yRange,
      target,
      budget,
      maxSide,
    };
  }

  /** The worker's grid as an image of side G (row 0 = top = largest y). */
  image(r: GridResult, target: ForwardTarget = { kind: 'output' }): ImageData {
    const image = new ImageData(r.side, r.side);
    const diverging = target.kind === 'neuron' || this.data.task === 'regression';
    colorize(r.values, r.per, r.side * r.side, diverging, image.data);
    return image;
  }

  /** The view worker's job for predicted vs actual: (a sample of) the dev split, sized to a budget. */
  scatterJob(layers: readonly PageLayer[], max = 400, budget = 1_500_000): ScatterJob {
    const split = this.data.dev.m > 0 ? this.data.dev : this.data.train;
    let full = 0;
    for (const L of layers) full += L.rows * L.cols;
    const count = Math.min(split.m, max, Math.max(20, Math.floor(budget / Math.max(1, full))));
    if (this.#scatter?.count === count) return this.#scatter.job;
    const stride = count > 0 ? Math.floor(split.m / count) : 1;
    const nx = this.data.featureNames.length;
    const x = new Float32Array(nx * count);
    const y = new Float32Array(count);
    for (let q = 0; q < count; q++) {
      for (let f = 0; f < nx; f++) x[f * count + q] = split.x[f * split.m + q * stride];
      y[q] = split.y[q * stride];
    }
    const job = { x, y, m: count, targetScale: this.data.targetScale };
    this.#scatter = { count, job };
    return job;
  }
}

/** A plane of points over ranges (the two chosen features, or the principal components). */
export type Plane = Pick<BoundaryModel, 'xRange' | 'yRange' | 'train' | 'dev' | 'data'>;

/** Draws an ImageData heatmap scaled to the canvas, then the points. */
export function paintBoundary(
  ctx: CanvasRenderingContext2D,
  model: Plane,
  img: ImageData,
  scratch: HTMLCanvasElement | OffscreenCanvas,
): void {
  scratch.width = img.width;
  scratch.height = img.height;
  const sctx = scratch.getContext('2d') as
    CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!sctx) return;
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(scratch, 0, 0, ctx.canvas.width, ctx.canvas.height);
  paintPoints(ctx, model);
}

/** The training points (filled) and dev points (ringed) in their class colours, over what `ctx`
 *  shows (their shapes are built once per plane and size, see point-layer.ts). */
export function paintPoints(ctx: CanvasRenderingContext2D, model: Plane): void {
  paintPointLayer(ctx, model, pointsOf);
}

/** The class points as shapes: the points of one class and split are one path, filled once and
 *  outlined once (a canvas rasterises a few shapes per picture, not two per point). */
export function pointsOf(model: Plane, width: number, height: number): Shape[] {
  const [x0, x1] = model.xRange;
  const [y0, y1] = model.yRange;
  const sx = width / (x1 - x0);
  const sy = height / (y1 - y0);
  const r = Math.max(2, Math.min(4, width / 120));
  const shapes: Shape[] = [];
  const dots = (pts: Points, ring: boolean) => {
    for (const label of pointClasses(pts)) {
      const path = new Path2D();
      for (let q = 0; q < pts.count; q++) {
        if (pts.label[q] !== label) continue;
        const cx = (pts.x[q] - x0) * sx;
        const cy = height - (pts.y[q] - y0) * sy;
        path.moveTo(cx + r, cy);
        path.arc(cx, cy, r, 0, 2 * Math.PI);
      }
      const [cr, cg, cb] = classColor(label);
      const color = `rgb(${cr},${cg},${cb})`;
      shapes.push({
        path,
        fill: ring ? '#ffffff' : color,
        stroke: ring ? color : '#ffffff',
        lineWidth: ring ? 1.5 : 0.75,
      });
    }
  };
  if (model.data.task !== 'regression') {
    dots(model.train, false);
    dots(model.dev, true);
  }
  return shapes;
}

/** The classes among `pts`, in increasing order. */
export function pointClasses(pts: Pick<Points, 'count' | 'label'>): number[] {
  const seen = new Set<number>();
  for (let q = 0; q < pts.count; q++) seen.add(pts.label[q]);
  return [...seen].sort((a, b) => a - b);
}

/** Predicted vs actual scatter with the y = x line. */
export function paintScatter(
  ctx: CanvasRenderingContext2D,
  actual: Float32Array,
  predicted: Float32Array,
  color: string,
  lineColor: string,
): void {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < actual.length; i++) {
    lo = Math.min(lo, actual[i], predicted[i]);
    hi = Math.max(hi, actual[i], predicted[i]);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return;
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const s = (v: number) => ((v - lo) / (hi - lo)) * width;
  ctx.strokeStyle = lineColor;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, height);
  ctx.lineTo(width, 0);
  ctx.stroke();
  ctx.fillStyle = color;
  for (let i = 0; i < actual.length; i++) {
    ctx.beginPath();
    ctx.arc(s(actual[i]), height - (s(predicted[i]) / width) * height, 2.5, 0, 2 * Math.PI);
    ctx.fill();
  }
}
