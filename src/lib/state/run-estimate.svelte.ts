// What the run the form describes will cost, shown beside Train before it starts: the arena's memory
// (from the plan the trainer makes), the time per epoch (a short probe in the trainer worker) and the
// whole run's, against the device's memory budget. Asked again, debounced, whenever the network,
// the settings or the data change; not while a run is under way (the worker is busy training and
// the estimate shown is the run's own). An answer overtaken by a newer question is dropped.
import { trainer, withTimeout } from '../engine/bridge.ts';
import { COMMAND_MS, deviceBudget } from '../engine/trainer-client.ts';
import type { TrainConfig } from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { DataShape, RunEstimate } from '../../../workers/trainer/types.ts';
import { errorText, i18n } from '../i18n/i18n.svelte.ts';

/** How long the form must rest before an estimate is asked for (ms). */
export const ESTIMATE_DEBOUNCE_MS = 300;

export interface EstimateLink {
  /** Asks the trainer worker for an estimate. */
  request(shape: DataShape, config: TrainConfig, budgetBytes: number): Promise<RunEstimate>;
  /** The device's memory budget, bytes. */
  budget(): number;
  delayMs?: number;
}

const bridgeLink: EstimateLink = {
  request: (shape, config, budgetBytes) =>
    withTimeout(trainer().estimate(shape, config, budgetBytes), COMMAND_MS, 'The training worker'),
  budget: deviceBudget,
};

/** The shapes an estimate needs of a dataset. */
export function shapeOf(ds: PreparedDataset): DataShape {
  return {
    task: ds.task,
    inputs: ds.featureNames.length,
    outputs: ds.train.m > 0 ? ds.train.y.length / ds.train.m : 0,
    m: { train: ds.train.m, dev: ds.dev.m, test: ds.test.m },
  };
}

/** A duration as people read it, in the locale's way: "850 ms", "4.2 s", "12 min", "1.5 h". */
export function duration(ms: number): string {
  const unit = (v: number, u: string, digits: number) =>
    i18n.number(v, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: digits });
  if (ms < 1000) return unit(Math.max(1, Math.round(ms)), 'millisecond', 0);
  const s = ms / 1000;
  if (s < 90) return unit(s, 'second', s < 10 ? 1 : 0);
  const min = s / 60;
  if (min < 90) return unit(min, 'minute', min < 10 ? 1 : 0);
  return unit(min / 60, 'hour', 1);
}

export class RunEstimateState {
  /** The last answer for the form and data as they are (null: none yet, or they changed). */
  estimate = $state.raw<RunEstimate | null>(null);
  /** A question is waiting for the form to rest, or in flight. */
  pending = $state(false);
  /** Why the last question got no answer (the worker's message). */
  error = $state<string | null>(null);
  readonly #link: EstimateLink;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #token = 0;
  #asked: string | null = null;

  constructor(link: EstimateLink = bridgeLink) {
    this.#link = link;
  }

  /** Whether the estimate says the run does not fit the device's memory. */
  get overBudget(): boolean {
    return this.estimate !== null && !this.estimate.fits;
  }

  /** The form or the data changed: ask again once they rest (nothing while `busy`: a run is under
   *  way). The same question as the last one is not asked again. */
  update(ds: PreparedDataset | null, config: TrainConfig | null, busy: boolean): void {
    if (busy) return;
    const key = ds && config ? JSON.stringify([shapeOf(ds), config]) : null;
    if (key === this.#asked) return;
    this.#asked = key;
    this.cancel();
    const token = ++this.#token;
    this.estimate = null;
    this.error = null;
    if (!ds || !config) {
      this.pending = false;
      return;
    }
    this.pending = true;
    const shape = shapeOf(ds);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#link.request(shape, config, this.#link.budget()).then(
        (e) => {
          if (token !== this.#token) return;
          this.estimate = e;
          this.pending = false;
        },
        (err: unknown) => {
          if (token !== this.#token) return;
          this.error = errorText(err);
          this.pending = false;
          // The same settings may be asked again (e.g. once the worker is free).
          this.#asked = null;
        },
      );
    }, this.#link.delayMs ?? ESTIMATE_DEBOUNCE_MS);
  }

  /** Drops the question waiting to be asked (and any answer on its way). */
  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#token++;
    this.pending = false;
  }
}
