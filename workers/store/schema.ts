// The one typed IndexedDB schema of Backprop Lab and its migration ladder.
import type { PackedNetwork, PackedResumeState } from '../core/packed.ts';
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type {
  Divergence,
  EpochMetrics,
  NetworkSpec,
  ResumeState,
  SerializedNetwork,
  Task,
  TrainConfig,
} from '../core/types.ts';
import type {
  ParseOptions,
  Recipe,
  RecipeSettings,
  SyntheticKind,
  SyntheticOptions,
} from '../data/types.ts';

export const DB_NAME = 'backprop-lab';
/** The schema version this build writes. Bump it by appending a step to MIGRATIONS. */
export const DB_VERSION = 1;

export type RunStatus = 'running' | 'completed' | 'stopped' | 'diverged' | 'interrupted';
export const RUN_STATUSES: readonly RunStatus[] = [
  'running',
  'completed',
  'stopped',
  'diverged',
  'interrupted',
];

/** The data pipeline's fitted preprocessing recipe (workers/data), or null (a model imported without one). */
export type StoredRecipe = Recipe | null;

/** Where a stored dataset came from: a dropped file, a bundled sample (its id in TABLE_SAMPLES) or a
 * generated set (its kind and options; the record's file is then its JSON description). */
export type StoredDataSource =
  | { kind: 'file' }
  | { kind: 'sample'; id: string }
  | { kind: 'synthetic'; synthetic: SyntheticKind; options: SyntheticOptions };

/** A dataset a run trained on: its original file (a Blob: stored without a copy on the main thread),
 * the health summary, the SHA-256 of its bytes (the key) and how it was last read and prepared, so
 * that a run continues or replays on it without a data step. */
export interface DatasetRecord {
  /** SHA-256 of the bytes, lowercase hex. */
  hash: string;
  name: string;
  /** MIME type of the original file (text/csv). */
  type: string;
  size: number;
  file: Blob;
  /** The data pipeline's health summary (plain data). */
  summary: unknown;
  created: number;
  /** Where it came from (absent in records written before it existed: read as a file). */
  source?: StoredDataSource;
  /** The reading options last used with it (delimiter, decimal comma, ragged rows). */
  parseOptions?: Partial<ParseOptions>;
  /** The recipe settings last used with it (target, types, split...). A run's own are in its recipe. */
  settings?: RecipeSettings | null;
}

/** Metrics at the end of a run (or of the test split); NaN or absent where they do not apply. */
export type FinalMetrics = Record<string, number>;

export interface RunTimings {
  startedAt: number;
  endedAt: number | null;
  /** Training time in ms, summed over resumes. */
  elapsedMs: number;
}

/** Everything needed to show, compare, replay and resume a run, except its weights (see CheckpointRecord). */
export interface RunRecord {
  id: string;
  name: string;
  created: number;
  updated: number;
  status: RunStatus;
  config: TrainConfig;
  seed: number;
  datasetHash: string | null;
  datasetName: string;
  recipe: StoredRecipe;
  spec: NetworkSpec | null;
  task: Task | null;
  targetName: string;
  featureNames: string[];
  classLabels: string[];
  targetScale: { mean: number; std: number } | null;
  history: EpochMetrics[];
  final: FinalMetrics | null;
  divergence: Divergence | null;
  timings: RunTimings;
  /** Epoch of the last checkpoint (0 = none yet). */
  checkpointEpoch: number;
}

/** A run's latest weights, written together with its history in one transaction (as read: plain). */
export interface CheckpointRecord {
  runId: string;
  /** Epochs completed at the checkpoint (it may be mid-epoch: trainerState.batch says where). */
  epoch: number;
  savedAt: number;
  network: SerializedNetwork;
  /** What a resume needs besides the weights to continue exactly (optimizer moments, generator,
   *  shuffle, position in the epoch). null in checkpoints written before the trainer provided it, in
   *  imported runs and after a divergence: such a run resumes with the optimizer afresh. */
  trainerState: ResumeState | null;
}

/** A checkpoint at rest: its long arrays packed (core/packed.ts; older records and imports: plain).
 *  Read through runs.ts, which gives the plain CheckpointRecord. */
export interface StoredCheckpoint extends Omit<CheckpointRecord, 'network' | 'trainerState'> {
  network: PackedNetwork;
  trainerState: PackedResumeState | null;
}

/** A finished model: what prediction and export need. */
export interface ModelRecord {
  id: string;
  name: string;
  created: number;
  network: SerializedNetwork;
  recipe: StoredRecipe;
  task: Task | null;
  targetName: string;
  featureNames: string[];
  classLabels: string[];
  targetScale: { mean: number; std: number } | null;
  metrics: FinalMetrics;
  runId: string | null;
  datasetHash: string | null;
}

export interface LabDB extends DBSchema {
  datasets: { key: string; value: DatasetRecord; indexes: { created: number; name: string } };
  runs: {
    key: string;
    value: RunRecord;
    indexes: { created: number; status: RunStatus; datasetHash: string };
  };
  checkpoints: { key: string; value: StoredCheckpoint };
  models: { key: string; value: ModelRecord; indexes: { created: number; name: string } };
}

export type LabStoreName = StoreNames<LabDB>;
export type UpgradeTx = IDBPTransaction<LabDB, LabStoreName[], 'versionchange'>;
/** One step of the ladder: brings a database at version i to version i + 1. */
export type Migration = (db: IDBPDatabase<LabDB>, tx: UpgradeTx) => void;

/** MIGRATIONS[i] upgrades version i to i + 1. Never edit a shipped step; append a new one. */
export const MIGRATIONS: readonly Migration[] = [
  // 0 -> 1: the first schema.
  (db) => {
    const datasets = db.createObjectStore('datasets', { keyPath: 'hash' });
    datasets.createIndex('created', 'created');
    datasets.createIndex('name', 'name');
    const runs = db.createObjectStore('runs', { keyPath: 'id' });
    runs.createIndex('created', 'created');
    runs.createIndex('status', 'status');
    runs.createIndex('datasetHash', 'datasetHash');
    db.createObjectStore('checkpoints', { keyPath: 'runId' });
    const models = db.createObjectStore('models', { keyPath: 'id' });
    models.createIndex('created', 'created');
    models.createIndex('name', 'name');
  },
];

/** Runs every step from oldVersion up to newVersion (the `oldVersion < N` ladder). */
export function runMigrations(
  db: IDBPDatabase<LabDB>,
  tx: UpgradeTx,
  oldVersion: number,
  newVersion: number,
  ladder: readonly Migration[] = MIGRATIONS,
): void {
  if (newVersion > ladder.length) {
    throw new Error(`No migration to version ${newVersion}: the ladder ends at ${ladder.length}.`);
  }
  for (let v = oldVersion; v < newVersion; v++) ladder[v](db, tx);
}
