// Whether the run that trains is still being saved. A checkpoint that fails for lack of room stops
// the saving at once (no more writes are tried, one alert): the run is kept up to its last saved
// epoch, and the student chooses to keep training without saving or to stop. The run recorder
// (run-recorder.svelte.ts) asks it before each write and tells it what was saved.
import type { EpochMetrics } from '../../../workers/core/types.ts';

/** What the storage-full alert says: the run is kept up to `savedEpoch` (0: nothing of it). */
export interface StorageFull {
  runId: string | null;
  savedEpoch: number;
}

export type SavingMode = 'on' | 'held' | 'off';

export class RunSaving {
  /** The alert to show while the student has not chosen yet (null: none). */
  full = $state.raw<StorageFull | null>(null);
  /** 'on': checkpoints are written; 'held': a write failed for lack of room, waiting for a choice;
   *  'off': training goes on without saving. */
  mode = $state<SavingMode>('on');
  /** Checkpoints handed over and not written since the saving stopped. */
  unsaved = $state(0);
  /** The run's history as last saved (what the library keeps of it). */
  #savedHistory: EpochMetrics[] = [];
  #savedEpoch = 0;

  get saving(): boolean {
    return this.mode === 'on';
  }

  get savedEpoch(): number {
    return this.#savedEpoch;
  }

  get savedHistory(): EpochMetrics[] {
    return this.#savedHistory;
  }

  /** A new recording (a run, or a resumed run whose saved history is `base`). */
  reset(base: EpochMetrics[] = []): void {
    this.full = null;
    this.mode = 'on';
    this.unsaved = 0;
    this.#savedHistory = base;
    this.#savedEpoch = base.at(-1)?.epoch ?? 0;
  }

  /** A checkpoint was written. */
  saved(history: EpochMetrics[], epoch: number): void {
    this.#savedHistory = history;
    this.#savedEpoch = epoch;
  }

  /** A checkpoint was not written (saving stopped). */
  skipped(): void {
    this.unsaved++;
  }

  /** A write failed for lack of room: saving stops, and the alert says what is kept. */
  outOfRoom(runId: string | null): void {
    if (this.mode !== 'on') return;
    this.mode = 'held';
    this.full = { runId, savedEpoch: this.#savedEpoch };
  }

  /** "Keep training without saving": the alert goes, no more writes are tried for this run. */
  keepWithoutSaving(): void {
    this.mode = 'off';
    this.full = null;
  }

  /** "Save again" (after room was made): the next checkpoint is written again, whole (its history
   *  from the start), so nothing of the run is lost; a write that fails again alerts again. */
  resume(): void {
    if (this.mode !== 'off') return;
    this.mode = 'on';
    this.unsaved = 0;
  }
}
