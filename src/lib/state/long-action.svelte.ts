// An action that may take a while (building a zip of results, packing a lesson link): after a
// second it shows what it does, how far it is and a Cancel button; Cancel aborts its signal, and the
// action stops at its next step.

/** An action shorter than this shows no progress (it would only flicker). */
export const SHOW_AFTER_MS = 1000;

export interface ActionStep {
  /** Marks `n` more steps done (1 by default). */
  (n?: number): void;
}

export class LongAction<L extends string = string> {
  /** What runs (a catalogue key), or null when idle. */
  label = $state<L | null>(null);
  /** True once the action has run for a second. */
  visible = $state(false);
  done = $state(0);
  total = $state(0);

  #abort: AbortController | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  get running(): boolean {
    return this.label !== null;
  }

  /** Runs `work` with `total` steps; resolves to its result, or null when it was cancelled (or
   * another action of this one replaced it). Errors other than the cancel propagate. */
  async run<T>(
    label: L,
    total: number,
    work: (step: ActionStep, signal: AbortSignal) => Promise<T>,
    showAfterMs = SHOW_AFTER_MS,
  ): Promise<T | null> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    this.label = label;
    this.done = 0;
    this.total = total;
    this.visible = false;
    this.#timer = setTimeout(() => {
      if (this.#abort === abort) this.visible = true;
    }, showAfterMs);
    const step: ActionStep = (n = 1) => {
      if (this.#abort === abort) this.done = Math.min(this.total, this.done + n);
    };
    try {
      const out = await work(step, abort.signal);
      return abort.signal.aborted ? null : out;
    } catch (e) {
      if (abort.signal.aborted) return null;
      throw e;
    } finally {
      if (this.#abort === abort) this.#finish();
    }
  }

  cancel(): void {
    this.#abort?.abort();
    this.#finish();
  }

  #finish(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort = null;
    this.label = null;
    this.visible = false;
  }
}

/** Throws the signal's reason when it was aborted (call it between the steps of a long action). */
export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new DOMException('Cancelled', 'AbortError');
}
