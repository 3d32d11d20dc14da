// The initialization and regularization labs: the same network trained several times on the same data
// with the same seed, changing one thing, using the engine's float64 library API (forwardBackward,
// gdStep). Pure: runs under Node in tests and inside the labs' worker in the app.
import { INITS, RANDOM_INIT_SCALE } from '../core/types.ts';
import { MessageError, msg, type Msg } from '../messages/index.ts';
import type { Init, Task } from '../core/types.ts';
import {
  createNetwork,
  forwardBackward,
  gdStep,
  type Matrix,
  type Network,
} from '../core/network.ts';
import { createRng } from '../core/rng.ts';
import type {
  Histogram,
  LabCurves,
  LabData,
  LabRunOptions,
  LabRunResult,
  LabSplit,
  LabVariant,
  LayerStats,
  RegularizationSettings,
} from './types.ts';

/** Equal-width histogram of the finite values; a constant set gets one bin around it. */
export function histogram(values: ArrayLike<number>, bins = 24): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    n++;
    sum += v;
    sum2 += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (n === 0)
    return { min: 0, max: 0, counts, total: values.length, nonFinite, mean: NaN, std: NaN };
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  if (min === max) {
    const half = min === 0 ? 1e-3 : Math.abs(min) * 1e-3;
    min -= half;
    max += half;
  }
  const w = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - min) / w)))]++;
  }
  return { min, max, counts, total: values.length, nonFinite, mean, std };
}

/** Largest |difference| between each unit's incoming weights + bias and those of the first unit. */
export function unitSpread(W: Matrix, b: Matrix): number {
  let spread = 0;
  for (let i = 1; i < W.rows; i++) {
    for (let k = 0; k < W.cols; k++)
      spread = Math.max(spread, Math.abs(W.data[i * W.cols + k] - W.data[k]));
    spread = Math.max(spread, Math.abs(b.data[i] - b.data[0]));
  }
  return spread;
}

/** The columns `idx` of a row-major (rows, m) matrix, as a (rows, idx.length) matrix. */
export function columns(
  data: ArrayLike<number>,
  rows: number,
  m: number,
  idx: ArrayLike<number>,
): Float64Array {
  const k = idx.length;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) out[r * k + j] = data[r * m + idx[j]];
  return out;
}

/** The first `maxM` examples of a split (labs stay quick on big datasets). */
export function firstExamples(s: LabSplit, rowsX: number, rowsY: number, maxM: number): LabSplit {
  if (s.m <= maxM) return s;
  const idx = Array.from({ length: maxM }, (_, i) => i);
  return { m: maxM, x: columns(s.x, rowsX, s.m, idx), y: columns(s.y, rowsY, s.m, idx) };
}

/** Accuracy of A[L] against Y: argmax for several outputs, 0.5 threshold for one sigmoid; NaN for regression. */
export function accuracy(task: Task, AL: Matrix, Y: ArrayLike<number>): number {
  if (task === 'regression' || AL.cols === 0) return NaN;
  const m = AL.cols;
  let right = 0;
  if (AL.rows === 1) {
    for (let j = 0; j < m; j++) if ((AL.data[j] >= 0.5 ? 1 : 0) === (Y[j] >= 0.5 ? 1 : 0)) right++;
  } else {
    for (let j = 0; j < m; j++) {
      let best = 0;
      let yBest = 0;
      for (let i = 1; i < AL.rows; i++) {
        if (AL.data[i * m + j] > AL.data[best * m + j]) best = i;
        if (Y[i * m + j] > Y[yBest * m + j]) yBest = i;
      }
      if (best === yBest) right++;
    }
  }
  return right / m;
}

function evaluate(net: Network, task: Task, s: LabSplit): { loss: number; accuracy: number } {
  if (s.m === 0) return { loss: NaN, accuracy: NaN };
  const X = { rows: net.spec.inputs, cols: s.m, data: s.x };
  const Y = { rows: net.spec.outputs, cols: s.m, data: s.y };
  const noDrop = net.spec.hidden.map(() => 1);
  const r = forwardBackward(net, X, Y, { lambda: 0, keepProbs: noDrop });
  return { loss: r.cost.crossEntropy, accuracy: accuracy(task, r.A[r.A.length - 1], s.y) };
}

function layerStats(net: Network, s: LabSplit, lambda: number): LayerStats[] {
  const X = { rows: net.spec.inputs, cols: s.m, data: s.x };
  const Y = { rows: net.spec.outputs, cols: s.m, data: s.y };
  const noDrop = net.spec.hidden.map(() => 1);
  const r = forwardBackward(net, X, Y, { lambda, keepProbs: noDrop });
  const out: LayerStats[] = [];
  for (let l = 1; l < net.W.length; l++) {
    out.push({
      layer: l,
      activations: histogram(r.A[l].data),
      gradients: histogram(r.dW[l].data),
      unitSpread: unitSpread(net.W[l], net.b[l]),
      units: net.W[l].rows,
    });
  }
  return out;
}

