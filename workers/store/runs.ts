// Runs and their checkpoints. A checkpoint (history + weights) is one short transaction: complete or absent.
import { msg } from '../messages/index.ts';
import type {
  Divergence,
  EpochMetrics,
  NetworkSpec,
  ResumeState,
  SerializedNetwork,
  Task,
  TrainConfig,
} from '../core/types.ts';
import {
  isFloats,
  packNetwork,
  packResume,
  plainNetwork,
  plainResume,
  type PackedNetwork,
  type PackedResumeState,
} from '../core/packed.ts';
import type { IDBPTransaction } from 'idb';
import type {
  CheckpointRecord,
  FinalMetrics,
  LabDB,
  RunRecord,
  RunStatus,
  StoredCheckpoint,
  StoredRecipe,
} from './schema.ts';
import type { LabStore } from './store.ts';
import { StoreError } from './errors.ts';
import { newId, uniqueName } from './names.ts';
import { holdLock, isLockHeld } from './sync.ts';

export interface NewRun {
  name?: string;
  config: TrainConfig;
  datasetHash: string | null;
  datasetName: string;
  recipe: StoredRecipe;
  spec: NetworkSpec | null;
  task: Task | null;
  targetName: string;
  featureNames: string[];
  classLabels: string[];
  targetScale: { mean: number; std: number } | null;
}

/** What the trainer hands over at a checkpoint: plain copies (a SharedArrayBuffer cannot be stored). */
export interface CheckpointInput {
  history: EpochMetrics[];
  network: PackedNetwork;
  /** Epochs completed (default: the last history row's epoch). */
  epoch?: number;
  /** Training time so far in ms, this run in total. */
  elapsedMs?: number;
  /** The trainer's exact resume state at this checkpoint (TrainerSnapshot.resume), if any. */
  trainerState?: PackedResumeState | null;
}

export interface RunEnd {
  /** 'interrupted': the worker died under the run, which can continue from `network`. */
  status: Exclude<RunStatus, 'running'>;
  history: EpochMetrics[];
  network?: PackedNetwork;
  final?: FinalMetrics | null;
  divergence?: Divergence | null;
  elapsedMs?: number;
  /** The exact resume state that goes with `network` (a stopped run continues exactly). */
  trainerState?: PackedResumeState | null;
}

/** The lock a live run holds while it trains, in whichever tab or worker trains it. */
export function runLockName(store: LabStore, runId: string): string {
  return `${store.name}:run:${runId}`;
}

function copyHistory(history: EpochMetrics[]): EpochMetrics[] {
  return history.map((h) => ({ ...h }));
}

/** A stored checkpoint as readers use it: plain arrays (stored ones are packed, see core/packed.ts). */
export function plainCheckpoint(cp: StoredCheckpoint): CheckpointRecord {
  return {
    ...cp,
    network: plainNetwork(cp.network),
    trainerState: resumeStateAt(cp.trainerState, cp.epoch),
  };
}

function lastEpoch(history: EpochMetrics[]): number {
  return history.length ? history[history.length - 1].epoch : 0;
}

/** Creates a run in status 'running' with an empty history; its name is made unique. */
export async function createRun(
  store: LabStore,
  input: NewRun,
  now = Date.now(),
  id = newId(),
): Promise<RunRecord> {
  return store.write(['runs'], async (tx) => {
    const names = (await tx.objectStore('runs').getAll()).map((r) => r.name);
    const run: RunRecord = {
      id,
      name: uniqueName(
        input.name ??
          `${input.datasetName || 'Run'} \u2014 ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')}`,
        names,
      ),
      created: now,
      updated: now,
      status: 'running',
      config: structuredClone(input.config),
      seed: input.config.seed,
      datasetHash: input.datasetHash,
      datasetName: input.datasetName,
      recipe: structuredClone(input.recipe),
      spec: input.spec ? structuredClone(input.spec) : null,
      task: input.task,
      targetName: input.targetName,
      featureNames: [...input.featureNames],
      classLabels: [...input.classLabels],
      targetScale: input.targetScale ? { ...input.targetScale } : null,
      history: [],
      final: null,
      divergence: null,
      timings: { startedAt: now, endedAt: null, elapsedMs: 0 },
      checkpointEpoch: 0,
    };
    await tx.objectStore('runs').add(run);
    return run;
  });
}

/**
 * Creates a run and holds its lock (the run is live) until `release` is called when training ends.
 * Checkpoints then go to saveCheckpoint, the end to finishRun.
 */
export async function startRun(
  store: LabStore,
  input: NewRun,
  now = Date.now(),
): Promise<{ run: RunRecord; release: () => void }> {
  const id = newId();
  const release = await holdLock(runLockName(store, id));
  try {
    return { run: await createRun(store, input, now, id), release };
  } catch (e) {
    release();
    throw e;
  }
}

