// The planned trainer: the same maths as network.ts, in float32 on one arena planned once (plan.ts),
// fused per layer (product, then one pass for bias + activation; backward product, then one pass for
// the activation derivative: passes.ts), one optimizer loop over the parameter block (optimizer.ts),
// with no allocation per step. Matrix products go through `Kernels` only. Evaluation and prediction:
// evaluate.ts; the divergence doctor: diverge.ts; the matrices for the maths panel: inspect.ts.
import { createArena, type Arena } from './arena.ts';
import { readHistoryRows } from './control.ts';
import { ACT, initParams, validateSpec } from './activations.ts';
import { bufferOffsets, planSession } from './plan.ts';
import type { BufferOffsets, SessionPlan, Split } from './plan.ts';
import { createRng, type Rng } from './rng.ts';
import { createTsKernels } from './kernels/ts.ts';
import type { Kernels } from './kernels/types.ts';
import { interruptibleKernels, type InterruptibleKernels } from './kernels/interruptible.ts';
import { createElementwise, type Elementwise } from './elementwise.ts';
import { FusedPasses } from './passes.ts';
import { Optimizer } from './optimizer.ts';
import { BatchMark, guardedMetrics, guardedPasses, unguarded } from './batch-mark.ts';
import { createWatch, type EpochWatch } from './watch.ts';
import { judgeEpoch, keepBest, keptEpoch, rollBack } from './epoch-end.ts';
import { evaluate, predict, type EvalMetrics } from './evaluate.ts';
import { inspectBatch, paramsOf, serializeOf, trainColumns, type Inspected } from './inspect.ts';
import {
  assertResumeState,
  assertStartEpoch,
  assertTrainConfig,
  assertTrainData,
  loadSplits,
  type PlannedTrainerInput,
  type SplitData,
} from './train-input.ts';
import { CTRL, EPOCH_FIELDS, LIVE } from './types.ts';
import type { Divergence, EpochMetrics, LayerParams, NetworkSpec } from './types.ts';
import type { PackedNetwork, PackedResumeState } from './packed.ts';
import type { SerializedNetwork, Task, TrainConfig } from './types.ts';

export type { EvalMetrics, PlannedTrainerInput, SplitData };
export type { LayerInspection } from './inspect.ts';
export { assertTrainConfig };

/** trainBatch() results. INTERRUPTED: a command abandoned the batch (nothing changed; it runs again). */
export const BATCH = { OK: 0, EPOCH_END: 1, DONE: 2, DIVERGED: 3, INTERRUPTED: 4 } as const;
export type BatchResult = (typeof BATCH)[keyof typeof BATCH];

export class PlannedTrainer {
  readonly plan: SessionPlan;
  readonly arena: Arena;
  /** The products (useKernels swaps them; `kernels.check` abandons a batch: batch-mark.ts). */
  readonly kernels: InterruptibleKernels;
  readonly spec: NetworkSpec;
  readonly config: TrainConfig;
  readonly task: Task;
  readonly ctrl: Int32Array;
  readonly live: Float64Array;
  readonly history: Float64Array;
  divergence: Divergence | null = null;
  /** Epochs trained before this run (a resumed checkpoint). */
  readonly epochOffset: number;
  /** The epoch watch: best epoch, early stopping, finite blow-ups and plateaus (watch.ts). */
  readonly watch: EpochWatch;

  // The arena and its element offsets, the fused passes and the optimizer (read by evaluate.ts, inspect.ts).
  readonly heap: Float32Array;
  readonly buf: BufferOffsets;
  readonly fx: FusedPasses;
  /** Activation code (ACT) of hidden layer l at index l. */
  readonly act: number[] = [-1];
  readonly targetScale: { mean: number; std: number } | null;
  /** Keep probability of hidden layer l at index l. */
  readonly keep: number[] = [1];
  private readonly opt: Optimizer;
  private readonly ew: Elementwise | null;
  private readonly now: () => number;
  readonly featureNames: string[];
  private readonly perm: Uint32Array;
  /** max |x| of each training feature (for the divergence doctor). */
  readonly featureMaxAbs: Float32Array;
  private readonly initial: PackedNetwork['params'] | undefined;
  private readonly resume: PackedResumeState | undefined;
  private rng: Rng;
  /** The generator (and the order of examples) as the batch in progress found them. */
  private readonly mark: BatchMark;
  private endPending = false; // an epoch end (its dev pass) that a command abandoned

