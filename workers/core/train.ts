// The planned trainer: the same maths as network.ts, in float32 on the arena, fused per layer
// (product, then one pass for bias + activation; backward product, then one pass for the activation
// derivative), with no allocation per step. Matrix products go through `Kernels` only.
import { createArena, type Arena } from './arena.ts';
import { readHistoryRow } from './control.ts';
import { initParams, validateSpec } from './activations.ts';
import { planSession, type SessionPlan } from './plan.ts';
import { createRng, type Rng } from './rng.ts';
import { createTsKernels } from './kernels/ts.ts';
import type { Kernels } from './kernels/types.ts';
import { createElementwise, type Elementwise } from './elementwise.ts';
import {
  ADAM_EPSILON,
  CTRL,
  EPOCH_FIELDS,
  INITS,
  LEAKY_RELU_SLOPE,
  LIVE,
  OPTIMIZERS,
  type Divergence,
  type EpochMetrics,
  type LayerParams,
  type NetworkSpec,
  type SerializedNetwork,
  type Task,
  type TrainConfig,
} from './types.ts';

/** One split of the data: X (n_x, m) and Y (n_y, m), row-major (same shape as PreparedSplit). */
export interface SplitData {
  m: number;
  x: Float32Array;
  y: Float32Array;
}

export interface PlannedTrainerInput {
  spec: NetworkSpec;
  config: TrainConfig;
  task: Task;
  data: { train: SplitData; dev?: SplitData; test?: SplitData };
  featureNames?: string[];
  targetScale?: { mean: number; std: number } | null;
  /** Start from these parameters instead of initializing from config.init / config.seed. */
  params?: LayerParams[];
  /** Builds the kernels on the arena (default: the TypeScript reference). */
  kernels?: (arena: Arena) => Kernels;
  /** Use a shared memory when possible (default true). */
  shared?: boolean;
  /** Clock in ms (default Date.now); the worker passes performance.now. */
  now?: () => number;
  scratchBytes?: number;
  scratchRegions?: number;
  /** Epochs already trained (resuming a checkpoint): this run trains config.epochs - startEpoch more,
   *  numbering its history rows from startEpoch + 1. Default 0. */
  startEpoch?: number;
  /** 'wasm': the sigmoid/tanh pass in WebAssembly SIMD when the memory allows it (the worker's
   *  choice); 'js' (default): plain JavaScript with Math.exp / Math.tanh. */
  elementwise?: 'wasm' | 'js';
}

export interface EvalMetrics {
  split: 'train' | 'dev' | 'test';
  m: number;
  /** Mean data loss (no L2). */
  loss: number;
  accuracy: number;
  /** Root mean squared error in the target's original units (regression). */
  rmse: number;
  /** Coefficient of determination (regression). */
  r2: number;
}

/** trainBatch() results. */
export const BATCH = { OK: 0, EPOCH_END: 1, DONE: 2, DIVERGED: 3 } as const;
export type BatchResult = (typeof BATCH)[keyof typeof BATCH];

const ACT = { sigmoid: 0, tanh: 1, relu: 2, leaky_relu: 3, linear: 4 } as const;
/** A feature whose absolute values exceed this is called "not scaled" when a run diverges. */
const UNSCALED = 1000;

export function validateConfig(c: TrainConfig): void {
  const bad = (field: string, what: string) => {
    throw new Error(`${field}: ${what}.`);
  };
  if (!(c.learningRate > 0 && Number.isFinite(c.learningRate)))
    bad('Learning rate', `must be a positive number (got ${c.learningRate})`);
  if (!(Number.isInteger(c.epochs) && c.epochs >= 1))
    bad('Epochs', `must be a whole number >= 1 (got ${c.epochs})`);
  if (c.optimizer !== 'gd' && !(Number.isInteger(c.batchSize) && c.batchSize >= 1))
    bad('Batch size', `must be a whole number >= 1 (got ${c.batchSize})`);
  if (!(c.lambda >= 0 && Number.isFinite(c.lambda)))
    bad('L2 lambda', `must be 0 or more (got ${c.lambda})`);
  if (!Number.isFinite(c.seed)) bad('Seed', `must be a number (got ${c.seed})`);
  if (c.optimizer === 'momentum' || c.optimizer === 'adam') {
    if (!(c.beta1 >= 0 && c.beta1 < 1)) bad('Beta1', `must be in [0, 1) (got ${c.beta1})`);
  }
  if (c.optimizer === 'adam' && !(c.beta2 >= 0 && c.beta2 < 1))
    bad('Beta2', `must be in [0, 1) (got ${c.beta2})`);
  if (!(OPTIMIZERS as readonly string[]).includes(c.optimizer))
    bad('Optimizer', `unknown "${String(c.optimizer)}"`);
  if (!(INITS as readonly string[]).includes(c.init))
    bad('Initialization', `unknown "${String(c.init)}"`);
}

export class PlannedTrainer {
  readonly plan: SessionPlan;
  readonly arena: Arena;
  /** The matrix products in use (swap with useKernels, e.g. for a thread pool on the same memory). */
  kernels: Kernels;
  readonly spec: NetworkSpec;
  readonly config: TrainConfig;
  readonly task: Task;
  readonly ctrl: Int32Array;
  readonly live: Float64Array;
  readonly history: Float64Array;
  divergence: Divergence | null = null;