/** Writes a run's history and weights in ONE transaction (runs + checkpoints): complete or absent. */
export async function saveCheckpoint(
  store: LabStore,
  runId: string,
  cp: CheckpointInput,
  now = Date.now(),
): Promise<void> {
  // Copy before the transaction: nothing but IndexedDB is awaited inside it.
  const history = copyHistory(cp.history);
  const network = packNetwork(cp.network);
  const epoch = cp.epoch ?? lastEpoch(history);
  const trainerState = cp.trainerState ? packResume(cp.trainerState) : null;
  await store.write(['runs', 'checkpoints'], async (tx) => {
    const runs = tx.objectStore('runs');
    const run = await runs.get(runId);
    if (!run) throw new StoreError('not-found', msg('store.error.runDeletedProgress'));
    const record: StoredCheckpoint = { runId, epoch, savedAt: now, network, trainerState };
    await runs.put({
      ...run,
      history,
      updated: now,
      checkpointEpoch: epoch,
      timings: { ...run.timings, elapsedMs: cp.elapsedMs ?? run.timings.elapsedMs },
    });
    await tx.objectStore('checkpoints').put(record);
  });
}

/** Ends a run: its status, full history, final metrics, and (if given) the final weights as checkpoint. */
export async function finishRun(
  store: LabStore,
  runId: string,
  end: RunEnd,
  now = Date.now(),
): Promise<RunRecord> {
  const history = copyHistory(end.history);
  const network = end.network ? packNetwork(end.network) : null;
  const final = end.final ? { ...end.final } : null;
  const divergence = end.divergence ? structuredClone(end.divergence) : null;
  const trainerState = network && end.trainerState ? packResume(end.trainerState) : null;
  return store.write(['runs', 'checkpoints'], async (tx) => {
    const runs = tx.objectStore('runs');
    const run = await runs.get(runId);
    if (!run) throw new StoreError('not-found', msg('store.error.runDeletedResult'));
    const epoch = lastEpoch(history);
    const next: RunRecord = {
      ...run,
      status: end.status,
      history,
      final,
      divergence,
      updated: now,
      checkpointEpoch: network ? epoch : run.checkpointEpoch,
      timings: { ...run.timings, endedAt: now, elapsedMs: end.elapsedMs ?? run.timings.elapsedMs },
    };
    await runs.put(next);
    if (network)
      await tx
        .objectStore('checkpoints')
        .put({ runId, epoch, savedAt: now, network, trainerState });
    return next;
  });
}

export async function getRun(store: LabStore, runId: string): Promise<RunRecord | undefined> {
  return store.read((db) => db.get('runs', runId));
}

export async function getCheckpoint(
  store: LabStore,
  runId: string,
): Promise<CheckpointRecord | undefined> {
  const cp = await store.read((db) => db.get('checkpoints', runId));
  return cp && plainCheckpoint(cp);
}

/** All runs, newest first. */
export async function listRuns(store: LabStore): Promise<RunRecord[]> {
  const runs = await store.read((db) => db.getAllFromIndex('runs', 'created'));
  return runs.reverse();
}

/** Renames a run; the name is trimmed and made unique among runs. Returns the name given. */
export async function renameRun(store: LabStore, runId: string, name: string): Promise<string> {
  return store.write(['runs'], async (tx) => {
    const all = await tx.objectStore('runs').getAll();
    const run = all.find((r) => r.id === runId);
    if (!run) throw new StoreError('not-found', msg('store.error.runGone'));
    const given = uniqueName(
      name,
      all.filter((r) => r.id !== runId).map((r) => r.name),
    );
    await tx.objectStore('runs').put({ ...run, name: given, updated: Date.now() });
    return given;
  });
}

/** What a delete removed, to put back with restoreRun (undo). */
export interface DeletedRun {
  run: RunRecord;
  checkpoint: StoredCheckpoint | null;
}

export async function deleteRun(store: LabStore, runId: string): Promise<DeletedRun | null> {
  // A run that trains (here or in another tab) holds its lock: deleting it would lose its next save.
  const training = await isLockHeld(runLockName(store, runId));
  return store.write(['runs', 'checkpoints'], async (tx) => {
    const run = await tx.objectStore('runs').get(runId);
    if (!run) return null;
    if (training)
      throw new StoreError('blocked', msg('store.error.runTraining', { run: run.name }));
    const checkpoint = (await tx.objectStore('checkpoints').get(runId)) ?? null;
    await tx.objectStore('runs').delete(runId);
    await tx.objectStore('checkpoints').delete(runId);
    return { run, checkpoint };
  });
}

/** Undo of deleteRun (or the import of a run): puts the run and its checkpoint back, never over another. */
export async function restoreRun(store: LabStore, deleted: DeletedRun): Promise<RunRecord> {
  return store.write(['runs', 'checkpoints'], async (tx) => {
    const runs = tx.objectStore('runs');
    const all = await runs.getAll();
    const clash = all.some((r) => r.id === deleted.run.id);
    const run: RunRecord = {
      ...deleted.run,
      id: clash ? newId() : deleted.run.id,
      name: uniqueName(
        deleted.run.name,
        all.map((r) => r.name),
      ),
    };
    await runs.add(run);
    if (deleted.checkpoint)
      await tx.objectStore('checkpoints').put({ ...deleted.checkpoint, runId: run.id });
    return run;
  });
}

