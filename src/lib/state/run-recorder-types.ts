// What the run recorder exchanges with the training session and the library: the session's side
// (checkpoints, run ends, resume) and the host's (storage, messages, lists).
import type { PackedNetwork, PackedResumeState } from '../../../workers/core/packed.ts';
import type { LabStore } from '../../../workers/store/store.ts';
import type { RunRecord } from '../../../workers/store/schema.ts';
import type {
  Divergence,
  EpochMetrics,
  Task,
  TestMetrics,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { CheckpointNotice } from '../../../workers/trainer/types.ts';
import type { CheckpointWriting } from '../engine/trainer-client.ts';

/** Where training continues from: a saved network, its run's configuration and history, and the
 *  trainer's state for an exact continuation (null: an older checkpoint, the optimizer starts afresh). */
export interface ResumeFrom {
  network: PackedNetwork;
  config: TrainConfig;
  history?: EpochMetrics[];
  /** Epochs completed at the checkpoint (the new rows are numbered on from it). */
  startEpoch?: number;
  resume?: PackedResumeState | null;
}

/** What the recorder needs from the training session (TrainingSession satisfies it). */
export interface TrainingLink {
  onCheckpoint: ((s: TrainingSnapshot) => void) | null;
  /** Set by the recorder: the database the worker writes checkpoints into itself, and who hears of
   *  each (null: checkpoints come whole to onCheckpoint). */
  checkpointWriting?: (() => CheckpointWriting | null) | null;
  onRunEnd: ((summary: RunSummary, config: TrainConfig) => Promise<void> | void) | null;
  onRunLost?: (() => void) | null;
  readonly dataset: PreparedDataset | null;
  readonly state: TrainingState;
  /** What the training area shows (TrainingSession has them; the library's cards follow them). */
  readonly epoch?: number;
  readonly latest?: EpochMetrics | null;
  readonly summary?: unknown;
  readonly runConfig?: TrainConfig | null;
  readonly form: {
    load(c: TrainConfig): void;
    readonly config?: TrainConfig | null;
    touched?: boolean;
  };
  train(): Promise<void>;
  /** Stops the run (TrainingSession.stop). */
  stop?(): void;
  resumeFrom(s: ResumeFrom): Promise<void>;
  markInterrupted?(history?: EpochMetrics[], task?: Task | null): void;
}

/** A checkpoint as the trainer hands it over (a TrainerSnapshot satisfies it). */
export interface TrainingSnapshot {
  network: PackedNetwork;
  config: TrainConfig;
  /** This session's rows (a resumed run's rows are numbered on from its checkpoint). */
  history: EpochMetrics[];
  state: TrainingState;
  epoch: number;
  savedAt: number;
  /** Compute time of the run so far, ms. */
  elapsedMs?: number;
  /** What a resume needs besides the network to continue exactly (null after a divergence). */
  resume?: PackedResumeState | null;
}

/** What the recorder knows of a run's newest checkpoint: the snapshot itself (the page writes it), or
 *  the notice of one the worker wrote (no parameters). */
export type SeenCheckpoint = TrainingSnapshot | CheckpointNotice;

export interface RunSummary {
  state: 'done' | 'stopped' | 'diverged';
  /** The epoch whose weights the run ends with (early stopping: the best one). */
  keptEpoch?: number;
  final: EpochMetrics | null;
  test: TestMetrics | null;
  divergence: Divergence | null;
  elapsedMs: number;
}

/** What the recorder uses of its library. */
export interface RecorderHost {
  store(): LabStore | null;
  /** Reports a failure in words a student understands. */
  fail(e: unknown): void;
  /** Reloads the lists. */
  refresh(): Promise<void>;
  /** Shows a run just written (cheaper than reloading every list at each checkpoint). */
  showRun(run: RunRecord): void;
  /** Says something worth knowing that is not a failure (role="status"). */
  say?(text: string): void;
}
