// Plans every buffer of a training run once: the arena layout for a network, a batch size, the data
// sizes and an optimizer. Nothing is allocated after this.
import { LayoutBuilder, type ArenaLayout, type BufferEntry } from './arena.ts';
import { CTRL_SLOTS, EPOCH_FIELDS, LIVE_SLOTS } from './types.ts';
import { layerSizes } from './types.ts';
import type { NetworkSpec, OptimizerName } from './types.ts';

export interface PlanInput {
  spec: NetworkSpec;
  optimizer: OptimizerName;
  batchSize: number;
  epochs: number;
  m: { train: number; dev: number; test: number };
  /** Bytes of each kernel scratch region (packed panels; default 640 KiB, the WebAssembly kernels' full-speed size). */
  scratchBytes?: number;
  /** Scratch regions, one per kernel thread (default 1): scratch0, scratch1, ... */
  scratchRegions?: number;
}

export interface SessionPlan {
  layout: ArenaLayout;
  spec: NetworkSpec;
  /** [n_0, ..., n_L]. */
  n: number[];
  L: number;
  /** Columns of a training batch (m_train for 'gd'). */
  batch: number;
  batchesPerEpoch: number;
  epochs: number;
  /** Columns of the evaluation/prediction chunk. */
  evalCols: number;
  /** Float32 elements of the contiguous parameter block (W[1], b[1], ..., padded to 16 bytes). */
  paramCount: number;
  /** Byte offset of each W[l] / b[l] inside the parameter block (same inside grads, backup, v, s). */
  wOffset: number[];
  bOffset: number[];
  /** Layers with dropout masks (keepProb < 1). */
  dropout: boolean[];
  m: { train: number; dev: number; test: number };
}

const EVAL_COLS = 256;
/** 10 pages of 64 KiB: what the WebAssembly kernels need to pack at full block size. */
export const DEFAULT_SCRATCH_BYTES = 10 * 65536;

export function planSession(p: PlanInput): SessionPlan {
  const { spec } = p;
  const n = layerSizes(spec);
  const L = n.length - 1;
  if (p.m.train < 1) throw new Error('The training split is empty: there is nothing to train on.');
  if (!Number.isInteger(p.epochs) || p.epochs < 1)
    throw new Error(`Epochs must be a whole number >= 1 (got ${p.epochs}).`);
  if (p.optimizer !== 'gd' && (!Number.isInteger(p.batchSize) || p.batchSize < 1))
    throw new Error(`Batch size must be a whole number >= 1 (got ${p.batchSize}).`);
  const batch = p.optimizer === 'gd' ? p.m.train : Math.min(p.batchSize, p.m.train);
  const batchesPerEpoch = Math.ceil(p.m.train / batch);
  const evalCols = Math.max(1, Math.min(EVAL_COLS, Math.max(p.m.train, p.m.dev, p.m.test)));
  const cacheCols = batch;
  const maxN = Math.max(...n);
  const b = new LayoutBuilder();

  b.add('ctrl', 1, CTRL_SLOTS, 'i32');
  b.add('live', 1, LIVE_SLOTS, 'f64');
  b.add('history', p.epochs, EPOCH_FIELDS.length, 'f64');

  // Parameters: one contiguous block so the optimizer and the rollback are single loops.
  const wOffset = [0],
    bOffset = [0];
  let bytes = 0;
  for (let l = 1; l <= L; l++) {
    wOffset.push(bytes);
    bytes += Math.ceil((n[l] * n[l - 1] * 4) / 16) * 16;
    bOffset.push(bytes);
    bytes += Math.ceil((n[l] * 4) / 16) * 16;
  }
  const paramCount = bytes / 4;
  const blocks: [string, string, string][] = [
    ['params', 'W', 'b'],
    ['grads', 'dW', 'db'],
  ];
  for (const [block, w, bb] of blocks) {
    const parent: BufferEntry = b.add(block, 1, paramCount);
    for (let l = 1; l <= L; l++) {
      b.addInside(`${w}${l}`, parent, wOffset[l], n[l], n[l - 1]);
      b.addInside(`${bb}${l}`, parent, bOffset[l], n[l], 1);
    }
  }
  b.add('backup', 1, paramCount);
  if (p.optimizer === 'momentum' || p.optimizer === 'adam') b.add('optV', 1, paramCount);
  if (p.optimizer === 'adam') b.add('optS', 1, paramCount);

  // Data: X (n_x, m) and Y (n_y, m) per split.
  // Mini-batch training keeps the training X example-major, XT_train (m, n_x), so gathering a
  // shuffled batch reads whole contiguous rows instead of n_x cache misses per example.
  for (const s of ['train', 'dev', 'test'] as const) {
    if (s === 'train' && p.optimizer !== 'gd') b.add('XT_train', p.m.train, n[0]);
    else b.add(`X_${s}`, n[0], p.m[s]);
    b.add(`Y_${s}`, n[L], p.m[s]);
  }
  b.add('perm', 1, p.m.train, 'u32');
  b.add('featureMaxAbs', 1, n[0]);

  // Batch buffers and per-layer caches (packed with row stride = the batch's column count).
  if (p.optimizer !== 'gd') {
    b.add('Xb', n[0], cacheCols);
    b.add('Yb', n[L], cacheCols);
  }
  const dropout = [false];
  for (let l = 1; l <= L; l++) {
    b.add(`Z${l}`, n[l], cacheCols);
    b.add(`A${l}`, n[l], cacheCols);
    b.add(`dZ${l}`, n[l], cacheCols);
    const d = l < L && spec.hidden[l - 1].keepProb < 1;
    dropout.push(d);
    if (d) b.add(`D${l}`, n[l], cacheCols);
  }
  const tmpCols = Math.max(cacheCols, evalCols);
  for (const t of ['colMax', 'colSum', 'colArg', 'colArgY']) b.add(t, 1, tmpCols);

  // Evaluation / prediction: one input chunk and two ping-pong activation buffers.
  b.add('evX', n[0], evalCols);
  b.add('evY', n[L], evalCols);
  b.add('evP', maxN, evalCols);
  b.add('evQ', maxN, evalCols);

  const regions = Math.max(1, p.scratchRegions ?? 1);
  for (let r = 0; r < regions; r++)
    b.add(`scratch${r}`, 1, Math.ceil((p.scratchBytes ?? DEFAULT_SCRATCH_BYTES) / 4));

  return {
    layout: b.finish(),
    spec,
    n,
    L,
    batch,
    batchesPerEpoch,
    epochs: p.epochs,
    evalCols,
    paramCount,
    wOffset,
    bOffset,
    dropout,
    m: { ...p.m },
  };
}