/** A run whose trainer died: 'interrupted', with the history and checkpoint its last checkpoint
 *  wrote together (a newer checkpoint than the page heard of is kept whole, not cut back). */
export async function markInterrupted(
  store: LabStore,
  runId: string,
  now = Date.now(),
): Promise<void> {
  await store.write(['runs'], (tx) => interrupt(tx, [runId], now, false));
}

/** Marks runs 'interrupted' in `tx`, their history and checkpoint kept as they are (with
 *  `onlyRunning`, only those still 'running'). Returns the ids changed. */
async function interrupt(
  tx: IDBPTransaction<LabDB, 'runs'[], 'readwrite'>,
  ids: string[],
  now: number,
  onlyRunning: boolean,
): Promise<string[]> {
  const changed: string[] = [];
  for (const id of ids) {
    const run = await tx.objectStore('runs').get(id);
    if (run && (!onlyRunning || run.status === 'running')) {
      await tx.objectStore('runs').put({ ...run, status: 'interrupted', updated: now });
      changed.push(id);
    }
  }
  return changed;
}

/**
 * On app start: runs still 'running' whose trainer is gone (no tab or worker holds the run's lock)
 * become 'interrupted'; their history and checkpoint are kept. Returns the ids changed.
 */
export async function recoverInterrupted(store: LabStore, now = Date.now()): Promise<string[]> {
  const running = await store.read((db) => db.getAllFromIndex('runs', 'status', 'running'));
  const orphans: string[] = [];
  for (const r of running) if (!(await isLockHeld(runLockName(store, r.id)))) orphans.push(r.id);
  if (!orphans.length) return [];
  return store.write(['runs'], (tx) => interrupt(tx, orphans, now, true));
}

/** Where training continues from: the run, its checkpointed network and the history up to it. */
export interface ResumePoint {
  run: RunRecord;
  network: SerializedNetwork;
  /** History rows up to the checkpoint's epoch (rows after it were not saved with weights). */
  history: EpochMetrics[];
  epoch: number;
  remainingEpochs: number;
  /** The exact resume state, or null (an older checkpoint, an import): then the optimizer starts afresh. */
  trainerState: ResumeState | null;
}

export async function resumePoint(store: LabStore, runId: string): Promise<ResumePoint> {
  const [run, cp] = await store.read(async (db) => {
    const tx = db.transaction(['runs', 'checkpoints'], 'readonly');
    const r = await Promise.all([
      tx.objectStore('runs').get(runId),
      tx.objectStore('checkpoints').get(runId),
    ]);
    await tx.done;
    return r;
  });
  if (!run) throw new StoreError('not-found', msg('store.error.runGone'));
  if (!cp) throw new StoreError('not-found', msg('store.error.noWeights', { run: run.name }));
  const history = run.history.filter((h) => h.epoch <= cp.epoch);
  return {
    run,
    network: plainNetwork(cp.network),
    history,
    epoch: cp.epoch,
    remainingEpochs: Math.max(0, run.config.epochs - cp.epoch),
    trainerState: resumeStateAt(cp.trainerState, cp.epoch),
  };
}

/** A stored trainer state that belongs to a checkpoint at `epoch`, or null (absent in records written
 *  before it existed, or not of this format: the resume then starts the optimizer afresh). */
function resumeStateAt(s: unknown, epoch: number): ResumeState | null {
  if (!s || typeof s !== 'object') return null;
  const r = s as Partial<PackedResumeState>;
  const ok =
    r.version === 1 &&
    r.epoch === epoch &&
    Number.isInteger(r.batch) &&
    Array.isArray(r.rng) &&
    isFloats(r.perm) &&
    isFloats(r.v) &&
    isFloats(r.s) &&
    (r.backup == null || isFloats(r.backup)) &&
    typeof r.sums === 'object';
  return ok ? plainResume(s as PackedResumeState) : null;
}

/**
 * Marks a run as training again (after resume) and holds its lock until the returned release is
 * called, so another tab starting up does not mark it interrupted.
 */
export async function claimRun(store: LabStore, runId: string): Promise<() => void> {
  const release = await holdLock(runLockName(store, runId));
  try {
    await store.write(['runs'], async (tx) => {
      const run = await tx.objectStore('runs').get(runId);
      if (!run) throw new StoreError('not-found', msg('store.error.runGone'));
      if (run.status !== 'running')
        await tx.objectStore('runs').put({ ...run, status: 'running', updated: Date.now() });
    });
  } catch (e) {
    release();
    throw e;
  }
  return release;
}
