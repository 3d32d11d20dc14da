// What the training area shows of a run: its state and counters, the curves, the last epoch's
// metrics and the result, with the moves between them. TrainingSession (training.svelte.ts) extends
// it with the commands that drive the trainer worker; the views only read these fields.
import type {
  Divergence,
  EpochMetrics,
  NetworkSpec,
  Task,
  TestMetrics,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { SessionViews, TrainSummary } from '../../../workers/trainer/types.ts';
import { Curves } from './curves.ts';
import type { Progress } from './progress-reader.ts';
import { t } from '../i18n/i18n.svelte.ts';

export class RunDisplay {
  readonly curves = new Curves();

  state = $state<TrainingState>('idle');
  epoch = $state(0);
  step = $state(0);
  /** The last finished epoch's metrics. */
  latest = $state.raw<EpochMetrics | null>(null);
  /** Increments once per animation frame in which the views were refreshed. */
  frame = $state(0);
  /** Changes only when the curves got new points (charts redraw on this, not on every frame). */
  curvesVersion = $state(0);
  summary = $state.raw<TrainSummary | null>(null);
  /** The epoch of the best dev loss so far (0 before any), which the curves mark. */
  bestEpoch = $state(0);
  /** Threads the run trains on since its thread trial (0: none yet; workers/trainer/thread-trial.ts). */
  threads = $state(0);
  /** The epoch whose weights the ended run holds (the best one with early stopping on). */
  keptEpoch = $state<number | null>(null);
  test = $state.raw<TestMetrics | null>(null);
  divergence = $state.raw<Divergence | null>(null);
  spec = $state.raw<NetworkSpec | null>(null);
  /** The configuration of the current run (null before the first). */
  runConfig = $state.raw<TrainConfig | null>(null);
  /** Name of the matrix kernel in use, and whether progress comes through shared memory. */
  kernel = $state('');
  shared = $state(true);
  /** View refreshes since the page opened (not reactive: read by tests and the smoothness check). */
  viewUpdates = 0;

  /** What an ended run kept, when early stopping chose its weights: the sentence the readout shows
   *  (stopped early, or ran to its last epoch but keeps a better one), else null. */
  get keptText(): string | null {
    const s = this.summary;
    if (!s || s.state !== 'done' || !(this.runConfig?.patience ?? 0)) return null;
    const kept = s.keptEpoch;
    if (s.stoppedEarly)
      return t('train.early.stopped', {
        epochs: s.epochs,
        patience: this.runConfig?.patience ?? 0,
        kept,
      });
    return kept > 0 && kept < s.epochs ? t('train.early.kept', { kept }) : null;
  }

  /** A run is under way: running, or paused between batches. */
  get active(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  /** Forgets the run shown (new data): idle, no counters, no result, empty curves for `task`. */
  protected clearRun(task: Task): void {
    this.spec = null;
    this.state = 'idle';
    this.epoch = 0;
    this.step = 0;
    this.latest = null;
    this.test = null;
    this.summary = null;
    this.divergence = null;
    this.bestEpoch = 0;
    this.keptEpoch = null;
    this.curves.clear(task);
    this.#redraw();
  }

  /** A run was prepared: its network, configuration and kernel; counters and curves start afresh. */
  protected showPrepared(views: SessionViews, cfg: TrainConfig): void {
    this.spec = views.spec;
    this.runConfig = cfg;
    this.kernel = views.kernel;
    this.shared = views.shared;
    this.curves.clear(views.task);
    this.epoch = 0;
    this.step = 0;
    this.latest = null;
    this.bestEpoch = 0;
    this.threads = 0;
    this.keptEpoch = null;
  }

  /** A resumed run's saved epochs, shown before its new ones: the curves, the last epoch's tiles and
   *  the epoch counter go on from where the run was (epochs done at the checkpoint). */
  protected showSaved(history: EpochMetrics[], startEpoch: number): void {
    if (!history.length && !startEpoch) return;
    this.curves.append(history);
    this.latest = history.at(-1) ?? this.latest;
    this.epoch = startEpoch;
    this.#redraw();
  }

  /** What the progress reader saw: new history rows, the worker's state (an ended run is reported
   * by its summary instead) and counters. */
  protected showProgress(p: Progress): void {
    if (p.rows.length) {
      this.curves.append(p.rows);
      this.latest = p.rows.at(-1) ?? this.latest;
    }
    if (p.state === 'running' || p.state === 'paused') this.state = p.state;
    this.epoch = p.epoch;
    this.step = p.step;
    if (p.bestEpoch > 0) this.bestEpoch = p.bestEpoch;
    if (p.threads > 0) this.threads = p.threads;
    this.#redraw();
    this.viewUpdates++;
  }

  /** A run's end. The summary is the last word: a progress poll still in flight must not roll these
   * back. */
  protected showEnd(summary: TrainSummary): void {
    this.summary = summary;
    this.divergence = summary.divergence;
    this.state = summary.state;
    this.epoch = summary.epochs;
    this.keptEpoch = summary.keptEpoch;
    // With early stopping on, the kept epoch is the best one (also when progress came by polling).
    if ((this.runConfig?.patience ?? 0) > 0 && summary.state === 'done')
      this.bestEpoch = summary.keptEpoch;
    if (summary.final) this.latest = summary.final;
    this.test = summary.test;
    this.#redraw();
  }

  /** A run that a closed tab cut short, with the history it saved. */
  protected showInterrupted(history: EpochMetrics[], task: Task): void {
    this.curves.clear(task);
    this.curves.append(history);
    this.latest = history.at(-1) ?? null;
    this.epoch = this.latest?.epoch ?? 0;
    this.state = 'interrupted';
    this.#redraw();
  }

  #redraw(): void {
    this.frame++;
    this.curvesVersion = this.curves.version;
  }
}