  // progress
  private batchIndex = 0;
  private epochIndex = 0;
  /** Running sums of the epoch in progress: data loss, correct count, squared error, examples, compute ms. */
  private readonly sums = { loss: 0, correct: 0, sqErr: 0, seen: 0, ms: 0 };
  /** Compute time of the run, ms. */
  private totalMs = 0;

  constructor(input: PlannedTrainerInput) {
    validateSpec(input.spec);
    assertTrainConfig(input.config);
    const { spec, config, data } = input;
    const empty = (): SplitData => ({ m: 0, x: new Float32Array(0), y: new Float32Array(0) });
    const splits = { train: data.train, dev: data.dev ?? empty(), test: data.test ?? empty() };
    assertTrainData(spec, splits, input.featureNames);
    this.epochOffset = assertStartEpoch(input.startEpoch ?? input.resume?.epoch ?? 0, config);
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
    if (input.resume)
      assertResumeState(input.resume, {
        config,
        startEpoch: this.epochOffset,
        batchesPerEpoch: this.plan.batchesPerEpoch,
        mTrain: splits.train.m,
        paramCount: this.plan.paramCount,
        hasParams: !!input.params,
      });
    this.resume = input.resume;
    this.arena = createArena(this.plan.layout, { shared: input.shared });
    this.heap = this.arena.heap;
    this.kernels = interruptibleKernels(
      input.kernels ? input.kernels(this.arena) : createTsKernels(this.heap),
      this.now,
    );
    this.ew = input.elementwise === 'wasm' ? createElementwise(this.arena.memory) : null;
    this.ctrl = this.arena.i32('ctrl');
    this.live = this.arena.f64('live');
    this.history = this.arena.f64('history');
    const o = (this.buf = bufferOffsets(this.plan, config.optimizer));
    this.fx = new FusedPasses(this.heap, this.ew, spec.output, o);
    this.opt = new Optimizer(this.heap, this.config, this.plan.paramCount, o, this.ew);
    for (let l = 1; l < this.plan.L; l++) {
      this.act.push(ACT[spec.hidden[l - 1].activation]);
      this.keep.push(spec.hidden[l - 1].keepProb);
    }
    this.perm = this.arena.u32('perm');
    this.mark = new BatchMark(this.buf.trainT ? this.perm.length : 0);
    this.featureMaxAbs = this.arena.f32('featureMaxAbs');
    loadSplits(this.heap, o, spec.inputs, splits, this.featureMaxAbs);
    this.watch = createWatch(spec, config, splits, this.plan.paramCount, input.watch !== false);
    this.rng = createRng(config.seed);
    this.reset();
  }

  /** 'wasm' when the sigmoid/tanh pass runs in WebAssembly SIMD. */
  get elementwise(): 'wasm' | 'js' {
    return this.ew ? 'wasm' : 'js';
  }

  useKernels(k: Kernels): void {
    this.kernels.inner = k;
  }

  /** Back to the start (parameters, optimizer, counters, history), or to a resumed checkpoint's. */
  reset(): void {
    const { L, n, paramCount: P } = this.plan;
    const h = this.heap,
      o = this.buf;
    this.rng = createRng(this.config.seed);
    const p = this.initial ?? initParams(this.spec, this.config.init, this.rng);
    h.fill(0, o.params, o.params + P);
    for (let l = 1; l <= L; l++) {
      if (p[l - 1]?.W.length !== n[l] * n[l - 1] || p[l - 1].b.length !== n[l])
        throw new Error(
          `The given parameters of layer ${l} do not fit a ${n[l]} x ${n[l - 1]} layer.`,
        );
      h.set(p[l - 1].W, o.W[l]);
      h.set(p[l - 1].b, o.b[l]);
    }
    h.fill(0, o.grads, o.grads + P);
    this.opt.reset();
    h.copyWithin(o.backup, o.params, o.params + P);
    for (let i = 0; i < this.perm.length; i++) this.perm[i] = i;
    this.batchIndex = 0;
    this.epochIndex = 0;
    this.endPending = false;
    this.clearSums();
    this.totalMs = 0;
    this.divergence = null;
    this.watch.reset();
    this.history.fill(NaN);
    this.live.fill(NaN);
    if (this.resume) this.restore(this.resume);
    const c = this.ctrl;
    Atomics.store(c, CTRL.BEST_EPOCH, this.watch.bestEpoch);
    for (const k of [CTRL.TOTAL_STEPS, CTRL.HISTORY_LEN, CTRL.LAST_COLS]) Atomics.store(c, k, 0);
    Atomics.store(c, CTRL.STEP, this.batchIndex);
    Atomics.store(c, CTRL.EPOCH, this.epochOffset);
    Atomics.store(c, CTRL.EPOCHS, this.epochOffset + this.plan.epochs);
    Atomics.store(c, CTRL.BATCHES_PER_EPOCH, this.plan.batchesPerEpoch);
    Atomics.add(c, CTRL.PARAMS_VERSION, 1);
  }