/** Trains one variant with mini-batch gradient descent; calls onEpoch after each epoch. */
export function trainLab(
  data: LabData,
  v: LabVariant,
  onEpoch?: (epoch: number) => void,
): LabRunResult {
  const o = v.options;
  const net = createNetwork(o.spec, { init: o.init, seed: o.seed });
  const rng = createRng((o.seed ^ 0x5eed1ab) >>> 0);
  const { train } = data;
  const nx = o.spec.inputs;
  const ny = o.spec.outputs;
  if (train.m < 1) throw new MessageError(msg('labs.emptyTrain'));
  const before = layerStats(net, train, o.lambda);
  const curves: LabCurves = { trainLoss: [], devLoss: [], trainAccuracy: [], devAccuracy: [] };
  const order = Array.from({ length: train.m }, (_, i) => i);
  const bs = Math.max(1, Math.min(o.batchSize, train.m));
  let diverged = false;
  let epochsRun = 0;
  for (let e = 0; e < o.epochs && !diverged; e++) {
    if (bs < train.m) rng.shuffle(order);
    for (let start = 0; start < train.m; start += bs) {
      const idx = bs === train.m ? order : order.slice(start, Math.min(train.m, start + bs));
      const mb = idx.length;
      const X =
        bs === train.m
          ? { rows: nx, cols: mb, data: train.x }
          : { rows: nx, cols: mb, data: columns(train.x, nx, train.m, idx) };
      const Y =
        bs === train.m
          ? { rows: ny, cols: mb, data: train.y }
          : { rows: ny, cols: mb, data: columns(train.y, ny, train.m, idx) };
      const r = forwardBackward(net, X, Y, { lambda: o.lambda, rng });
      if (!Number.isFinite(r.cost.total)) {
        diverged = true;
        break;
      }
      gdStep(net, r, o.learningRate);
    }
    const tr = evaluate(net, data.task, train);
    const dv = evaluate(net, data.task, data.dev);
    curves.trainLoss.push(tr.loss);
    curves.devLoss.push(dv.loss);
    curves.trainAccuracy.push(tr.accuracy);
    curves.devAccuracy.push(dv.accuracy);
    if (!Number.isFinite(tr.loss)) diverged = true;
    epochsRun = e + 1;
    onEpoch?.(epochsRun);
  }
  const after = layerStats(net, train, o.lambda);
  const final = finalErrors(curves, data.task);
  return {
    id: v.id,
    label: v.label,
    options: o,
    curves,
    before,
    after,
    diverged,
    epochsRun,
    final,
  };
}

export const INIT_LABELS: Record<Init, Msg> = {
  zeros: msg('labs.variant.zeros'),
  random: msg('labs.variant.random', { scale: RANDOM_INIT_SCALE }),
  xavier: msg('labs.variant.xavier'),
  he: msg('labs.variant.he'),
};

/** The four initializations, everything else equal. */
export function initVariants(base: Omit<LabRunOptions, 'init'>): LabVariant[] {
  return INITS.map((init) => ({ id: init, label: INIT_LABELS[init], options: { ...base, init } }));
}

/** No regularization, L2, dropout, and both: same network, seed and split. */
export function regularizationVariants(
  base: LabRunOptions,
  reg: RegularizationSettings,
): LabVariant[] {
  const plain = { ...base.spec, hidden: base.spec.hidden.map((h) => ({ ...h, keepProb: 1 })) };
  const dropped = {
    ...base.spec,
    hidden: base.spec.hidden.map((h) => ({ ...h, keepProb: reg.keepProb })),
  };
  return [
    { id: 'none', label: msg('labs.variant.none'), options: { ...base, spec: plain, lambda: 0 } },
    {
      id: 'l2',
      label: msg('labs.variant.l2', { lambda: reg.lambda }),
      options: { ...base, spec: plain, lambda: reg.lambda },
    },
    {
      id: 'dropout',
      label: msg('labs.variant.dropout', { keep: reg.keepProb }),
      options: { ...base, spec: dropped, lambda: 0 },
    },
    {
      id: 'both',
      label: msg('labs.variant.both'),
      options: { ...base, spec: dropped, lambda: reg.lambda },
    },
  ];
}

/** Final train/dev error of a run: 1 - accuracy for classification, the loss for regression. */
export function finalErrors(curves: LabCurves, task: Task): { train: number; dev: number } {
  const last = (a: number[]) => (a.length ? a[a.length - 1] : NaN);
  if (task === 'regression') return { train: last(curves.trainLoss), dev: last(curves.devLoss) };
  return { train: 1 - last(curves.trainAccuracy), dev: 1 - last(curves.devAccuracy) };
}
