// Plain types of the trainer session API (everything here goes through Comlink / structured clone).
import type { PackedNetwork, PackedResumeState } from '../core/packed.ts';
import type { ArenaLayout } from '../core/arena.ts';
import type { EvalMetrics, LayerInspection } from '../core/train.ts';
import type { CheckpointListener } from './checkpoints.ts';
import type { GradientCheckResult } from '../core/network.ts';
import type { Msg } from '../messages/index.ts';
import type { TrialResult } from './thread-trial.ts';
import type { HelperStats } from './pool.ts';
import type {
  Divergence,
  EpochMetrics,
  LrRangeResult,
  NetworkSpec,
  Task,
  TestMetrics,
  TrainConfig,
  TrainingState,
} from '../core/types.ts';

export type { EvalMetrics, LayerInspection, GradientCheckResult, ArenaLayout };

export interface DatasetInfo {
  task: Task;
  inputs: number;
  outputs: number;
  m: { train: number; dev: number; test: number };
  featureNames: string[];
  classLabels: string[];
}

export interface PrepareOptions {
  /** Start from these parameters (e.g. a checkpoint) instead of config.init / config.seed. */
  params?: PackedNetwork;
  /** 'auto' (default): WebAssembly SIMD, a thread pool for big products; 'ts': the TypeScript reference. */
  kernels?: 'auto' | 'ts';
  /** Helper threads for big matrix products (0..3). Default: the start-up calibration's choice minus
   *  one, within the user's cap (api.threads(), api.setThreadCap()). */
  helpers?: number;
  /** Epochs already trained by `params` (resuming a checkpoint): the run trains config.epochs - startEpoch
   *  more and numbers its history from startEpoch + 1. Default: resume.epoch, else 0. */
  startEpoch?: number;
  /** The checkpoint's state (TrainerSnapshot.resume), with its network in `params`: the run continues
   *  exactly, bit for bit, as if never interrupted (mid-epoch included). Without it (an older
   *  checkpoint) the optimizer (momentum, Adam) and the generator start afresh. */
  resume?: PackedResumeState | null;
  /** The memory budget of the run's arena (memoryBudget of the page's navigator.deviceMemory); a run
   *  over it is refused with a message (`trainer.memory.overBudget`). Default: no limit. */
  budgetBytes?: number;
}

export interface SessionViews {
  buffer: SharedArrayBuffer | ArrayBuffer;
  shared: boolean;
  layout: ArenaLayout;
  spec: NetworkSpec;
  task: Task;
  epochs: number;
  /** Columns of a training batch (m_train for batch gradient descent). */
  batchSize: number;
  batchesPerEpoch: number;
  kernel: string;
  arenaBytes: number;
}

export interface TrainerSnapshot {
  /** Packed (Float64Array parameters): the page receives and stores it as one memory copy. */
  network: PackedNetwork;
  config: TrainConfig;
  history: EpochMetrics[];
  state: TrainingState;
  epoch: number;
  step: number;
  divergence: Divergence | null;
  kernel: string;
  savedAt: number;
  /** Compute time of the run so far (a resumed exact run counts from its first start), ms. */
  elapsedMs: number;
  /** What a resume needs besides `network` to continue exactly; null after a divergence. */
  resume: PackedResumeState | null;
}

export interface StartOptions {
  /** Called with a plain snapshot every checkpointEveryMs of training (at least 2000), when the run
   *  pauses after training, and once at its end (awaited, so it arrives before the summary).
   *  Over Comlink, wrap it: Comlink.proxy(fn), as the third argument of api.start. */
  onCheckpoint?: CheckpointListener;
  checkpointEveryMs?: number;
}

/** A checkpoint as the page hears of it when the trainer worker writes it to the store itself: the
 *  snapshot without its parameters and resume state (tens of MB for a big network, which then never
 *  cross to the page), with the network's shape. */
export type CheckpointNotice = Omit<TrainerSnapshot, 'network' | 'resume'> & {
  spec: PackedNetwork['spec'];
};

/** Where the worker writes a checkpoint: the run's record, the run's whole history as it is to be
 *  stored (a resumed run's saved part first) and its training time. */
export interface CheckpointTarget {
  runId: string;
  history: EpochMetrics[];
  elapsedMs: number;
}

/** How a checkpoint's write ended: `quota` when the disk was full. */
export type CheckpointWritten = { ok: true } | { ok: false; quota: boolean; error: Msg | string };

/** The page's side of the checkpoints the trainer worker writes (api.start's fourth argument, through
 *  Comlink.proxy): `target` says where this one goes (null: it is not saved, e.g. the disk is full and
 *  the student has not chosen yet), `written` hears how the write ended. */
export interface CheckpointSink {
  target(n: CheckpointNotice): CheckpointTarget | null | Promise<CheckpointTarget | null>;
  written(n: CheckpointNotice, t: CheckpointTarget, w: CheckpointWritten): void | Promise<void>;
}

