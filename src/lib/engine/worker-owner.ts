// One owner per worker. It starts the worker on first use, wraps the worker's one API object with
// Comlink, notices a crash (the worker's `error` event), and gives every call in flight a clear end:
// Comlink never rejects a call to a dead or silent worker by itself, so a crash, a time limit or a
// terminate() rejects the calls this owner guards, and crash listeners hear about it. After a crash or
// terminate() the next remote() starts a fresh worker.
//
//   const owner = new WorkerOwner<DataApi>({
//     spawn: () => new Worker(new URL('../../../workers/data.worker.ts', import.meta.url),
//                             { type: 'module', name: 'data' }),   // literal URL: Vite bundles it
//     crashed: (detail) => new Error(`The data worker stopped unexpectedly (${detail}).`),
//   });
//   const report = await owner.call(owner.remote().loadUrl(url, name), 60_000, 'Loading the sample');
//   owner.onCrash((err) => show(err.message));
import * as Comlink from 'comlink';
import { registerMessageErrors } from '../../../workers/messages/comlink.ts';

// A worker's MessageError keeps its message key and parameters when it crosses to the page.
registerMessageErrors();

export interface WorkerOwnerOptions {
  /** Starts the worker (called lazily, and again after a crash or terminate()). */
  spawn: () => Worker;
  /** The error for calls in flight and crash listeners, from the browser's detail of the crash. */
  crashed: (detail: string) => Error;
  /** Words added to the time-limit message, e.g. ' Reload the page and try again.' */
  timeoutHint?: string;
  /** Who answers, for the message of a call cut short by terminate(): 'The data worker'. */
  name?: string;
}

export class WorkerOwner<Api> {
  readonly #opts: WorkerOwnerOptions;
  #worker: Worker | null = null;
  #remote: Comlink.Remote<Api> | null = null;
  readonly #listeners = new Set<(err: Error) => void>();
  /** Rejecters of the guarded calls in flight. */
  readonly #inFlight = new Set<(err: Error) => void>();
  #spawned = 0;

  constructor(opts: WorkerOwnerOptions) {
    this.#opts = opts;
  }

  /** The worker's API, started on first use. */
  remote(): Comlink.Remote<Api> {
    if (this.#remote) return this.#remote;
    const worker = this.#opts.spawn();
    this.#spawned++;
    worker.addEventListener('error', (e) => {
      // Handled here (the page says what happened); not an uncaught error of the page.
      e.preventDefault();
      if (worker !== this.#worker) return;
      const err = this.#opts.crashed(e.message || 'script error');
      this.#end(err);
      for (const l of [...this.#listeners]) l(err);
    });
    this.#worker = worker;
    this.#remote = Comlink.wrap<Api>(worker);
    return this.#remote;
  }

  /** Whether a worker is running now. */
  get running(): boolean {
    return this.#worker !== null;
  }

  /** Workers started so far (a restart after a crash or terminate() counts again). */
  get spawned(): number {
    return this.#spawned;
  }

  /** Resolves with `promise`, or rejects when the worker crashes, is terminated, or after `ms`
   * (`ms = 0`: no time limit). A rejection always arrives as an Error. */
  call<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        clearTimeout(timer);
        this.#inFlight.delete(end);
      };
      const end = (err: Error) => {
        settle();
        reject(err);
      };
      this.#inFlight.add(end);
      if (ms > 0)
        timer = setTimeout(
          () =>
            end(
              new Error(
                `${what} did not answer within ${Math.round(ms / 1000)} s.${this.#opts.timeoutHint ?? ''}`,
              ),
            ),
          ms,
        );
      promise.then(
        (v) => {
          settle();
          resolve(v);
        },
        (e: unknown) => end(e instanceof Error ? e : new Error(String(e))),
      );
    });
  }

  /** Subscribes to crashes; returns an unsubscribe function. */
  onCrash(listener: (err: Error) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Last resort: stops the worker; the guarded calls in flight are rejected, and the next remote()
   * starts a new one; `reason` is what they reject with. (A cooperative stop goes through the
   * worker's own API.) */
  terminate(reason?: Error): void {
    this.#end(
      reason ?? new Error(`${this.#opts.name ?? 'The worker'} was stopped before it answered.`),
    );
  }

  #end(err: Error): void {
    const remote = this.#remote;
    const worker = this.#worker;
    this.#remote = null;
    this.#worker = null;
    if (remote) remote[Comlink.releaseProxy]();
    worker?.terminate();
    for (const reject of [...this.#inFlight]) reject(err);
  }
}