  private readonly heap: Float32Array;
  private readonly ew: Elementwise | null;
  private readonly now: () => number;
  private readonly featureNames: string[];
  private readonly targetScale: { mean: number; std: number } | null;
  private rng: Rng;
  private readonly initial: LayerParams[] | undefined;
  // element offsets into heap
  private readonly oW: number[] = [0];
  private readonly oB: number[] = [0];
  private readonly oDW: number[] = [0];
  private readonly oDB: number[] = [0];
  private readonly oZ: number[] = [0];
  private readonly oA: number[] = [0];
  private readonly oDZ: number[] = [0];
  private readonly oD: number[] = [0];
  private readonly act: number[] = [0];
  private readonly keep: number[] = [1];
  private readonly oParams: number;
  private readonly oGrads: number;
  private readonly oBackup: number;
  private readonly oV: number;
  private readonly oS: number;
  private readonly oX: Record<'train' | 'dev' | 'test', number>;
  private readonly oY: Record<'train' | 'dev' | 'test', number>;
  private readonly oXb: number;
  private readonly oYb: number;
  private readonly oEvX: number;
  private readonly oEvY: number;
  private readonly oEvP: number;
  private readonly oEvQ: number;
  private readonly oColMax: number;
  private readonly oColSum: number;
  private readonly oColArg: number;
  private readonly oColArgY: number;
  private readonly perm: Uint32Array;
  /** The training X is stored example-major (XT_train) for mini-batch gathering. */
  private readonly trainT: boolean;
  private readonly featureMaxAbs: Float32Array;

  // progress
  private batchIndex = 0;
  private epochIndex = 0;
  /** Epochs trained before this run (a resumed checkpoint). */
  readonly epochOffset: number;
  private adamT = 0;
  private lastIn = 0;
  private lastY = 0;
  // running sums of the current epoch
  private lossSum = 0;
  private correct = 0;
  private sqErr = 0;
  private seen = 0;
  private epochMs = 0;
  private totalMs = 0;
  // results of the last fused output pass / evaluation chunk
  private outLoss = 0;
  private outCorrect = 0;
  private outSq = 0;
  private yDev = 0;

  constructor(input: PlannedTrainerInput) {
    validateSpec(input.spec);
    validateConfig(input.config);
    const { spec, config, data } = input;
    const empty = (): SplitData => ({ m: 0, x: new Float32Array(0), y: new Float32Array(0) });
    const splits = { train: data.train, dev: data.dev ?? empty(), test: data.test ?? empty() };
    for (const [name, s] of Object.entries(splits)) {
      if (s.x.length !== spec.inputs * s.m)
        throw new Error(
          `The ${name} split's X should be ${spec.inputs} x ${s.m} (${spec.inputs * s.m} values) but has ${s.x.length}.`,
        );
      if (s.y.length !== spec.outputs * s.m)
        throw new Error(
          `The ${name} split's Y should be ${spec.outputs} x ${s.m} (${spec.outputs * s.m} values) but has ${s.y.length}.`,
        );
    }
    // Missing or broken values would only show up as a NaN loss later: name them now.
    for (const [name, sp] of Object.entries(splits)) {
      for (let f = 0; f < spec.inputs; f++) {
        for (let j = 0; j < sp.m; j++) {
          if (!Number.isFinite(sp.x[f * sp.m + j])) {
            const col = input.featureNames?.[f] ?? `feature ${f + 1}`;
            throw new Error(
              `Column ${col} has a value that is not a number (${sp.x[f * sp.m + j]}) in example ${j + 1} of the ${name} split. Fill in or drop missing values in the recipe.`,
            );
          }
        }
      }
      for (let i = 0; i < sp.y.length; i++) {
        if (!Number.isFinite(sp.y[i]))
          throw new Error(
            `The target has a value that is not a number in example ${(i % sp.m) + 1} of the ${name} split. Drop rows without a target in the recipe.`,
          );
      }
    }
    this.epochOffset = input.startEpoch ?? 0;
    if (!(
      Number.isInteger(this.epochOffset) &&
      this.epochOffset >= 0 &&
      this.epochOffset < config.epochs
    )) {
      throw new Error(
        `Epochs: the run has ${config.epochs} epochs, so it cannot resume after epoch ${this.epochOffset}. Raise Epochs to train further.`,
      );
    }
    this.spec = spec;
    this.config = { ...config };
    this.task = input.task;
    const perf = (globalThis as { performance?: { now(): number } }).performance;
    this.now = input.now ?? (perf ? () => perf.now() : Date.now);
    this.featureNames = input.featureNames ?? [];
    this.targetScale = input.targetScale ?? null;
    this.initial = input.params;
    this.plan = planSession({
      spec,
      optimizer: config.optimizer,
      batchSize: config.batchSize,
      epochs: config.epochs - this.epochOffset,
      m: { train: splits.train.m, dev: splits.dev.m, test: splits.test.m },
      scratchBytes: input.scratchBytes,
      scratchRegions: input.scratchRegions,
    });
    this.arena = createArena(this.plan.layout, { shared: input.shared });
    this.heap = this.arena.heap;
    this.kernels = input.kernels ? input.kernels(this.arena) : createTsKernels(this.heap);
    this.ew = input.elementwise === 'wasm' ? createElementwise(this.arena.memory) : null;
    this.ctrl = this.arena.i32('ctrl');
    this.live = this.arena.f64('live');
    this.history = this.arena.f64('history');
    const at = (name: string) => this.arena.at(name);
    const { L } = this.plan;
    for (let l = 1; l <= L; l++) {
      this.oW.push(at(`W${l}`));
      this.oB.push(at(`b${l}`));
      this.oDW.push(at(`dW${l}`));
      this.oDB.push(at(`db${l}`));
      this.oZ.push(at(`Z${l}`));
      this.oA.push(at(`A${l}`));
      this.oDZ.push(at(`dZ${l}`));
      this.oD.push(this.plan.dropout[l] ? at(`D${l}`) : -1);
      this.act.push(l < L ? ACT[spec.hidden[l - 1].activation] : -1);
      this.keep.push(l < L ? spec.hidden[l - 1].keepProb : 1);
    }
    this.oParams = at('params');
    this.oGrads = at('grads');
    this.oBackup = at('backup');
    this.oV = this.plan.layout.buffers.optV ? at('optV') : -1;
    this.oS = this.plan.layout.buffers.optS ? at('optS') : -1;
    const gd = config.optimizer === 'gd';
    this.oX = { train: gd ? at('X_train') : at('XT_train'), dev: at('X_dev'), test: at('X_test') };
    this.trainT = !gd;
    this.oY = { train: at('Y_train'), dev: at('Y_dev'), test: at('Y_test') };
    this.oXb = gd ? this.oX.train : at('Xb');
    this.oYb = gd ? this.oY.train : at('Yb');
    this.oEvX = at('evX');
    this.oEvY = at('evY');
    this.oEvP = at('evP');
    this.oEvQ = at('evQ');
    this.oColMax = at('colMax');
    this.oColSum = at('colSum');
    this.oColArg = at('colArg');
    this.oColArgY = at('colArgY');
    this.perm = this.arena.u32('perm');
    this.featureMaxAbs = this.arena.f32('featureMaxAbs');

    for (const s of ['train', 'dev', 'test'] as const) {
      if (s === 'train' && this.trainT) {
        const x = splits.train.x,
          m = splits.train.m,
          nx = spec.inputs,
          o = this.oX.train;
        for (let f = 0; f < nx; f++)
          for (let j = 0; j < m; j++) this.heap[o + j * nx + f] = x[f * m + j];
      } else this.heap.set(splits[s].x, this.oX[s]);
      this.heap.set(splits[s].y, this.oY[s]);
    }
    const mt = splits.train.m;
    for (let f = 0; f < spec.inputs; f++) {
      let mx = 0;
      for (let j = 0; j < mt; j++) {
        const v = Math.abs(splits.train.x[f * mt + j]);
        if (v > mx) mx = v;
      }
      this.featureMaxAbs[f] = mx;
    }
    this.rng = createRng(config.seed);
    this.reset();
  }

