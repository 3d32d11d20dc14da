// The training session on the page: owns the config form, drives the trainer worker through the
// bridge (commands only), and shows the progress that its ProgressReader reads from shared memory
// once per animation frame. Everything the training area shows comes from here.
import { onWorkerCrash, type Trainer } from '../engine/bridge.ts';
import { TrainerClient, whileCurrent, type CheckpointWriting } from '../engine/trainer-client.ts';
import { TrainerView, type LiveLayer } from '../engine/trainer-view.ts';
import type {
  EpochMetrics,
  Task,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { ConfigForm } from './config-form.svelte.ts';
import { ProgressReader, type StepKind } from './progress-reader.ts';
import { RunDisplay } from './run-display.svelte.ts';
import type {
  PrepareOptions,
  SessionViews,
  TrainSummary,
  TrainerSnapshot,
} from '../../../workers/trainer/types.ts';
import type { ResumeFrom } from './run-recorder.svelte.ts';
import { errorText, t } from '../i18n/i18n.svelte.ts';
import { LrFinder } from './lr-finder.svelte.ts';

export type { SessionViews, TrainSummary, TrainerSnapshot, StepKind };
/** What a checkpoint listener receives (a TrainerSnapshot satisfies it). */
export type CheckpointSnapshot = Pick<
  TrainerSnapshot,
  'network' | 'config' | 'history' | 'state' | 'epoch' | 'savedAt'
> &
  Partial<Pick<TrainerSnapshot, 'elapsedMs' | 'resume'>>;
/** What a run-end listener receives (a TrainSummary satisfies it). */
export type RunEnd = Pick<TrainSummary, 'state' | 'final' | 'test' | 'divergence' | 'elapsedMs'>;

const TERMINAL: readonly TrainingState[] = ['done', 'stopped', 'diverged', 'interrupted'];

export interface TrainingSessionOptions {
  /** The prepared data to train on (the data area's), or null while none is ready. */
  dataset: () => PreparedDataset | null;
  /** The trainer remote; the bridge's by default (tests may pass another). */
  remote?: () => Trainer;
}

export class TrainingSession extends RunDisplay {
  readonly form = new ConfigForm();
  /** "Find a learning rate": a range test with the form's settings (lr-finder.svelte.ts). */
  readonly finder: LrFinder;

  /** A failure, in words a student understands (shown in role="alert"). */
  error = $state<string | null>(null);
  /** Something to know that is not a failure (e.g. a damaged share link). */
  notice = $state<string | null>(null);
  stepKind = $state<StepKind>('epoch');
  /** The two input features the boundary and the neuron heatmaps are drawn over. */
  fx = $state(0);
  fy = $state(1);
  /** A command (load, prepare, reset) is in flight. */
  busy = $state(false);
  /** Called with a plain snapshot at most every 2 s while a run goes, and at its end. */
  onCheckpoint: ((s: CheckpointSnapshot) => void) | null = null;
  /** The lab's database when the worker writes checkpoints into it itself (the page then hears only
   *  notices, not the parameters): null, or none, sends them whole to onCheckpoint. */
  checkpointWriting: (() => CheckpointWriting | null) | null = null;
  /** Called when a run ends, with its summary and configuration. */
  /** Hears a run's end; the run is shown as ended once the promise it returns settles (its record
   * is saved), so "Finished" never shows a run that a closed tab could still lose. */
  onRunEnd: ((summary: RunEnd, config: TrainConfig) => Promise<void> | void) | null = null;
  /** Hears that a run ended without a summary (its worker crashed: the crash rejects the run's call):
   * the run's record must be ended now. */
  onRunLost: (() => void) | null = null;

  #opts: TrainingSessionOptions;
  readonly #worker: TrainerClient;
  #override: PreparedDataset | null = $state.raw(null);
  #layers: LiveLayer[] | null = null;
  #run = 0;
  /** Rows of a resumed run's saved history shown before this run's own rows. */
  #savedRows = 0;
  /** Whether data has arrived since the page opened. */
  #hadData = false;
  readonly #reader = new ProgressReader({
    onProgress: (p) => this.showProgress(p),
    // The worker's history block holds this run's rows only; a resumed run's saved rows come first.
    rowsKnown: () => this.curves.length - this.#savedRows,
    keepGoing: () =>
      this.active || (this.busy && (!TERMINAL.includes(this.state) || this.summary === null)),
    poll: () => this.#worker.poll(),
    runToken: () => (this.summary === null ? this.#run : null),
  });

  constructor(opts: TrainingSessionOptions) {
    super();
    this.#opts = opts;
    this.#worker = new TrainerClient(opts.remote);
    this.finder = new LrFinder({
      config: () => this.form.config,
      ready: () => this.dataset !== null && !this.active && !this.busy,
      running: () => this.active,
      run: async (cfg, onProgress) => {
        const ds = this.dataset;
        if (!ds) throw new Error(t('train.noData'));
        return this.#worker.findLearningRate(ds, cfg, onProgress);
      },
      setRate: (rate) => this.form.set('learningRate', String(rate)),
      fail: (e) => this.#fail(errorText(e)),
    });
    onWorkerCrash((err) => {
      this.#reader.stop();
      this.#reader.attach(null);
      this.#layers = null;
      this.#worker.forget();
      this.state = 'interrupted';
      this.busy = false;
      this.error = errorText(err);
    });
  }

  // ------------------------------------------------------------------ data and configuration

  /** The data training uses: a dataset set with useDataset(), else the data area's. */
  get dataset(): PreparedDataset | null {
    return this.#override ?? this.#opts.dataset();
  }

  /** Trains on this dataset instead of the data area's (lesson packs, replays, tests); null to go back. */
  useDataset(ds: PreparedDataset | null): void {
    this.#override = ds;
    this.datasetChanged();
  }

  get classes(): number {
    const ds = this.dataset;
    if (!ds) return 0;
    return ds.task === 'regression' ? 0 : Math.max(2, ds.classLabels.length);
  }

  /** New data: stop what runs on the old data, forget its views, and suggest settings unless the user chose some. */
  datasetChanged(): void {
    const ds = this.dataset;
    // The page's first data is the one restored from the last visit: an interrupted run that the
    // library showed before it arrived stays on screen.
    const keep = !this.#hadData && this.state === 'interrupted';
    this.#hadData ||= ds !== null;
    if (this.active) this.view?.stop();
    this.#reader.stop();
    this.#reader.attach(null);
    this.#layers = null;
    this.finder.clear();
    if (!keep) this.clearRun(ds?.task ?? 'binary');
    if (!ds) return;
    // The 2-D views open on the data's most telling pair of inputs.
    const n = ds.featureNames.length;
    [this.fx, this.fy] = ds.axes ?? [0, Math.min(1, n - 1)];
    this.form.suggest({ task: ds.task, inputs: ds.featureNames.length, examples: ds.train.m });
    this.#worker.preload(ds);
  }

  /** Reads a configuration from a URL hash; returns whether the hash held one. */
  loadFromHash(hash: string): boolean {
    const read = this.form.loadHash(hash);
    if (read) this.notice = read.message;
    return read !== null;
  }

  /** The URL hash for the current (valid) configuration, or null while a field is invalid. */
  get hash(): string | null {
    return this.form.hash;
  }

  /** Whether the address bar should carry the configuration: once the user chose settings, came with
   * a link, or trained (until then a reload keeps suggesting settings for the data at hand). */
  get shareable(): boolean {
    return this.form.touched || this.form.fromLink || this.runConfig !== null;
  }

  // ------------------------------------------------------------------ commands

  get canTrain(): boolean {
    return (
      !this.busy &&
      this.state !== 'running' &&
      this.state !== 'paused' &&
      !this.finder.busy &&
      this.form.valid &&
      this.dataset !== null
    );
  }

  /** Starts a fresh run with the form's configuration. */
  async train(): Promise<void> {
    await this.#begin(false);
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.#control('pause');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.#control('resume');
  }

  /** Space bar: pause a running session, resume a paused one. */
  togglePause(): void {
    if (this.state === 'running') this.pause();
    else if (this.state === 'paused') this.resume();
  }

  stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.#control('stop');
  }

  /** One batch or one epoch (stepKind). From idle it prepares a run that waits paused, then steps. */
  async stepOnce(): Promise<void> {
    if (this.state === 'paused') {
      this.#control('step');
      return;
    }
    if (this.state === 'running' || this.busy) return;
    await this.#begin(true);
  }

  /** Re-initializes the parameters from the seed; curves cleared, state idle. */
  async reset(): Promise<void> {
    try {
      if (!(await this.#prepare(false))) return;
      this.state = 'idle';
      this.#reader.refresh(true);
    } finally {
      this.busy = false;
    }
  }

  /** The divergence doctor's one-click fix: apply the suggested setting and train again. */
  async applyFix(): Promise<void> {
    const d = this.divergence;
    if (!d) return;
    if (d.fix.learningRate !== undefined) this.form.set('learningRate', String(d.fix.learningRate));
    if (d.fix.lambda !== undefined) this.form.set('lambda', String(d.fix.lambda));
    await this.train();
  }

  /** Continues from a saved network (e.g. an interrupted run's checkpoint) with its configuration. */
  async resumeFrom(from: ResumeFrom): Promise<void> {
    this.form.load(from.config);
    const history = from.history ?? [];
    await this.#begin(
      false,
      {
        params: from.network,
        startEpoch: from.startEpoch ?? history.at(-1)?.epoch ?? 0,
        resume: from.resume ?? null,
      },
      history,
    );
  }

  /** Marks the session as interrupted (a run that a closed tab cut short, shown from the library). */
  markInterrupted(history: EpochMetrics[] = [], task: Task | null = null): void {
    this.#reader.stop();
    this.showInterrupted(history, task ?? this.dataset?.task ?? this.curves.task);
  }

  /** The network's output A[L] (n_y x m) for inputs x (n_x x m) already through the recipe. */
  predict(x: Float32Array, m: number): Promise<Float32Array> {
    return this.#worker.predict(x, m);
  }

  /** A plain copy of the current network and history (for saving and export). */
  snapshot(): Promise<TrainerSnapshot> {
    return this.#worker.snapshot();
  }

  // ------------------------------------------------------------------ live reading

  /** Live parameter views W[l], b[l] with their activations (null before a run is prepared). */
  get layers(): LiveLayer[] | null {
    return this.#layers;
  }

  /** The current run's reader of shared memory (null before a run is prepared). */
  get view(): TrainerView | null {
    return this.#reader.view;
  }

  // ------------------------------------------------------------------ internals

  #fail(msg: string): void {
    this.error = msg;
  }

  async #begin(
    paused: boolean,
    from?: PrepareOptions,
    history: EpochMetrics[] = [],
  ): Promise<void> {
    if (this.busy || this.active) return;
    const run = await this.#prepare(true, from);
    if (!run) return;
    const { runId, view, cfg } = run;
    this.showSaved(history, from?.startEpoch ?? 0);
    this.#savedRows = history.length;
    if (paused) {
      view.pause();
      this.#reader.stepWhenPaused(this.stepKind);
    }
    // Checkpoints: the worker decides when (every 2 s of training, at a pause, at the end before the
    // summary) and hands each one to this listener.
    const writing = this.checkpointWriting?.();
    const done = this.#worker.start(
      (s) => void (runId === this.#run && this.onCheckpoint?.(s)),
      writing ? whileCurrent(writing, () => runId === this.#run) : undefined,
    );
    this.state = paused ? 'paused' : 'running';
    this.busy = false;
    this.#reader.start();
    let summary: TrainSummary;
    try {
      summary = await done;
    } catch (e) {
      if (runId === this.#run) {
        this.#reader.stop();
        this.state = 'interrupted';
        this.#fail(errorText(e));
        this.onRunLost?.();
      }
      return;
    }
    if (runId !== this.#run) return;
    await this.#finish(summary, cfg);
  }

  /** Plans a run with the form's configuration in the worker and attaches its views (`fresh`: a new
   * run, so the last one's result goes). Null, with `error` set, when settings or data are missing or
   * the worker failed; null too when a newer run began meanwhile. Leaves `busy` on when it succeeds. */
  async #prepare(
    fresh: boolean,
    from?: PrepareOptions,
  ): Promise<{ runId: number; view: TrainerView; cfg: TrainConfig } | null> {
    const cfg = this.form.config;
    const ds = this.dataset;
    if (!cfg || !ds) {
      this.#fail(cfg ? t('train.noData') : (this.form.problem ?? ''));
      return null;
    }
    const runId = ++this.#run;
    if (fresh) {
      this.error = null;
      this.test = null;
      this.summary = null;
      this.divergence = null;
    } else if (this.active) this.view?.stop();
    this.busy = true;
    try {
      const views = await this.#worker.prepare(ds, cfg, from);
      return runId === this.#run ? { runId, cfg, view: this.#attach(views, cfg) } : null;
    } catch (e) {
      this.busy = false;
      this.#fail(errorText(e));
      return null;
    }
  }

  #attach(views: SessionViews, cfg: TrainConfig): TrainerView {
    const view = new TrainerView(views);
    this.#savedRows = 0;
    this.#reader.attach(view);
    this.showPrepared(views, cfg);
    const acts = [...views.spec.hidden.map((h) => h.activation), views.spec.output];
    this.#layers = acts.map((activation, i) => {
      const p = view.params(i + 1);
      return { W: p.W, b: p.b, rows: p.rows, cols: p.cols, activation };
    });
    return view;
  }

  async #finish(summary: TrainSummary, cfg: TrainConfig): Promise<void> {
    this.#reader.refresh(true);
    this.#reader.stop();
    try {
      await this.onRunEnd?.(summary, cfg);
    } catch {
      // a listener's failure must not break the training area
    }
    this.showEnd(summary);
  }

  #control(cmd: 'pause' | 'resume' | 'step' | 'stop'): void {
    const v = this.view;
    if (!v) return;
    if (cmd === 'step') v.step(this.stepKind);
    else v[cmd]();
    if (!this.shared) this.#worker.command(cmd, this.stepKind);
    // The control block answers within a batch; show the intent at once.
    if (cmd === 'pause') this.state = 'paused';
    if (cmd === 'resume') this.state = 'running';
    this.#reader.start();
  }
}
