// Reads a run's progress once per animation frame: from the shared control and history blocks
// (TrainerView) when the page is cross-origin isolated, else by asking the worker a few times a
// second. It tells the training session only when something moved, and sends a Step asked for from
// idle once the new run reports 'paused'.
import type { TrainerView } from '../engine/trainer-view.ts';
import type { EpochMetrics, TrainingState } from '../../../workers/core/types.ts';

export type StepKind = 'batch' | 'epoch';

/** What moved: the worker's state and counters, and the history rows the session did not have. */
export interface Progress {
  state: TrainingState;
  epoch: number;
  step: number;
  rows: readonly EpochMetrics[];
  /** The epoch of the best dev loss so far (0 before any). */
  bestEpoch: number;
  /** Threads the run trains on since its thread trial (0: none yet, or no shared memory). */
  threads: number;
}

/** Shortest gap between two reports while a run only moves on (30 a second): the live views stay
 *  fluid, and the page leaves the core it shares with the trainer's helpers alone half of the frames
 *  a 60 Hz screen has. A change of state is reported at once. */
export const REPORT_EVERY_MS = 1000 / 30;

/** No new rows (most frames): one shared empty list, no allocation per frame. */
const NO_ROWS: readonly EpochMetrics[] = Object.freeze([]);

export interface ProgressReaderOptions {
  /** Called once per frame in which something moved (and on every refresh(true)). */
  onProgress(p: Progress): void;
  /** History rows the session has already: new rows are read from there on. */
  rowsKnown(): number;
  /** After a frame: whether to read again next frame (a run goes, or a command is in flight). */
  keepGoing(): boolean;
  /** Without shared memory: the worker's plain copy of its progress. */
  poll(): Promise<{
    state: TrainingState;
    epoch: number;
    step: number;
    history: EpochMetrics[];
    bestEpoch?: number;
  }>;
  /** The run progress belongs to, or null once it must no longer be applied (the run ended). A poll
   * answer counts only when this is the same, and not null, as it arrives. */
  runToken(): number | null;
  /** Shortest gap between two polls, ms. */
  pollMs?: number;
  /** Shortest gap between two reports of a run that only moved on, ms (default REPORT_EVERY_MS). */
  reportEveryMs?: number;
  /** Clock in ms (default performance.now). */
  now?: () => number;
  /** Runs `fn` in a task of its own after the frame (default: a MessageChannel message). */
  afterFrame?: (fn: () => void) => void;
}

/** A task of its own for `fn`, as soon as the thread is free: the page's updates then run apart from
 *  the frame's style, layout and paint, and neither makes a long task with the other. */
function postTask(fn: () => void): void {
  if (typeof MessageChannel === 'undefined') return fn();
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queued.shift()?.();
  }
  queued.push(fn);
  channel.port2.postMessage(null);
}
let channel: MessageChannel | null = null;
const queued: Array<() => void> = [];

type Seen = { state: string; epoch: number; step: number; history: number; version: number };

export class ProgressReader {
  readonly #opts: ProgressReaderOptions;
  #view: TrainerView | null = null;
  #raf = 0;
  /** The read loop going (its number), or 0; #loops counts the loops started. */
  #loop = 0;
  #loops = 0;
  #seen: Seen = { state: '', epoch: -1, step: -1, history: -1, version: -1 };
  #pendingStep: StepKind | null = null;
  #pollBusy = false;
  #lastPoll = -Infinity;
  #lastReport = -Infinity;

  constructor(opts: ProgressReaderOptions) {
    this.#opts = opts;
  }

  /** The current run's view of shared memory (null before a run is prepared). */
  get view(): TrainerView | null {
    return this.#view;
  }

  /** Reads this run's view from now on (null: none); forgets what was seen and any pending step. */
  attach(view: TrainerView | null): void {
    this.#view = view;
    this.#pendingStep = null;
    this.#seen = { state: '', epoch: -1, step: -1, history: 0, version: -1 };
  }

  /** Sends one step of `kind` as soon as the run reports 'paused' (a Step pressed from idle). */
  stepWhenPaused(kind: StepKind): void {
    this.#pendingStep = kind;
  }

  /** Reads once per animation frame while keepGoing() holds: the frame only paces the reads, each
   *  read (and the page's updates it sets off) runs in a task of its own after the frame. */
  start(): void {
    if (this.#loop || typeof requestAnimationFrame === 'undefined') return;
    const loop = ++this.#loops;
    this.#loop = loop;
    const after = this.#opts.afterFrame ?? postTask;
    const read = () => {
      if (this.#loop !== loop) return;
      this.refresh(false);
      if (this.#opts.keepGoing()) this.#raf = requestAnimationFrame(tick);
      else this.#loop = 0;
    };
    const tick = () => {
      this.#raf = 0;
      after(read);
    };
    this.#raf = requestAnimationFrame(tick);
  }

  stop(): void {
    if (this.#raf && typeof cancelAnimationFrame !== 'undefined') cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#loop = 0;
  }

  /** One read of the control block, the history length and the weights version; reports when anything
   * moved (or always, with `force`). Without shared memory it polls the worker instead. */
  refresh(force: boolean): void {
    const v = this.#view;
    if (!v) return;
    if (!v.shared) {
      this.#poll();
      return;
    }
    const state = v.state;
    const epoch = v.epoch;
    const step = v.batchInEpoch;
    const n = v.historyLength;
    if (this.#pendingStep && state === 'paused') {
      v.step(this.#pendingStep);
      this.#pendingStep = null;
    }
    const version = v.paramsVersion;
    const seen = this.#seen;
    const changed = force || state !== seen.state;
    const moved =
      changed ||
      epoch !== seen.epoch ||
      step !== seen.step ||
      n !== seen.history ||
      version !== seen.version;
    if (!moved) return;
    const now = (this.#opts.now ?? (() => performance.now()))();
    if (!changed && now - this.#lastReport < (this.#opts.reportEveryMs ?? REPORT_EVERY_MS)) return;
    this.#lastReport = now;
    const known = this.#opts.rowsKnown();
    const rows = n > known ? v.history(known) : NO_ROWS;
    this.#seen = { state, epoch, step, history: n, version };
    this.#opts.onProgress({ state, epoch, step, rows, bestEpoch: v.bestEpoch, threads: v.threads });
  }

  /** Without shared memory: ask the worker for its progress, at most every pollMs. */
  #poll(): void {
    const now = performance.now();
    if (this.#pollBusy || now - this.#lastPoll < (this.#opts.pollMs ?? 250)) return;
    this.#pollBusy = true;
    this.#lastPoll = now;
    const token = this.#opts.runToken();
    void this.#opts
      .poll()
      .then((p) => {
        // An answer that arrives after the run ended (or after a new run began) is stale.
        const current = this.#opts.runToken();
        if (current === null || current !== token) return;
        const known = this.#opts.rowsKnown();
        const rows = p.history.length > known ? p.history.slice(known) : NO_ROWS;
        const { state, epoch, step } = p;
        const bestEpoch = p.bestEpoch ?? 0;
        this.#opts.onProgress({ state, epoch, step, rows, bestEpoch, threads: 0 });
      })
      .catch(() => undefined)
      .finally(() => (this.#pollBusy = false));
  }
}
