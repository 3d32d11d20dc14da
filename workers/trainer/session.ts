// A training session inside the trainer worker: the dataset, the planned trainer on its arena, and the
// run loop. The loop runs batches in slices of ~15 ms, then yields to the worker's event loop (a
// MessageChannel message, not setTimeout) so Comlink calls (predict, snapshot, inspect, ...) are
// answered while it runs; pause/step/stop are flags in the shared control block, read every batch.
import { MessageError, msg } from '../messages/index.ts';
import { BATCH, PlannedTrainer, type EvalMetrics } from '../core/train.ts';
import { computeTestMetrics } from '../core/metrics.ts';
import { stateCode } from '../core/control.ts';
import { CTRL, STATES } from '../core/types.ts';
import type { GradientCheckResult } from '../core/network.ts';
import { checkGradients, type GradientCheckOptions } from './gradient-check.ts';
import { ThreadTrial, batchKind, isSwitchable } from './thread-trial.ts';
import type { HelperStats } from './pool.ts';
import { CheckpointClock } from './checkpoints.ts';
import { datasetInfo } from './dataset-info.ts';
import { planRun } from './plan-run.ts';
import { packedNetworkOf } from './transfer.ts';
import { estimateRun } from './estimate.ts';
import { findLearningRate, prescribe, type RangeTestProgress } from './lr-finder.ts';
import { defaultHooks, type PoolKernels, type SessionHooks } from './hooks.ts';
import type { PreparedDataset } from '../data/prepared.ts';
import type { LrRangeResult, TrainConfig, TrainingState } from '../core/types.ts';
import type {
  DataShape,
  DatasetInfo,
  Inspection,
  PrepareOptions,
  RunEstimate,
  SessionViews,
  StartOptions,
  ThreadUse,
  TrainSummary,
  TrainerSnapshot,
} from './types.ts';

export { defaultHooks, type SessionHooks };

/** Compute slice between two yields to the event loop. */
const SLICE_MS = 15;

export class TrainerSession {
  private dataset: PreparedDataset | null = null;
  private trainer: PlannedTrainer | null = null;
  private config: TrainConfig | null = null;
  private prepareOpts: PrepareOptions = {};
  private pool: PoolKernels | null = null;
  /** The prepared run's thread trial (thread-trial.ts; null without a pool of several threads). */
  private trial: ThreadTrial | null = null;
  private running: Promise<TrainSummary> | null = null;
  private readonly hooks: SessionHooks;

  constructor(hooks: SessionHooks = defaultHooks()) {
    this.hooks = hooks;
  }

  load(ds: PreparedDataset): DatasetInfo {
    if (this.running) throw new MessageError(msg('trainer.busy.load'));
    const info = datasetInfo(ds);
    this.dataset = ds;
    this.disposeTrainer();
    return info;
  }

  private disposeTrainer(): void {
    this.pool?.close();
    this.pool = null;
    this.trial = null;
    this.trainer = null;
  }

  async prepare(config: TrainConfig, opts: PrepareOptions = {}): Promise<SessionViews> {
    if (this.running) throw new MessageError(msg('trainer.busy.configure'));
    const ds = this.dataset;
    if (!ds) throw new MessageError(msg('trainer.noDataset'));
    // Checked and sized before the last run's arena goes: a refused run leaves it as it was.
    const helpersWanted = await this.helpers(opts.helpers);
    if (this.running) throw new MessageError(msg('trainer.busy.configure'));
    const run = planRun(ds, config, opts, this.hooks, helpersWanted);
    this.disposeTrainer();
    const trainer = run.build();
    const helpers = run.regions - 1;
    if (helpers > 0 && this.hooks.createPool) {
      const pool = await this.hooks.createPool(trainer, helpers);
      if (pool) {
        this.pool = pool;
        trainer.useKernels(pool);
        if (isSwitchable(pool)) this.trial = new ThreadTrial(pool);
      }
    }
    this.trainer = trainer;
    this.config = { ...config, hidden: config.hidden.map((h) => ({ ...h })) };
    this.prepareOpts = opts;
    const c = trainer.ctrl;
    for (const k of [CTRL.STOP, CTRL.PAUSE, CTRL.STEP_REQ]) Atomics.store(c, k, 0);
    this.setState('idle');
    return this.views();
  }

  /** Helper threads for a run: the given count (0..3, if helpers can start), else the realm's choice
   *  (the calibrated one where the realm measures it). */
  private async helpers(wanted?: number): Promise<number> {
    if (wanted === undefined) {
      return this.hooks.chooseHelpers?.() ?? 0;
    }
    return this.hooks.canSpawnHelpers ? Math.max(0, Math.min(3, Math.floor(wanted))) : 0;
  }

  /** What a run with `config` on data of `shape` will cost (arena bytes against `budgetBytes`; time
   *  per epoch probed unless a run is under way or it does not fit). */
  async estimate(
    shape: DataShape,
    config: TrainConfig,
    budgetBytes = Infinity,
  ): Promise<RunEstimate> {
    const helpers = await this.helpers();
    return estimateRun({
      shape,
      config,
      hooks: this.hooks,
      helpers,
      budgetBytes,
      gflops: this.hooks.gflops?.(helpers + 1) ?? 0,
      probe: !this.running,
    });
  }