  /** 'wasm' when the sigmoid/tanh pass runs in WebAssembly SIMD. */
  get elementwise(): 'wasm' | 'js' {
    return this.ew ? 'wasm' : 'js';
  }

  useKernels(k: Kernels): void {
    this.kernels = k;
  }

  /** Re-initializes parameters (from the seed, or the given params), optimizer state, counters, history. */
  reset(): void {
    const { L, n } = this.plan;
    const h = this.heap;
    this.rng = createRng(this.config.seed);
    const p = this.initial ?? initParams(this.spec, this.config.init, this.rng);
    h.fill(0, this.oParams, this.oParams + this.plan.paramCount);
    for (let l = 1; l <= L; l++) {
      if (p[l - 1].W.length !== n[l] * n[l - 1] || p[l - 1].b.length !== n[l])
        throw new Error(
          `The given parameters of layer ${l} do not fit a ${n[l]} x ${n[l - 1]} layer.`,
        );
      h.set(p[l - 1].W, this.oW[l]);
      h.set(p[l - 1].b, this.oB[l]);
    }
    h.fill(0, this.oGrads, this.oGrads + this.plan.paramCount);
    if (this.oV >= 0) h.fill(0, this.oV, this.oV + this.plan.paramCount);
    if (this.oS >= 0) h.fill(0, this.oS, this.oS + this.plan.paramCount);
    h.copyWithin(this.oBackup, this.oParams, this.oParams + this.plan.paramCount);
    for (let i = 0; i < this.perm.length; i++) this.perm[i] = i;
    this.batchIndex = 0;
    this.epochIndex = 0;
    this.adamT = 0;
    this.lossSum = 0;
    this.correct = 0;
    this.sqErr = 0;
    this.seen = 0;
    this.epochMs = 0;
    this.totalMs = 0;
    this.divergence = null;
    this.history.fill(NaN);
    this.live.fill(NaN);
    const c = this.ctrl;
    for (const k of [CTRL.STEP, CTRL.TOTAL_STEPS, CTRL.HISTORY_LEN, CTRL.LAST_COLS])
      Atomics.store(c, k, 0);
    Atomics.store(c, CTRL.EPOCH, this.epochOffset);
    Atomics.store(c, CTRL.EPOCHS, this.epochOffset + this.plan.epochs);
    Atomics.store(c, CTRL.BATCHES_PER_EPOCH, this.plan.batchesPerEpoch);
    Atomics.add(c, CTRL.PARAMS_VERSION, 1);
    this.lastIn = this.oXb;
    this.lastY = this.oYb;
  }

  get epochsCompleted(): number {
    return this.epochIndex;
  }
  get batchInEpoch(): number {
    return this.batchIndex;
  }
  get finished(): boolean {
    return this.epochIndex >= this.plan.epochs || this.divergence !== null;
  }
  get elapsedMs(): number {
    return this.totalMs;
  }