  get epochsCompleted(): number {
    return this.epochIndex;
  }
  get batchInEpoch(): number {
    return this.batchIndex;
  }
  get finished(): boolean {
    return this.epochIndex >= this.plan.epochs || this.divergence !== null || this.watch.stopped;
  }
  /** The epoch whose parameters a run that ends now keeps (the best one with early stopping on). */
  get keptEpoch(): number {
    return keptEpoch(this.watch, this.epochOffset + this.epochIndex);
  }
  get elapsedMs(): number {
    return this.totalMs;
  }

  /** One mini-batch: gather, forward, cost, backward, update. Ends the epoch (history row) when due. */
  trainBatch(): BatchResult {
    if (this.endPending) return this.endEpoch();
    if (this.finished) return this.divergence ? BATCH.DIVERGED : BATCH.DONE;
    const t0 = this.now();
    const { L, n, batch } = this.plan;
    const o = this.buf,
      fx = this.fx,
      mt = this.plan.m.train;
    const shuffle = this.batchIndex === 0 && o.trainT;
    this.mark.take(this.rng, this.perm, shuffle && this.kernels.check !== null);
    if (shuffle) this.rng.shuffle(this.perm);
    const start = this.batchIndex * batch;
    const c = Math.min(batch, mt - start);
    // Gather the batch's columns: Xb[f, j] = X[f, perm[start + j]] (gd trains on X itself).
    if (o.trainT) {
      fx.gatherT(o.X.train, o.Xb, n[0], this.perm, start, c);
      fx.gather(o.Y.train, o.Yb, n[L], mt, this.perm, start, c);
    }
    Atomics.store(this.ctrl, CTRL.LAST_COLS, c);
    // Forward, output pass (A[L], loss, dZ[L] = A[L] - Y), backward: a command may abandon them.
    const lambda = this.config.lambda;
    if (!guardedPasses(this, this.mark, c, lambda, this.rng, this.perm)) return BATCH.INTERRUPTED;
    const batchLoss = fx.loss / c;
    this.live[LIVE.BATCH_LOSS] = batchLoss;
    if (!Number.isFinite(batchLoss)) {
      this.totalMs += this.now() - t0;
      const at = this.epochOffset + this.epochIndex;
      const kind = Number.isNaN(batchLoss) ? 'nan' : 'infinite';
      this.divergence = rollBack(this, kind, batchLoss, at + 1, this.batchIndex + 1, at);
      return BATCH.DIVERGED;
    }
    const sums = this.sums;
    sums.loss += fx.loss;
    sums.correct += fx.correct;
    sums.sqErr += fx.sq;
    sums.seen += c;

    this.opt.step();
    Atomics.add(this.ctrl, CTRL.PARAMS_VERSION, 1);

    this.batchIndex++;
    Atomics.store(this.ctrl, CTRL.STEP, this.batchIndex);
    Atomics.add(this.ctrl, CTRL.TOTAL_STEPS, 1);
    const dt = this.now() - t0;
    sums.ms += dt;
    this.totalMs += dt;
    this.live[LIVE.ELAPSED_MS] = this.totalMs;
    if (this.batchIndex < this.plan.batchesPerEpoch) return BATCH.OK;
    return this.endEpoch();
  }

  /** Finishes an epoch end a command abandoned (before a snapshot or a summary reads the run). */
  settle(): void {
    if (this.endPending) unguarded(this.kernels, () => this.endEpoch());
  }
  /** Runs batches until the current epoch ends (or the run diverges). */
  trainEpoch(): BatchResult {
    for (;;) {
      const r = this.trainBatch();
      if (r !== BATCH.OK) return r;
    }
  }