  views(): SessionViews {
    const t = this.need();
    return {
      buffer: t.arena.buffer,
      shared: t.arena.shared,
      layout: t.plan.layout,
      spec: t.spec,
      task: t.task,
      epochs: t.plan.epochs,
      batchSize: t.plan.batch,
      batchesPerEpoch: t.plan.batchesPerEpoch,
      kernel: this.kernelName(),
      arenaBytes: t.arena.buffer.byteLength,
    };
  }

  /** The prepared run's kernels and what its helpers computed (null before a run is prepared). */
  threadUse(): ThreadUse | null {
    if (!this.trainer) return null;
    const pool = this.pool as { stats?: () => HelperStats } | null;
    const trial = this.trial?.result ?? null;
    return { kernel: this.kernelName(), stats: pool?.stats?.() ?? null, trial };
  }

  private kernelName(): string {
    const t = this.need();
    return t.elementwise === 'wasm' ? `${t.kernels.name}+simd-act` : t.kernels.name;
  }

  private need(): PlannedTrainer {
    if (!this.trainer)
      throw new Error('No training session is prepared: call prepare(config) first.');
    return this.trainer;
  }

  private setState(s: TrainingState): void {
    const t = this.trainer;
    if (t) Atomics.store(t.ctrl, CTRL.STATE, stateCode(s));
  }

  get state(): TrainingState {
    return this.trainer ? STATES[Atomics.load(this.trainer.ctrl, CTRL.STATE)] : 'idle';
  }

