// When a run hands the page a checkpoint (the trainer worker is the one owner of that decision):
// every `everyMs` of training (2 s by default, never more often), when the run pauses with something
// new since the last one, and once at its end (done, stopped, diverged). Never while paused with
// nothing new. The checkpoint itself is a plain snapshot taken between two batches.
import { CHECKPOINT_EVERY_MS } from '../core/types.ts';
import type { TrainerSnapshot } from './types.ts';

/** A checkpoint that took `ms` to make waits at least COST_FACTOR * ms of training for the next: a
 *  big network's snapshot (tens of MB, and the page's saving of it) stays a small share of the run. */
export const COST_FACTOR = 50;

/** How long the end of a run waits for the page to take its last checkpoint. */
const LAST_CHECKPOINT_WAIT_MS = 10_000;

export type CheckpointListener = (s: TrainerSnapshot) => void | Promise<void>;

export class CheckpointClock {
  readonly everyMs: number;
  private readonly listener: CheckpointListener | undefined;
  private readonly take: () => TrainerSnapshot;
  /** Training time since the last checkpoint, ms (pauses excluded). */
  private trainedMs = 0;
  /** The run's step count at the last checkpoint. */
  private steps = 0;
  /** What the last checkpoint took to make, ms. */
  private takeMs = 0;
  private readonly now: () => number;

  /** `take` makes the snapshot; `steps` is the run's step count when the clock starts. */
  constructor(
    listener: CheckpointListener | undefined,
    take: () => TrainerSnapshot,
    everyMs = CHECKPOINT_EVERY_MS,
    steps = 0,
    now: () => number = () => performance.now(),
  ) {
    this.now = now;
    this.listener = listener;
    this.take = take;
    this.everyMs = Math.max(CHECKPOINT_EVERY_MS, everyMs);
    this.steps = steps;
  }

  /** After `ms` of training that reached `steps`: a checkpoint once everyMs of training has passed. */
  trained(ms: number, steps: number): void {
    this.trainedMs += ms;
    if (this.trainedMs >= this.intervalMs) this.send(steps);
  }

  /** Training time between two checkpoints now: everyMs, or longer when they are costly to make. */
  get intervalMs(): number {
    return Math.max(this.everyMs, COST_FACTOR * this.takeMs);
  }

  /** The run paused at `steps`: a checkpoint when it trained since the last one. */
  paused(steps: number): void {
    if (steps !== this.steps) this.send(steps);
  }

  /** The run ended: the last checkpoint, which the page has taken when this resolves (so it comes
   *  before the run's summary), or after a time limit if the page does not answer. */
  async ended(steps: number): Promise<void> {
    const r = this.send(steps);
    if (!r) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, LAST_CHECKPOINT_WAIT_MS);
    });
    await Promise.race([r, limit]);
    clearTimeout(timer);
  }

  private send(steps: number): Promise<void> | null {
    this.trainedMs = 0;
    this.steps = steps;
    if (!this.listener) return null;
    try {
      const t0 = this.now();
      const snapshot = this.take();
      this.takeMs = this.now() - t0;
      const r = this.listener(snapshot);
      // a failing checkpoint writer must not stop training
      return r && typeof r.then === 'function' ? Promise.resolve(r).catch(() => undefined) : null;
    } catch {
      return null;
    }
  }
}
