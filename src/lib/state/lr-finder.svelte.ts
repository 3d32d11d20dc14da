// "Find a learning rate": asks the trainer worker for a learning-rate range test with the form's
// settings on the data at hand (on a trainer of its own: the run shown is untouched), keeps the curve
// to show, and puts the suggested rate into the learning-rate field. New data forgets the curve, and
// a test whose data changed while it ran is ignored. The divergence doctor's test comes with a
// diverged run's summary instead.
import { LR_RANGE, type LrRangeResult, type TrainConfig } from '../../../workers/core/types.ts';

/** What the finder needs from the training session. */
export interface LrFinderLink {
  /** The form's configuration, or null while a field is invalid. */
  config(): TrainConfig | null;
  /** Whether data is ready and no run (nor its preparation) is under way. */
  ready(): boolean;
  /** Whether a run is under way (running or paused). */
  running(): boolean;
  /** Runs the test in the trainer worker, reporting the mini-batches done and the rate reached. */
  run(config: TrainConfig, onProgress: (steps: number, lr: number) => void): Promise<LrRangeResult>;
  /** Puts the suggested rate into the form. */
  setRate(rate: number): void;
  /** Says why the test could not run (a worker's message or failure). */
  fail(e: unknown): void;
}

/** What the last test did: the rate set (and the one it replaced), or that none was found. */
export type LrFinderOutcome = { kind: 'set'; rate: number; was: number } | { kind: 'none' };

/** How far a test in flight has got. */
export interface LrFinderProgress {
  steps: number;
  /** The most mini-batches a test runs (it stops earlier once the loss climbs). */
  total: number;
  lr: number;
}

export class LrFinder {
  /** The last test's curve and suggestion (null before any, and once the data changed). */
  result = $state.raw<LrRangeResult | null>(null);
  /** What the last test did with the learning-rate field. */
  outcome = $state.raw<LrFinderOutcome | null>(null);
  /** A test is in flight. */
  busy = $state(false);
  /** How far the test in flight has got (null before its first report). */
  progress = $state.raw<LrFinderProgress | null>(null);
  readonly #link: LrFinderLink;
  /** Counts tests and data changes: an answer whose token is no longer current is stale. */
  #token = 0;

  constructor(link: LrFinderLink) {
    this.#link = link;
  }

  /** Whether "Find a learning rate" may be pressed: data ready, no run under way, a valid form. */
  get canFind(): boolean {
    return !this.busy && this.#link.ready() && this.#link.config() !== null;
  }

  /** Runs a test with the form's settings, then sets the form's learning rate to its suggestion.
   * Does nothing while a test or a run is under way, without data or with an invalid form. */
  async find(): Promise<void> {
    const config = this.#link.config();
    if (this.busy || !config || !this.#link.ready()) return;
    const token = ++this.#token;
    this.busy = true;
    this.progress = null;
    this.outcome = null;
    try {
      const r = await this.#link.run(config, (steps, lr) => {
        if (token === this.#token) this.progress = { steps, total: LR_RANGE.steps, lr };
      });
      // New data meanwhile: the curve says nothing about the data on screen now.
      if (token !== this.#token) return;
      this.result = r;
      // A run began meanwhile: the curve is shown, the form it trains with stays as it is.
      if (this.#link.running()) return;
      if (r.suggested === null) this.outcome = { kind: 'none' };
      else {
        this.outcome = { kind: 'set', rate: r.suggested, was: config.learningRate };
        this.#link.setRate(r.suggested);
      }
    } catch (e) {
      if (token === this.#token) this.#link.fail(e);
    } finally {
      if (token === this.#token) {
        this.busy = false;
        this.progress = null;
      }
    }
  }

  /** Forgets the curve (new data: it no longer applies); a test in flight is ignored. */
  clear(): void {
    this.#token++;
    this.result = null;
    this.outcome = null;
    this.busy = false;
    this.progress = null;
  }
}
