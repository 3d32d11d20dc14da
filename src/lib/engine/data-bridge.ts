// The one owner of the data worker: spawns it lazily, wraps it with Comlink, notices when it dies, and
// turns a silent worker into a clear error (Comlink never rejects calls to a dead worker).
import * as Comlink from 'comlink';
import type { DataApi } from '../../../workers/data.worker.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type {
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
  constructor(detail: string) {
    super(
      `The data worker stopped unexpectedly (${detail}). Reload the page and try again; if it happens again, the file may be too big for this device.`,
    );
    this.name = 'DataWorkerCrashedError';
  }
}

let worker: Worker | null = null;
let remote: DataWorker | null = null;
let crashListeners: Array<(err: Error) => void> = [];
/** Rejecters of calls in flight, so a crash ends them at once instead of leaving them pending. */
const inFlight = new Set<(err: Error) => void>();

/** The data worker, started on first use. */
export function dataWorker(): DataWorker {
  if (remote) return remote;
  worker = new Worker(new URL('../../../workers/data.worker.ts', import.meta.url), {
    type: 'module',
    name: 'data',
  });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    const err = new DataWorkerCrashedError(e.message || 'script error');
    for (const reject of [...inFlight]) reject(err);
    for (const l of crashListeners) l(err);
    terminateDataWorker();
  });
  remote = Comlink.wrap<DataApi>(worker);
  return remote;
}

/** Subscribe to worker crashes; returns an unsubscribe function. */
export function onDataWorkerCrash(listener: (err: Error) => void): () => void {
  crashListeners.push(listener);
  return () => {
    crashListeners = crashListeners.filter((l) => l !== listener);
  };
}

/** Last resort: kill the worker (a cooperative stop goes through `cancel()`). */
export function terminateDataWorker(): void {
  if (remote) remote[Comlink.releaseProxy]();
  worker?.terminate();
  worker = null;
  remote = null;
}

/** Resolves with `promise`, or rejects after `ms` or when the worker crashes. `ms = 0`: no time limit. */
export function guarded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onCrash = (err: Error) => {
      clearTimeout(t);
      reject(err);
    };
    inFlight.add(onCrash);
    const t =
      ms > 0
        ? setTimeout(() => {
            inFlight.delete(onCrash);
            reject(
              new Error(
                `${what} did not answer within ${Math.round(ms / 1000)} s. Reload the page and try again.`,
              ),
            );
          }, ms)
        : undefined;
    promise.then(
      (v) => {
        clearTimeout(t);
        inFlight.delete(onCrash);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        inFlight.delete(onCrash);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
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