  /** One mini-batch: gather, forward, cost, backward, update. Ends the epoch (history row) when due. */
  trainBatch(): BatchResult {
    if (this.finished) return this.divergence ? BATCH.DIVERGED : BATCH.DONE;
    const t0 = this.now();
    const { L, n, batch } = this.plan;
    const h = this.heap;
    const mt = this.plan.m.train;
    const gd = this.config.optimizer === 'gd';
    if (this.batchIndex === 0 && !gd) this.rng.shuffle(this.perm);
    const start = this.batchIndex * batch;
    const c = Math.min(batch, mt - start);

    // Gather the batch's columns: Xb[f, j] = X[f, perm[start + j]].
    if (!gd) {
      this.gatherT(this.oX.train, this.oXb, n[0], start, c);
      this.gather(this.oY.train, this.oYb, n[L], mt, start, c);
    }
    this.lastIn = this.oXb;
    this.lastY = this.oYb;
    Atomics.store(this.ctrl, CTRL.LAST_COLS, c);

    // Forward.
    let inOff = this.oXb;
    for (let l = 1; l <= L; l++) {
      // Z[l] = W[l] A[l-1] (+ b[l] in the pass below)
      this.kernels.gemm(
        false,
        false,
        n[l],
        c,
        n[l - 1],
        1,
        this.oW[l],
        n[l - 1],
        inOff,
        c,
        0,
        this.oZ[l],
        c,
      );
      if (l < L) {
        // A[l] = g(Z[l] + b[l]); dropout: D = u < keep, A = A * D / keep
        this.biasActivate(this.oZ[l], this.oA[l], this.oB[l], n[l], c, this.act[l]);
        if (this.oD[l] >= 0) this.dropout(this.oA[l], this.oD[l], n[l] * c, this.keep[l]);
        inOff = this.oA[l];
      }
    }
    // Output: A[L], the loss from the logits, and dZ[L] = A[L] - Y, in one pass.
    this.outputPass(this.oZ[L], this.oB[L], this.oYb, n[L], c, this.oA[L], this.oDZ[L]);
    const batchLoss = this.outLoss / c;
    this.live[LIVE.BATCH_LOSS] = batchLoss;
    if (!Number.isFinite(batchLoss)) {
      this.totalMs += this.now() - t0;
      this.diverge(batchLoss);
      return BATCH.DIVERGED;
    }
    this.lossSum += this.outLoss;
    this.correct += this.outCorrect;
    this.sqErr += this.outSq;
    this.seen += c;

    // Backward, layer L down to 1.
    const lambda = this.config.lambda;
    for (let l = L; l >= 1; l--) {
      const aPrev = l === 1 ? this.oXb : this.oA[l - 1];
      const rows = n[l],
        cols = n[l - 1];
      // dW[l] = 1/m dZ[l] A[l-1]^T + (lambda/m) W[l]
      let beta = 0;
      if (lambda > 0) {
        const s = lambda / c,
          w = this.oW[l],
          dw = this.oDW[l];
        for (let i = 0, e = rows * cols; i < e; i++) h[dw + i] = s * h[w + i];
        beta = 1;
      }
      this.kernels.gemm(
        false,
        true,
        rows,
        cols,
        c,
        1 / c,
        this.oDZ[l],
        c,
        aPrev,
        c,
        beta,
        this.oDW[l],
        cols,
      );
      // db[l] = 1/m sum(dZ[l], axis=1)
      const dz = this.oDZ[l],
        db = this.oDB[l];
      for (let i = 0; i < rows; i++) {
        let s = 0;
        const r = dz + i * c;
        for (let j = 0; j < c; j++) s += h[r + j];
        h[db + i] = s / c;
      }
      if (l > 1) {
        // dA[l-1] = W[l]^T dZ[l]; then dZ[l-1] = dA[l-1] * D/keep * g'(Z[l-1]) in one pass
        this.kernels.gemm(
          true,
          false,
          cols,
          c,
          rows,
          1,
          this.oW[l],
          cols,
          dz,
          c,
          0,
          this.oDZ[l - 1],
          c,
        );
        this.activationBackward(
          this.oDZ[l - 1],
          this.oA[l - 1],
          this.oD[l - 1],
          cols * c,
          this.act[l - 1],
          this.keep[l - 1],
        );
      }
    }
    this.update();
    Atomics.add(this.ctrl, CTRL.PARAMS_VERSION, 1);

    this.batchIndex++;
    Atomics.store(this.ctrl, CTRL.STEP, this.batchIndex);
    Atomics.add(this.ctrl, CTRL.TOTAL_STEPS, 1);
    const dt = this.now() - t0;
    this.epochMs += dt;
    this.totalMs += dt;
    this.live[LIVE.ELAPSED_MS] = this.totalMs;
    if (this.batchIndex < this.plan.batchesPerEpoch) return BATCH.OK;
    return this.endEpoch();
  }

  /** Runs batches until the current epoch ends (or the run diverges). */
  trainEpoch(): BatchResult {
    for (;;) {
      const r = this.trainBatch();
      if (r !== BATCH.OK) return r;
    }
  }

  private endEpoch(): BatchResult {
    const t0 = this.now();
    const h = this.heap;
    // Parameters must be finite before they become the rollback copy.
    const P = this.plan.paramCount,
      p0 = this.oParams;
    let sum = 0;
    for (let i = 0; i < P; i++) sum += h[p0 + i] * 0;
    if (sum !== 0) {
      this.diverge(NaN);
      return BATCH.DIVERGED;
    }
    h.copyWithin(this.oBackup, p0, p0 + P);
    const row = this.epochIndex * EPOCH_FIELDS.length;
    const hist = this.history;
    const isReg = this.task === 'regression';
    const std = this.targetScale?.std ?? 1;
    const nY = this.plan.n[this.plan.L];
    hist[row] = this.epochOffset + this.epochIndex + 1;
    hist[row + 1] = this.lossSum / this.seen;
    hist[row + 3] = isReg
      ? NaN
      : this.correct / (this.seen * (this.spec.output === 'softmax' ? 1 : nY));
    hist[row + 5] = isReg ? Math.sqrt(this.sqErr / (this.seen * nY)) * std : NaN;
    if (this.plan.m.dev > 0) {
      this.evalSplit('dev');
      hist[row + 2] = this.outLoss / this.plan.m.dev;
      hist[row + 4] = isReg
        ? NaN
        : this.outCorrect / (this.plan.m.dev * (this.spec.output === 'softmax' ? 1 : nY));
      hist[row + 6] = isReg ? Math.sqrt(this.outSq / (this.plan.m.dev * nY)) * std : NaN;
    } else {
      hist[row + 2] = NaN;
      hist[row + 4] = NaN;
      hist[row + 6] = NaN;
    }
    const dt = this.now() - t0;
    this.epochMs += dt;
    this.totalMs += dt;
    hist[row + 7] = this.epochMs > 0 ? (this.plan.m.train * 1000) / this.epochMs : NaN;
    hist[row + 8] = this.totalMs;
    this.live[LIVE.ELAPSED_MS] = this.totalMs;
    this.epochIndex++;
    this.batchIndex = 0;
    this.lossSum = 0;
    this.correct = 0;
    this.sqErr = 0;
    this.seen = 0;
    this.epochMs = 0;
    Atomics.store(this.ctrl, CTRL.HISTORY_LEN, this.epochIndex);
    Atomics.store(this.ctrl, CTRL.STEP, 0);
    Atomics.store(this.ctrl, CTRL.EPOCH, this.epochOffset + this.epochIndex);
    return this.epochIndex >= this.plan.epochs ? BATCH.DONE : BATCH.EPOCH_END;
  }

