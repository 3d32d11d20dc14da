// The data worker's bridge: one WorkerOwner starts it lazily, wraps it with Comlink, notices when it
// dies, and turns a silent worker into a clear error (Comlink never rejects calls to a dead worker).
import * as Comlink from 'comlink';
import { WorkerOwner } from './worker-owner.ts';
import { msg, type Msg } from '../../../workers/messages/index.ts';
import type { DataApi } from '../../../workers/data.worker.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type {
  Fix,
  HealthReport,
  ParseOptions,
  ParseProgress,
  PrepareSummary,
  Recipe,
  RecipeSettings,
  Result,
  SyntheticKind,
  SyntheticOptions,
} from '../../../workers/data/types.ts';
import type {
  InputColumn,
  Prediction,
  PredictionBatch,
  PredictProgress,
  PredictResult,
} from '../../../workers/data/predict/types.ts';
import type { ModelRecord } from '../../../workers/store/schema.ts';

export type DataWorker = Comlink.Remote<DataApi>;

export class DataWorkerCrashedError extends Error {
  /** The same, in the user's language (see msgOf). */
  readonly msg: Msg;
  constructor(detail: string) {
    super(
      `The data worker stopped unexpectedly (${detail}). Reload the page and try again; if it happens again, the file may be too big for this device.`,
    );
    this.name = 'DataWorkerCrashedError';
    this.msg = msg('reading.crashed', { detail });
  }
}

const owner = new WorkerOwner<DataApi>({
  spawn: () =>
    new Worker(new URL('../../../workers/data.worker.ts', import.meta.url), {
      type: 'module',
      name: 'data',
    }),
  crashed: (detail) => new DataWorkerCrashedError(detail),
  timeoutHint: ' Reload the page and try again.',
  name: 'The data worker',
});

/** The data worker, started on first use. */
export function dataWorker(): DataWorker {
  return owner.remote();
}

/** Subscribe to worker crashes; returns an unsubscribe function. */
export function onDataWorkerCrash(listener: (err: Error) => void): () => void {
  return owner.onCrash(listener);
}

/** Last resort: kill the worker (a cooperative stop goes through `cancel()`). */
export function terminateDataWorker(): void {
  owner.terminate();
}

/** Resolves with `promise`, or rejects after `ms` or when the worker crashes. `ms = 0`: no time limit. */
export function guarded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return owner.call(promise, ms, what);
}

/** Reads a file in the worker with progress. No overall time limit (a 100 MB file takes a while) but the
 * call fails if the worker goes silent: no progress for `stallMs`. */
export function loadFileInWorker(
  file: Blob,
  name: string,
  options: Partial<ParseOptions>,
  onProgress: (p: ParseProgress) => void,
  stallMs = 60_000,
): Promise<Result<{ report: HealthReport }>> {
  let last = Date.now();
  const call = dataWorker().loadFile(
    file,
    name,
    options,
    Comlink.proxy((p: ParseProgress) => {
      last = Date.now();
      onProgress(p);
    }),
  ) as Promise<Result<{ report: HealthReport }>>;
  return watchStall(call, () => last, stallMs, 'Reading the file');
}

/** Like loadFileInWorker, for reading the last file again with other options. */
export function rereadInWorker(
  options: Partial<ParseOptions>,
  onProgress: (p: ParseProgress) => void,
  stallMs = 60_000,
): Promise<Result<{ report: HealthReport }>> {
  let last = Date.now();
  const call = dataWorker().reread(
    options,
    Comlink.proxy((p: ParseProgress) => {
      last = Date.now();
      onProgress(p);
    }),
  ) as Promise<Result<{ report: HealthReport }>>;
  return watchStall(call, () => last, stallMs, 'Reading the file');
}

function watchStall<T>(
  call: Promise<T>,
  lastSeen: () => number,
  stallMs: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setInterval(() => {
      if (Date.now() - lastSeen() > stallMs) {
        clearInterval(timer);
        reject(
          new Error(
            `${what} stopped making progress for ${Math.round(stallMs / 1000)} s. Reload the page and try again.`,
          ),
        );
      }
    }, 1000);
    guarded(call, 0, what).then(
      (v) => {
        clearInterval(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearInterval(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The data worker behind the DatasetSession's backend interface, with time limits on every call. */
export const workerDataBackend = {
  loadFile: (
    file: Blob,
    name: string,
    options: Partial<ParseOptions>,
    onProgress: (p: ParseProgress) => void,
  ) => loadFileInWorker(file, name, options, onProgress),
  reread: (options: Partial<ParseOptions>, onProgress: (p: ParseProgress) => void) =>
    rereadInWorker(options, onProgress),
  loadUrl: (url: string, name: string) =>
    guarded(
      dataWorker().loadUrl(url, name) as Promise<Result<{ report: HealthReport }>>,
      60_000,
      'Loading the sample',
    ),
  loadSynthetic: (kind: SyntheticKind, options: Partial<SyntheticOptions>) =>
    guarded(
      dataWorker().loadSynthetic(kind, options) as Promise<Result<{ report: HealthReport }>>,
      30_000,
      'Making the sample',
    ),
  cancel: () => guarded(dataWorker().cancel(), 10_000, 'The data worker'),
  prepare: (settings: RecipeSettings) =>
    guarded(
      dataWorker().prepare(settings) as Promise<
        Result<{ recipe: Recipe; dataset: PreparedDataset; summary: PrepareSummary }>
      >,
      120_000,
      'Preparing the data',
    ),
  describe: (settings: RecipeSettings, summary: PrepareSummary | null) =>
    guarded(dataWorker().describe(settings, summary), 30_000, 'The data worker'),
  applyFix: (settings: RecipeSettings, fix: Fix) =>
    guarded(dataWorker().applyFix(settings, fix), 10_000, 'The data worker'),
};

/** Prediction with a saved model, in the data worker (the PredictionPanel's backend). A file has no
 * overall time limit, but fails when the worker makes no progress for `stallMs`. */
export const workerPredictionBackend = {
  inputs: (model: ModelRecord) =>
    guarded(dataWorker().modelInputs(model) as Promise<InputColumn[]>, 30_000, 'The data worker'),
  predictRow: (model: ModelRecord, header: string[], cells: string[]) =>
    guarded(
      dataWorker().predictRow(model, header, cells) as Promise<
        PredictResult<{ prediction: Prediction }>
      >,
      30_000,
      'Predicting',
    ),
  predictFile: (
    model: ModelRecord,
    file: Blob,
    name: string,
    onProgress: (p: PredictProgress) => void,
    stallMs = 60_000,
  ): Promise<PredictResult<{ batch: PredictionBatch }>> => {
    let last = Date.now();
    const call = dataWorker().predictFile(
      model,
      file,
      name,
      Comlink.proxy((p: PredictProgress) => {
        last = Date.now();
        onProgress(p);
      }),
    ) as Promise<PredictResult<{ batch: PredictionBatch }>>;
    return watchStall(call, () => last, stallMs, 'Predicting the file');
  },
  cancel: () => guarded(dataWorker().cancelPrediction(), 10_000, 'The data worker'),
};