  /** Runs the session; resolves when it ends. */
  async start(config?: TrainConfig, opts: StartOptions = {}): Promise<TrainSummary> {
    if (this.running) throw new MessageError(msg('trainer.busy.running'));
    if (config) await this.prepare(config, this.prepareOpts);
    else if (!this.trainer && this.config) await this.prepare(this.config, this.prepareOpts);
    const t = this.need();
    if (t.finished || this.state !== 'idle') this.resetTrainer();
    this.running = this.run(t, opts).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private resetTrainer(): void {
    const t = this.need();
    t.reset();
    // PAUSE / STEP_REQ survive, so a page can press Pause or Step before start().
    Atomics.store(t.ctrl, CTRL.STOP, 0);
    this.setState('idle');
  }

  private async run(t: PlannedTrainer, opts: StartOptions): Promise<TrainSummary> {
    const c = t.ctrl;
    const h = this.hooks;
    Atomics.store(c, CTRL.STOP, 0);
    const steps = () => Atomics.load(c, CTRL.TOTAL_STEPS);
    const clock = new CheckpointClock(
      opts.onCheckpoint,
      () => this.snapshot(),
      opts.checkpointEveryMs,
      steps(),
      h.now,
    );
    let mode: 'run' | 'batch' | 'epoch' = 'run';
    let end: 'done' | 'stopped' | 'diverged' | null = null;
    // Stop, and Pause while running freely, abandon the batch in progress (it runs again on resume).
    t.kernels.check = () =>
      Atomics.load(c, CTRL.STOP) !== 0 || (mode === 'run' && Atomics.load(c, CTRL.PAUSE) !== 0);
    while (end === null) {
      const wake = Atomics.load(c, CTRL.WAKE);
      if (Atomics.load(c, CTRL.STOP)) {
        end = 'stopped';
        break;
      }
      if (mode === 'run' && Atomics.load(c, CTRL.PAUSE)) {
        const req = Atomics.exchange(c, CTRL.STEP_REQ, 0);
        if (req === 1) mode = 'batch';
        else if (req === 2) mode = 'epoch';
        else {
          if (this.state !== 'paused') {
            this.setState('paused');
            clock.paused(steps());
          }
          await h.waitFor(c, CTRL.WAKE, wake, 250);
          continue;
        }
      }
      if (this.state !== 'running') this.setState('running');
      const sliceStart = h.now(),
        sliceEnd = sliceStart + SLICE_MS;
      let r: number = BATCH.OK;
      const trial = this.trial;
      for (;;) {
        trial?.before();
        const b0 = trial ? h.now() : 0;
        r = t.trainBatch();
        if (trial) {
          trial.after(h.now() - b0, batchKind(r));
          Atomics.store(c, CTRL.THREADS, trial.result?.threads ?? 0);
        }
        if (r === BATCH.DONE || r === BATCH.DIVERGED || r === BATCH.INTERRUPTED) break;
        if (mode === 'batch') {
          mode = 'run';
          break;
        }
        if (mode === 'epoch' && r === BATCH.EPOCH_END) {
          mode = 'run';
          break;
        }
        if (
          h.now() >= sliceEnd ||
          Atomics.load(c, CTRL.STOP) ||
          (mode === 'run' && Atomics.load(c, CTRL.PAUSE))
        )
          break;
      }
      if (r === BATCH.DONE) end = 'done';
      else if (r === BATCH.DIVERGED) end = 'diverged';
      else {
        // Not after an abandoned batch: a command is waiting, and a checkpoint would hold it up.
        if (r !== BATCH.INTERRUPTED) clock.trained(h.now() - sliceStart, steps());
        await h.yieldToEvents();
      }
    }
    t.kernels.check = null;
    this.setState(end);
    t.settle();
    Atomics.store(c, CTRL.PAUSE, 0);
    Atomics.store(c, CTRL.STEP_REQ, 0);
    // The doctor's fix: a range test (on a trainer of its own) finds a rate that lowers the loss.
    const lrTest = t.divergence ? await this.rangeTest(this.need().config) : null;
    if (t.divergence && lrTest) t.divergence = prescribe(t.divergence, lrTest, t.config);
    await clock.ended(steps());
    const hist = t.historyRows();
    return {
      state: end,
      epochs: t.epochOffset + t.epochsCompleted,
      steps: Atomics.load(c, CTRL.TOTAL_STEPS),
      final: hist.at(-1) ?? null,
      keptEpoch: end === 'diverged' ? (t.divergence?.restoredEpoch ?? 0) : t.keptEpoch,
      stoppedEarly: t.watch.stopped,
      lrTest,
      test: this.testReport(t, end),
      divergence: t.divergence,
      elapsedMs: t.elapsedMs,
      kernel: this.kernelName(),
      arenaBytes: t.arena.buffer.byteLength,
    };
  }

  /** A learning-rate range test for `config` on the loaded data ("Find a learning rate"); never
   *  touches the prepared run. Refused while a run is under way. */
  async findLearningRate(
    config: TrainConfig,
    onProgress?: RangeTestProgress,
  ): Promise<LrRangeResult> {
    if (this.running) throw new MessageError({ key: 'trainer.rangeTest.busy' });
    return this.rangeTest(config, onProgress);
  }

  private rangeTest(config: TrainConfig, onProgress?: RangeTestProgress): Promise<LrRangeResult> {
    const ds = this.dataset;
    if (!ds) throw new MessageError({ key: 'trainer.noDataset' });
    const kernels = this.prepareOpts.kernels ?? 'auto';
    return findLearningRate(ds, config, this.hooks, kernels, onProgress);
  }

  /** Metrics of the run's parameters on the test split (none after a divergence: they mean nothing). */
  private testReport(
    t: PlannedTrainer,
    end: 'done' | 'stopped' | 'diverged',
  ): TrainSummary['test'] {
    const ds = this.dataset;
    if (!ds || ds.test.m === 0 || end === 'diverged') return null;
    return computeTestMetrics(ds, t.predict(ds.test.x, ds.test.m), t.evaluate('test').loss);
  }

  private flag(slot: number, v: number): void {
    const c = this.need().ctrl;
    Atomics.store(c, slot, v);
    Atomics.add(c, CTRL.WAKE, 1);
    Atomics.notify(c, CTRL.WAKE);
  }
  pause(): void {
    this.flag(CTRL.PAUSE, 1);
  }
  resume(): void {
    this.flag(CTRL.PAUSE, 0);
  }
  step(kind: 'batch' | 'epoch' = 'batch'): void {
    Atomics.store(this.need().ctrl, CTRL.PAUSE, 1);
    this.flag(CTRL.STEP_REQ, kind === 'epoch' ? 2 : 1);
  }
  stop(): void {
    if (this.trainer) this.flag(CTRL.STOP, 1);
  }

  poll(): {
    state: TrainingState;
    epoch: number;
    step: number;
    history: ReturnType<PlannedTrainer['historyRows']>;
    bestEpoch: number;
  } {
    const t = this.need();
    return {
      state: this.state,
      epoch: t.epochOffset + t.epochsCompleted,
      step: t.batchInEpoch,
      history: t.historyRows(),
      bestEpoch: Atomics.load(t.ctrl, CTRL.BEST_EPOCH),
    };
  }

  predict(x: Float32Array, m: number): Float32Array {
    return this.need().predict(x, m);
  }

  evaluate(split: 'train' | 'dev' | 'test'): EvalMetrics {
    return this.need().evaluate(split);
  }

  snapshot(): TrainerSnapshot {
    const t = this.need();
    t.settle();
    return {
      network: packedNetworkOf(t),
      config: { ...t.config, hidden: t.config.hidden.map((h) => ({ ...h })) },
      history: t.historyRows(),
      state: this.state,
      epoch: t.epochOffset + t.epochsCompleted,
      step: t.batchInEpoch,
      divergence: t.divergence,
      kernel: this.kernelName(),
      savedAt: Date.now(),
      elapsedMs: t.elapsedMs,
      // After a divergence the parameters were rolled back to the epoch's start: no exact state.
      resume: t.divergence ? null : t.resumeState(),
    };
  }

  /** Float64 central differences on the current parameters (gradient-check.ts). */
  gradientCheck(opts: GradientCheckOptions = {}): GradientCheckResult {
    return checkGradients(this.need(), opts);
  }

  inspect(): Inspection {
    return this.need().inspect();
  }

  reset(): SessionViews {
    if (this.running) throw new MessageError(msg('trainer.busy.reset'));
    this.resetTrainer();
    return this.views();
  }
}