  /** Rolls back to the last finite parameters and explains the divergence in plain words. */
  private diverge(loss: number): void {
    const h = this.heap;
    h.copyWithin(this.oParams, this.oBackup, this.oBackup + this.plan.paramCount);
    Atomics.add(this.ctrl, CTRL.PARAMS_VERSION, 1);
    const epoch = this.epochOffset + this.epochIndex + 1;
    const step = this.batchIndex + 1;
    const lr = this.config.learningRate;
    const grew = Number.isNaN(loss)
      ? 'the loss became NaN (not a number)'
      : 'the loss grew to infinity';
    let worst = -1,
      worstV = 0;
    for (let f = 0; f < this.featureMaxAbs.length; f++)
      if (this.featureMaxAbs[f] > worstV) {
        worstV = this.featureMaxAbs[f];
        worst = f;
      }
    const niceLr = (x: number) => Number(x.toPrecision(2));
    if (worstV > UNSCALED) {
      const name = this.featureNames[worst] ?? `feature ${worst + 1}`;
      this.divergence = {
        epoch,
        step,
        cause: `Column ${name} is not scaled: its values reach ${niceLr(worstV)}, so ${grew} at epoch ${epoch}.`,
        fix: {
          label: `Standardize column ${name} in the recipe, or lower the learning rate to ${niceLr(lr / 10)}`,
          learningRate: niceLr(lr / 10),
        },
      };
    } else {
      this.divergence = {
        epoch,
        step,
        cause: `The learning rate ${lr} is too high: ${grew} at epoch ${epoch}.`,
        fix: {
          label: `Halve the learning rate to ${niceLr(lr / 2)}`,
          learningRate: niceLr(lr / 2),
        },
      };
    }
  }

  /** dst[f, j] = src[f, perm[start + j]] for j < c. */
  private gather(
    src: number,
    dst: number,
    rows: number,
    m: number,
    start: number,
    c: number,
  ): void {
    const h = this.heap,
      perm = this.perm;
    for (let f = 0; f < rows; f++) {
      const s = src + f * m,
        d = dst + f * c;
      for (let j = 0; j < c; j++) h[d + j] = h[s + perm[start + j]];
    }
  }

  /** dst[f, j] = XT[perm[start + j], f]: one contiguous row read per example. */
  private gatherT(src: number, dst: number, rows: number, start: number, c: number): void {
    const h = this.heap,
      perm = this.perm;
    for (let j = 0; j < c; j++) {
      const s = src + perm[start + j] * rows;
      for (let f = 0, d = dst + j; f < rows; f++, d += c) h[d] = h[s + f];
    }
  }

