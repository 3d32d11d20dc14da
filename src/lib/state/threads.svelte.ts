// The kernel threads the trainer uses, as the header shows them: the worker's measured choice
// (ThreadChoice: cores, the calibration's speeds, the choice, the cap) and the user's cap, kept in
// localStorage and applied to the worker at start-up and on every change.
import type { ThreadChoice } from '../../../workers/trainer/types.ts';
import { capThreads, threadChoice } from '../engine/bridge.ts';
import { whenIdle } from './idle.ts';

export const THREAD_CAP_KEY = 'backprop-lab:kernel-threads';

/** What the status needs of the trainer (the bridge's functions; replaceable in tests). */
export interface ThreadApi {
  threads(): Promise<ThreadChoice>;
  setCap(cap: number | null): Promise<ThreadChoice>;
}

/** A stored cap: a whole number of threads >= 1, else automatic (null). */
export function parseCap(raw: string | null | undefined): number | null {
  if (!raw || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

/** The caps the setting offers: 1 .. the most threads the device allows (at least 1). */
export function capOptions(max: number): number[] {
  return Array.from({ length: Math.max(1, Math.floor(max) || 1) }, (_, i) => i + 1);
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export class ThreadStatus {
  /** The worker's answer (null until the first one). */
  choice = $state<ThreadChoice | null>(null);
  /** The user's cap (null: automatic). */
  cap = $state<number | null>(null);
  /** The worker could not answer (no isolation, a crash): the status says nothing about threads. */
  failed = $state(false);
  #api: ThreadApi;
  #idle: () => Promise<void>;
  #seq = 0;

  constructor(
    api: ThreadApi = { threads: threadChoice, setCap: capThreads },
    // The page's start-up settles first: the calibration should time the device, not the boot.
    idle: () => Promise<void> = whenIdle,
  ) {
    this.#api = api;
    this.#idle = idle;
  }

  /** Threads training uses now, as the header shows them: the current run's `run` (after its thread
   *  trial; 0: none yet), else the last trial's, else the measured choice; null before an answer. */
  inUse(run = 0): number | null {
    const c = this.choice;
    if (!c) return null;
    return run || c.trial?.threads || c.threads;
  }

  /** Reads the stored cap, hands it to the worker and shows the (calibrated) choice. */
  async start(): Promise<void> {
    this.cap = parseCap(storage()?.getItem(THREAD_CAP_KEY));
    await this.#idle();
    await this.#ask((api) => (this.cap === null ? api.threads() : api.setCap(this.cap)));
  }

  /** Asks again (e.g. when About opens, to show the last run's helpers). */
  refresh(): Promise<void> {
    return this.#ask((api) => api.threads());
  }

  /** The user's cap (null: automatic): remembered, and applied from the next run. */
  async setCap(cap: number | null): Promise<void> {
    this.cap = cap;
    const s = storage();
    try {
      if (cap === null) s?.removeItem(THREAD_CAP_KEY);
      else s?.setItem(THREAD_CAP_KEY, String(cap));
    } catch {
      // A full or blocked storage only forgets the cap after a reload.
    }
    await this.#ask((api) => api.setCap(cap));
  }

  /** Only the latest question's answer counts (a cap chosen while an older answer is on its way). */
  async #ask(call: (api: ThreadApi) => Promise<ThreadChoice>): Promise<void> {
    const seq = ++this.#seq;
    try {
      const choice = await call(this.#api);
      if (seq !== this.#seq) return;
      this.choice = choice;
      this.failed = false;
    } catch {
      if (seq === this.#seq) this.failed = true;
    }
  }
}