export interface TrainSummary {
  state: 'done' | 'stopped' | 'diverged';
  /** Epochs completed in all (a resumed run counts its checkpoint's epochs too). */
  epochs: number;
  steps: number;
  final: EpochMetrics | null;
  /** The epoch whose parameters the run ends with: with early stopping on, the best one (lowest dev
   *  loss); after a divergence, the one it rolled back to (0: the initial parameters); else the last. */
  keptEpoch: number;
  /** Early stopping ended the run before its last epoch. */
  stoppedEarly: boolean;
  /** After a divergence, the range test that set the doctor's fix (null otherwise). */
  lrTest: LrRangeResult | null;
  /** The test split's metrics (computed here, once; null without a test split or after a divergence). */
  test: TestMetrics | null;
  divergence: Divergence | null;
  elapsedMs: number;
  kernel: string;
  arenaBytes: number;
}

export interface Inspection {
  epoch: number;
  step: number;
  /** Columns (examples) included in X, Y, Z, A, dZ, D: the first min(batch, 256). */
  m: number;
  /** Columns of the whole mini-batch (m of the notes for dW and db). */
  batchM: number;
  X: Float32Array;
  Y: Float32Array;
  layers: LayerInspection[];
}

/** What a prepared run's threads did: its kernels, its helpers' counters, its last thread trial. */
export interface ThreadUse {
  kernel: string;
  stats: HelperStats | null;
  trial: TrialResult | null;
}

/** How many threads big matrix products run on (api.threads()): the start-up calibration's speeds,
 *  its choice, the user's cap, and what the prepared run's helpers computed. */
export interface ThreadChoice {
  /** Threads a run uses for big products: the calibration's choice within the cap (1: no pool). */
  threads: number;
  /** The calibration's choice before the cap. */
  best: number;
  /** The user's cap (null: automatic). */
  cap: number | null;
  /** Logical cores the browser reports (navigator.hardwareConcurrency). */
  cores: number;
  /** Most threads the calibration tried and a cap may allow (one per core, at most 4). */
  max: number;
  /** GFLOP/s per thread count (index 0: one thread) on the calibration product; empty: not measured. */
  gflops: number[];
  measured: boolean;
  /** How long the calibration took, ms. */
  calibrationMs: number;
  /** Per helper of the prepared run's pool: parts of products computed, and ms of compute. */
  helperParts: number[];
  helperBusyMs: number[];
  /** The prepared run's kernels (as TrainSummary.kernel: '-x2' when a pool of 2 threads); '' before one. */
  kernel: string;
  /** The prepared run's last thread trial (thread-trial.ts): the threads it trains on, measured on
   *  its own batches; null before one (no run yet, or no pool to try). */
  trial: TrialResult | null;
  /** The rules the choice follows: the calibration's least gain and tolerance, and the least gain
   *  on a run's own batches for it to keep its pool (threads.ts, thread-trial.ts). */
  rules: { gain: number; tolerance: number; pays: number };
}

/** The shapes of the data a run would train on (what an estimate needs of a dataset). */
export type DataShape = Pick<DatasetInfo, 'task' | 'inputs' | 'outputs' | 'm'>;

/** What a run will cost, before it starts (api.estimate). */
export interface RunEstimate {
  /** Bytes of the run's arena, from the plan the trainer makes (its real size). */
  arenaBytes: number;
  /** The memory budget the run must fit in (memoryBudget). */
  budgetBytes: number;
  fits: boolean;
  /** Threads its big products would run on. */
  threads: number;
  /** One batch, ms, measured by a short probe (null when not probed: over the budget, or busy). */
  batchMs: number | null;
  /** One epoch (its batches and the dev pass), ms. */
  epochMs: number;
  /** All the run's epochs, ms. */
  totalMs: number;
  epochs: number;
  /** 'probe': timed on this device; 'model': from the product speed and the flops. */
  basis: 'probe' | 'model';
}

const MiB = 2 ** 20;
/** How a run's memory budget follows from the device's memory (see memoryBudget). */
export const MEMORY_BUDGET = {
  /** Share of navigator.deviceMemory a run's arena may take. */
  share: 1 / 4,
  min: 128 * MiB,
  max: 2048 * MiB,
  /** Where the browser does not say (navigator.deviceMemory missing). */
  fallback: 512 * MiB,
} as const;

/** The arena bytes a run may take on this device: a quarter of navigator.deviceMemory (GiB, which
 *  browsers round down and report up to 8), within 128 MiB .. 2 GiB; 512 MiB where it is unknown. */
export function memoryBudget(deviceMemoryGiB?: number | null): number {
  if (typeof deviceMemoryGiB !== 'number' || !(deviceMemoryGiB > 0)) return MEMORY_BUDGET.fallback;
  const share = Math.floor(deviceMemoryGiB * 1024 * MiB * MEMORY_BUDGET.share);
  return Math.min(MEMORY_BUDGET.max, Math.max(MEMORY_BUDGET.min, share));
}