  /** Z = Z + b (per row), A = g(Z), one pass. */
  private biasActivate(
    z: number,
    a: number,
    b: number,
    rows: number,
    c: number,
    act: number,
  ): void {
    if (this.ew && (act === 0 || act === 1)) {
      this.ew.biasAct(z, a, b, rows, c, act);
      return;
    }
    const h = this.heap;
    for (let i = 0; i < rows; i++) {
      const bi = h[b + i],
        rz = z + i * c,
        ra = a + i * c;
      switch (act) {
        case 0:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            if (v >= 0) h[ra + j] = 1 / (1 + Math.exp(-v));
            else {
              const e = Math.exp(v);
              h[ra + j] = e / (1 + e);
            }
          }
          break;
        case 1:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = Math.tanh(v);
          }
          break;
        case 2:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = v > 0 ? v : 0;
          }
          break;
        case 3:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = v > 0 ? v : LEAKY_RELU_SLOPE * v;
          }
          break;
        default:
          for (let j = 0; j < c; j++) {
            const v = h[rz + j] + bi;
            h[rz + j] = v;
            h[ra + j] = v;
          }
      }
    }
  }

  /** Inverted dropout: D = (u < keep), A = A * D / keep. */
  private dropout(a: number, d: number, len: number, keep: number): void {
    const h = this.heap,
      rng = this.rng,
      inv = 1 / keep;
    for (let i = 0; i < len; i++) {
      if (rng.uniform() < keep) {
        h[d + i] = 1;
        h[a + i] *= inv;
      } else {
        h[d + i] = 0;
        h[a + i] = 0;
      }
    }
  }

  /** dZ = dA * D/keep * g'(Z), with g' written from the undropped activation A*keep/D. */
  private activationBackward(
    dz: number,
    a: number,
    d: number,
    len: number,
    act: number,
    keep: number,
  ): void {
    const h = this.heap;
    if (d >= 0) {
      for (let i = 0; i < len; i++) {
        if (h[d + i] === 0) {
          h[dz + i] = 0;
          continue;
        }
        const av = h[a + i] * keep;
        const g =
          act === 0
            ? av * (1 - av)
            : act === 1
              ? 1 - av * av
              : act === 2
                ? av > 0
                  ? 1
                  : 0
                : act === 3
                  ? av > 0
                    ? 1
                    : LEAKY_RELU_SLOPE
                  : 1;
        h[dz + i] = (h[dz + i] / keep) * g;
      }
      return;
    }
    switch (act) {
      case 0:
        for (let i = 0; i < len; i++) {
          const av = h[a + i];
          h[dz + i] *= av * (1 - av);
        }
        break;
      case 1:
        for (let i = 0; i < len; i++) {
          const av = h[a + i];
          h[dz + i] *= 1 - av * av;
        }
        break;
      case 2:
        for (let i = 0; i < len; i++) if (!(h[a + i] > 0)) h[dz + i] = 0;
        break;
      case 3:
        for (let i = 0; i < len; i++) if (!(h[a + i] > 0)) h[dz + i] *= LEAKY_RELU_SLOPE;
        break;
      default:
        break;
    }
  }

  /** Output layer in one pass: Z += b, A = output(Z), loss from logits, correct count, and (when
   *  dzOff >= 0) dZ[L] = A - Y. a < 0: do not store A. Results in outLoss / outCorrect / outSq. */
  private outputPass(
    z: number,
    b: number,
    y: number,
    rows: number,
    c: number,
    a: number,
    dzOff: number,
  ): void {
    const h = this.heap;
    let loss = 0,
      correct = 0,
      sq = 0;
    const out = this.spec.output;
    if (out === 'softmax') {
      const cm = this.oColMax,
        cs = this.oColSum,
        ca = this.oColArg,
        cy = this.oColArgY;
      for (let j = 0; j < c; j++) {
        h[cm + j] = -Infinity;
        h[cs + j] = 0;
        h[ca + j] = 0;
        h[cy + j] = -1;
      }
      for (let i = 0; i < rows; i++) {
        const bi = h[b + i],
          rz = z + i * c,
          ry = y + i * c;
        for (let j = 0; j < c; j++) {
          const v = h[rz + j] + bi;
          h[rz + j] = v;
          if (v > h[cm + j]) {
            h[cm + j] = v;
            h[ca + j] = i;
          }
          if (h[ry + j] > 0.5 && h[cy + j] < 0) h[cy + j] = i;
        }
      }
      // e = e^(z - max) kept in A (when A is stored), summed per column
      for (let i = 0; i < rows; i++) {
        const rz = z + i * c,
          ra = a + i * c;
        if (a >= 0)
          for (let j = 0; j < c; j++) {
            const e = Math.exp(h[rz + j] - h[cm + j]);
            h[ra + j] = e;
            h[cs + j] += e;
          }
        else for (let j = 0; j < c; j++) h[cs + j] += Math.exp(h[rz + j] - h[cm + j]);
      }
      for (let j = 0; j < c; j++) if (h[ca + j] === h[cy + j]) correct++;
      // loss = -sum y log softmax(z), log softmax(z) = z - max - log sum e^(z - max)
      for (let i = 0; i < rows; i++) {
        const rz = z + i * c,
          ry = y + i * c;
        for (let j = 0; j < c; j++) {
          const yv = h[ry + j];
          if (yv !== 0) loss -= yv * (h[rz + j] - h[cm + j] - Math.log(h[cs + j]));
        }
      }
      if (a >= 0) {
        // A = e / sum; dZ[L] = A[L] - Y
        for (let j = 0; j < c; j++) h[cs + j] = 1 / h[cs + j];
        for (let i = 0; i < rows; i++) {
          const ra = a + i * c,
            ry = y + i * c,
            rd = dzOff + i * c;
          for (let j = 0; j < c; j++) {
            const av = h[ra + j] * h[cs + j];
            h[ra + j] = av;
            if (dzOff >= 0) h[rd + j] = av - h[ry + j];
          }
        }
      }
    } else if (out === 'sigmoid') {
      for (let i = 0; i < rows; i++) {
        const bi = h[b + i],
          rz = z + i * c,
          ry = y + i * c;
        for (let j = 0; j < c; j++) {
          const v = h[rz + j] + bi;
          h[rz + j] = v;
          const yv = h[ry + j];
          // BCE from the logit: max(z,0) - z y + log(1 + e^-|z|); a = sigmoid(z)
          const e = Math.exp(-Math.abs(v));
          loss += (v > 0 ? v : 0) - v * yv + Math.log1p(e);
          const av = v >= 0 ? 1 / (1 + e) : e / (1 + e);
          if (v >= 0 === yv >= 0.5) correct++;
          if (a >= 0) h[a + i * c + j] = av;
          if (dzOff >= 0) h[dzOff + i * c + j] = av - yv;
        }
      }
    } else {
      for (let i = 0; i < rows; i++) {
        const bi = h[b + i],
          rz = z + i * c,
          ry = y + i * c;
        for (let j = 0; j < c; j++) {
          const v = h[rz + j] + bi;
          h[rz + j] = v;
          // MSE with the 1/2 convention: L = 1/2 (a - y)^2, dZ = a - y
          const d = v - h[ry + j];
          loss += 0.5 * d * d;
          sq += d * d;
          if (a >= 0) h[a + i * c + j] = v;
          if (dzOff >= 0) h[dzOff + i * c + j] = d;
        }
      }
    }
    this.outLoss = loss;
    this.outCorrect = correct;
    this.outSq = sq;
  }

  /** theta = theta - alpha * step over the whole contiguous parameter block. */
  private update(): void {
    const h = this.heap,
      P = this.plan.paramCount,
      p = this.oParams,
      g = this.oGrads;
    const lr = this.config.learningRate;
    switch (this.config.optimizer) {
      case 'gd':
      case 'sgd':
        // W = W - alpha dW; b = b - alpha db
        for (let i = 0; i < P; i++) h[p + i] -= lr * h[g + i];
        break;
      case 'momentum': {
        // v = beta v + (1 - beta) dW; W = W - alpha v
        const b1 = this.config.beta1,
          v = this.oV;
        for (let i = 0; i < P; i++) {
          const vi = b1 * h[v + i] + (1 - b1) * h[g + i];
          h[v + i] = vi;
          h[p + i] -= lr * vi;
        }
        break;
      }
      case 'adam': {
        // v = b1 v + (1-b1) dW; s = b2 s + (1-b2) dW^2; W = W - alpha v_hat / (sqrt(s_hat) + eps)
        this.adamT++;
        const b1 = this.config.beta1,
          b2 = this.config.beta2,
          v = this.oV,
          s = this.oS;
        const c1 = 1 / (1 - Math.pow(b1, this.adamT)),
          c2 = 1 / (1 - Math.pow(b2, this.adamT));
        for (let i = 0; i < P; i++) {
          const gi = h[g + i];
          const vi = b1 * h[v + i] + (1 - b1) * gi;
          const si = b2 * h[s + i] + (1 - b2) * gi * gi;
          h[v + i] = vi;
          h[s + i] = si;
          h[p + i] -= (lr * vi * c1) / (Math.sqrt(si * c2) + ADAM_EPSILON);
        }
        break;
      }
    }
  }

  /** Forward of one chunk of columns already in evX (e columns); logits end in the returned offset. */
  private evalForward(e: number): number {
    const { L, n } = this.plan;
    let cur = this.oEvX;
    for (let l = 1; l <= L; l++) {
      const out = cur === this.oEvP ? this.oEvQ : this.oEvP;
      this.kernels.gemm(
        false,
        false,
        n[l],
        e,
        n[l - 1],
        1,
        this.oW[l],
        n[l - 1],
        cur,
        e,
        0,
        out,
        e,
      );
      if (l < L) this.biasActivate(out, out, this.oB[l], n[l], e, this.act[l]);
      cur = out;
    }
    return cur;
  }

  private copyColumns(
    src: number,
    srcCols: number,
    start: number,
    dst: number,
    rows: number,
    e: number,
  ): void {
    for (let f = 0; f < rows; f++)
      this.heap.copyWithin(dst + f * e, src + f * srcCols + start, src + f * srcCols + start + e);
  }

  /** dst (rows, e) = transpose of src rows [start, start + e) of an (m, rows) matrix. */
  private copyRowsTransposed(
    src: number,
    start: number,
    dst: number,
    rows: number,
    e: number,
  ): void {
    const h = this.heap;
    for (let j = 0; j < e; j++) {
      const s = src + (start + j) * rows;
      for (let f = 0; f < rows; f++) h[dst + f * e + j] = h[s + f];
    }
  }

  /** Full pass over a split (no dropout): sums in outLoss / outCorrect / outSq; yDev = sum (y - mean)^2. */
  private evalSplit(split: 'train' | 'dev' | 'test'): void {
    const { L, n, evalCols } = this.plan;
    const m = this.plan.m[split];
    let loss = 0,
      correct = 0,
      sq = 0;
    for (let start = 0; start < m; start += evalCols) {
      const e = Math.min(evalCols, m - start);
      if (split === 'train' && this.trainT)
        this.copyRowsTransposed(this.oX.train, start, this.oEvX, n[0], e);
      else this.copyColumns(this.oX[split], m, start, this.oEvX, n[0], e);
      this.copyColumns(this.oY[split], m, start, this.oEvY, n[L], e);
      const zl = this.evalForward(e);
      this.outputPass(zl, this.oB[L], this.oEvY, n[L], e, -1, -1);
      loss += this.outLoss;
      correct += this.outCorrect;
      sq += this.outSq;
    }
    this.outLoss = loss;
    this.outCorrect = correct;
    this.outSq = sq;
    if (this.task === 'regression' && m > 0) {
      const y = this.oY[split],
        len = n[L] * m;
      let mean = 0;
      for (let i = 0; i < len; i++) mean += this.heap[y + i];
      mean /= len;
      let dev = 0;
      for (let i = 0; i < len; i++) {
        const d = this.heap[y + i] - mean;
        dev += d * d;
      }
      this.yDev = dev;
    }
  }

  /** Loss (data term), accuracy, RMSE and R^2 of the current parameters on a split. */
  evaluate(split: 'train' | 'dev' | 'test'): EvalMetrics {
    const m = this.plan.m[split];
    if (m === 0) return { split, m, loss: NaN, accuracy: NaN, rmse: NaN, r2: NaN };
    this.evalSplit(split);
    const isReg = this.task === 'regression';
    const nY = this.plan.n[this.plan.L];
    const std = this.targetScale?.std ?? 1;
    return {
      split,
      m,
      loss: this.outLoss / m,
      accuracy: isReg ? NaN : this.outCorrect / (m * (this.spec.output === 'softmax' ? 1 : nY)),
      rmse: isReg ? Math.sqrt(this.outSq / (m * nY)) * std : NaN,
      r2: isReg ? (this.yDev > 0 ? 1 - this.outSq / this.yDev : NaN) : NaN,
    };
  }

  /** A[L] for x (n_x, m) into out (n_y, m); regression outputs in the target's original units. No dropout. */
  predict(
    x: Float32Array,
    m: number,
    out: Float32Array = new Float32Array(this.plan.n[this.plan.L] * m),
  ): Float32Array {
    const { L, n, evalCols } = this.plan;
    if (x.length !== n[0] * m)
      throw new Error(
        `predict: x should be ${n[0]} x ${m} (${n[0] * m} values, features x examples) but has ${x.length}.`,
      );
    if (out.length !== n[L] * m)
      throw new Error(
        `predict: the output should hold ${n[L]} x ${m} values but has ${out.length}.`,
      );
    const h = this.heap;
    const ts = this.task === 'regression' ? this.targetScale : null;
    for (let start = 0; start < m; start += evalCols) {
      const e = Math.min(evalCols, m - start);
      for (let f = 0; f < n[0]; f++)
        h.set(x.subarray(f * m + start, f * m + start + e), this.oEvX + f * e);
      h.fill(0, this.oEvY, this.oEvY + n[L] * e);
      const zl = this.evalForward(e);
      const aOff = zl === this.oEvP ? this.oEvQ : this.oEvP;
      this.outputPass(zl, this.oB[L], this.oEvY, n[L], e, aOff, -1);
      for (let i = 0; i < n[L]; i++) {
        for (let j = 0; j < e; j++) {
          const v = h[aOff + i * e + j];
          out[i * m + start + j] = ts ? v * ts.std + ts.mean : v;
        }
      }
    }
    return out;
  }

  /** Current parameters as plain arrays (a copy). */
  params(): LayerParams[] {
    const { L, n } = this.plan;
    const out: LayerParams[] = [];
    for (let l = 1; l <= L; l++) {
      out.push({
        W: Array.from(this.heap.subarray(this.oW[l], this.oW[l] + n[l] * n[l - 1])),
        b: Array.from(this.heap.subarray(this.oB[l], this.oB[l] + n[l])),
      });
    }
    return out;
  }

  serialize(): SerializedNetwork {
    return {
      format: 'backprop-lab/network',
      version: 1,
      spec: { ...this.spec, hidden: this.spec.hidden.map((x) => ({ ...x })) },
      params: this.params(),
    };
  }

  /** History rows written so far. */
  historyRows(from = 0): EpochMetrics[] {
    const rows: EpochMetrics[] = [];
    for (let r = from; r < this.epochIndex; r++) rows.push(readHistoryRow(this.history, r));
    return rows;
  }

  /** Copies of the last mini-batch's matrices (for the maths panel): W, b, dW, db whole; X, Y, Z, A,
   *  dZ, D with their first `maxColumns` examples (default 256), as (rows, m) with m = the columns kept. */
  inspect(maxColumns = 256): {
    epoch: number;
    step: number;
    m: number;
    batchM: number;
    X: Float32Array;
    Y: Float32Array;
    layers: LayerInspection[];
  } {
    const { L, n } = this.plan;
    const c = Atomics.load(this.ctrl, CTRL.LAST_COLS);
    const k = Math.min(c, Math.max(1, maxColumns));
    const h = this.heap;
    const copy = (off: number, len: number) => h.slice(off, off + len);
    // the first k columns of a (rows, c) matrix
    const cols = (off: number, rows: number) => {
      if (k === c) return copy(off, rows * c);
      const out = new Float32Array(rows * k);
      for (let i = 0; i < rows; i++) out.set(h.subarray(off + i * c, off + i * c + k), i * k);
      return out;
    };
    const layers: LayerInspection[] = [];
    for (let l = 1; l <= L; l++) {
      layers.push({
        layer: l,
        rows: n[l],
        cols: n[l - 1],
        activation: l < L ? this.spec.hidden[l - 1].activation : this.spec.output,
        W: copy(this.oW[l], n[l] * n[l - 1]),
        b: copy(this.oB[l], n[l]),
        Z: cols(this.oZ[l], n[l]),
        A: cols(this.oA[l], n[l]),
        dZ: cols(this.oDZ[l], n[l]),
        D: this.oD[l] >= 0 ? cols(this.oD[l], n[l]) : null,
        dW: copy(this.oDW[l], n[l] * n[l - 1]),
        db: copy(this.oDB[l], n[l]),
      });
    }
    return {
      epoch: this.epochIndex,
      step: this.batchIndex,
      m: k,
      batchM: c,
      X: cols(this.lastIn, n[0]),
      Y: cols(this.lastY, n[L]),
      layers,
    };
  }

  /** The first `k` training examples as (n_x, k) and (n_y, k) copies. */
  trainColumns(k: number): { X: Float32Array; Y: Float32Array; m: number } {
    const { L, n } = this.plan;
    const mt = this.plan.m.train;
    const m = Math.min(k, mt);
    const X = new Float32Array(n[0] * m),
      Y = new Float32Array(n[L] * m);
    if (this.trainT) {
      for (let j = 0; j < m; j++)
        for (let f = 0; f < n[0]; f++) X[f * m + j] = this.heap[this.oX.train + j * n[0] + f];
    } else {
      for (let f = 0; f < n[0]; f++)
        X.set(this.heap.subarray(this.oX.train + f * mt, this.oX.train + f * mt + m), f * m);
    }
    for (let f = 0; f < n[L]; f++)
      Y.set(this.heap.subarray(this.oY.train + f * mt, this.oY.train + f * mt + m), f * m);
    return { X, Y, m };
  }
}

export interface LayerInspection {
  layer: number;
  /** n_l */
  rows: number;
  /** n_{l-1} */
  cols: number;
  activation: string;
  W: Float32Array;
  b: Float32Array;
  /** (n_l, m) */
  Z: Float32Array;
  A: Float32Array;
  dZ: Float32Array;
  /** Dropout mask (n_l, m), null without dropout. */
  D: Float32Array | null;
  dW: Float32Array;
  db: Float32Array;
}