  /** The epoch's history row (running train means, a full dev pass), then the epoch watch's verdict. */
  private endEpoch(): BatchResult {
    const t0 = this.now();
    const h = this.heap,
      o = this.buf,
      P = this.plan.paramCount;
    const epoch = this.epochOffset + this.epochIndex + 1;
    // Parameters must be finite before they become the rollback copy.
    let sum = 0;
    for (let i = 0; i < P; i++) sum += h[o.params + i] * 0;
    if (sum !== 0) {
      this.divergence = rollBack(this, 'nan', NaN, epoch, 0, epoch - 1);
      return BATCH.DIVERGED;
    }
    const row = this.epochIndex * EPOCH_FIELDS.length;
    const hist = this.history,
      sums = this.sums;
    this.endPending = !guardedMetrics(this, hist, row, epoch, sums);
    if (this.endPending) return BATCH.INTERRUPTED;
    const verdict = judgeEpoch(this, epoch, hist[row + 1], hist[row + 2]);
    const dt = this.now() - t0;
    sums.ms += dt;
    this.totalMs += dt;
    hist[row + 7] = sums.ms > 0 ? (this.plan.m.train * 1000) / sums.ms : NaN;
    hist[row + 8] = this.totalMs;
    this.live[LIVE.ELAPSED_MS] = this.totalMs;
    this.epochIndex++;
    this.batchIndex = 0;
    this.clearSums();
    Atomics.store(this.ctrl, CTRL.HISTORY_LEN, this.epochIndex);
    Atomics.store(this.ctrl, CTRL.STEP, 0);
    Atomics.store(this.ctrl, CTRL.EPOCH, this.epochOffset + this.epochIndex);
    if (verdict === 'blowup' || verdict === 'plateau') {
      this.divergence = rollBack(this, verdict, hist[row + 1], epoch, 0, epoch - 1);
      return BATCH.DIVERGED;
    }
    if (verdict !== 'stop' && this.epochIndex < this.plan.epochs) return BATCH.EPOCH_END;
    keepBest(this, epoch);
    return BATCH.DONE;
  }

  /** Changes the learning rate from the next batch on (the learning-rate range test's schedule). */
  setLearningRate(lr: number): void {
    this.config.learningRate = lr;
  }

  /** All but the parameters that a resume needs to continue exactly from here (a copy). */
  resumeState(): PackedResumeState {
    const h = this.heap,
      o = this.buf,
      P = this.plan.paramCount;
    return {
      version: 1,
      optimizer: this.config.optimizer,
      epoch: this.epochOffset + this.epochIndex,
      batch: this.batchIndex,
      rng: this.rng.getState(),
      perm: o.trainT ? new Float64Array(this.perm) : new Float64Array(0),
      ...this.opt.state(),
      sums: { ...this.sums },
      elapsedMs: this.totalMs,
      backup: this.batchIndex > 0 ? new Float64Array(h.subarray(o.backup, o.backup + P)) : null,
      watch: this.watch.state(this.epochOffset + this.epochIndex, this.batchIndex),
    };
  }

  /** Puts a checkpoint's state back (checked in the constructor); the parameters are already set. */
  private restore(s: PackedResumeState): void {
    this.rng.setState(s.rng);
    if (this.buf.trainT) this.perm.set(s.perm);
    this.opt.restore(s);
    if (s.backup) this.heap.set(s.backup, this.buf.backup);
    this.batchIndex = s.batch;
    Object.assign(this.sums, s.sums);
    this.totalMs = s.elapsedMs;
    if (s.watch) this.watch.restore(s.watch, this.heap, this.buf.params);
  }

  private clearSums(): void {
    const s = this.sums;
    s.loss = s.correct = s.sqErr = s.seen = s.ms = 0;
  }

  /** Loss (data term), accuracy, RMSE and R^2 of the current parameters on a split. */
  evaluate(split: Split): EvalMetrics {
    return evaluate(this, split);
  }

  /** A[L] for x (n_x, m) into out (n_y, m); regression outputs in the target's original units. No dropout. */
  predict(x: Float32Array, m: number, out?: Float32Array): Float32Array {
    return predict(this, x, m, out);
  }
  /** Current parameters as plain arrays (a copy). */
  params(): LayerParams[] {
    return paramsOf(this);
  }
  serialize(): SerializedNetwork {
    return serializeOf(this);
  }
  /** History rows written so far. */
  historyRows(from = 0): EpochMetrics[] {
    return readHistoryRows(this.history, from, this.epochIndex);
  }
  /** Copies of the last batch's matrices for the maths panel (X, Y, Z, A, dZ, D: maxColumns). */
  inspect(maxColumns = 256): Inspected {
    return inspectBatch(this, {
      epoch: this.epochIndex,
      step: this.batchIndex,
      columns: Atomics.load(this.ctrl, CTRL.LAST_COLS),
      maxColumns,
    });
  }
  /** The first `k` training examples as (n_x, k) and (n_y, k) copies. */
  trainColumns(k: number): { X: Float32Array; Y: Float32Array; m: number } {
    return trainColumns(this, k);
  }
}