/** The three data splits. */
export type Split = 'train' | 'dev' | 'test';

/** Float32 element offsets (into the arena's heap) of every buffer the training passes touch, by
 *  layer l = 1..L (index 0 unused); -1 where a buffer is not planned (D without dropout, v/s). */
export interface BufferOffsets {
  W: number[];
  b: number[];
  dW: number[];
  db: number[];
  Z: number[];
  A: number[];
  dZ: number[];
  D: number[];
  /** The contiguous blocks: parameters, gradients, the rollback copy, the optimizer's v and s. */
  params: number;
  grads: number;
  backup: number;
  v: number;
  s: number;
  /** X per split: the training X is example-major (XT_train, (m, n_x)) unless the optimizer is gd. */
  X: Record<Split, number>;
  Y: Record<Split, number>;
  /** Whether X.train is the example-major XT_train. */
  trainT: boolean;
  /** The gathered batch (X_train / Y_train themselves for gd). */
  Xb: number;
  Yb: number;
  evX: number;
  evY: number;
  evP: number;
  evQ: number;
  colMax: number;
  colSum: number;
  colArg: number;
  colArgY: number;
}

export function bufferOffsets(plan: SessionPlan, optimizer: OptimizerName): BufferOffsets {
  const buffers = plan.layout.buffers;
  const at = (name: string) => {
    const e = buffers[name];
    if (!e) throw new Error(`The plan has no buffer "${name}".`);
    return e.offset / 4;
  };
  const maybe = (name: string) => (buffers[name] ? at(name) : -1);
  const gd = optimizer === 'gd';
  const perLayer = (prefix: string, optional = false) => [
    0,
    ...Array.from({ length: plan.L }, (_, i) =>
      optional ? maybe(`${prefix}${i + 1}`) : at(`${prefix}${i + 1}`),
    ),
  ];
  const X = { train: gd ? at('X_train') : at('XT_train'), dev: at('X_dev'), test: at('X_test') };
  const Y = { train: at('Y_train'), dev: at('Y_dev'), test: at('Y_test') };
  return {
    W: perLayer('W'),
    b: perLayer('b'),
    dW: perLayer('dW'),
    db: perLayer('db'),
    Z: perLayer('Z'),
    A: perLayer('A'),
    dZ: perLayer('dZ'),
    D: perLayer('D', true),
    params: at('params'),
    grads: at('grads'),
    backup: at('backup'),
    v: maybe('optV'),
    s: maybe('optS'),
    X,
    Y,
    trainT: !gd,
    Xb: gd ? X.train : at('Xb'),
    Yb: gd ? Y.train : at('Yb'),
    evX: at('evX'),
    evY: at('evY'),
    evP: at('evP'),
    evQ: at('evQ'),
    colMax: at('colMax'),
    colSum: at('colSum'),
    colArg: at('colArg'),
    colArgY: at('colArgY'),
  };
}
