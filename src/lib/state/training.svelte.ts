// The training session on the page: owns the config form, drives the trainer worker through the
// bridge (commands only), and reads progress and live weights from shared memory once per animation
// frame. Everything the training area shows comes from here.
import { onWorkerCrash, trainer, withTimeout, type Trainer } from '../engine/bridge.ts';
import { TrainerView } from '../../../workers/trainer/control.ts';
import type {
  Divergence,
  EpochMetrics,
  NetworkSpec,
  TestMetrics,
  TrainConfig,
  TrainingState,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { ConfigForm } from './config-form.svelte.ts';
import { decodeConfig, encodeConfig, suggestConfig, FIELDS, type NumericField } from './config.ts';
import { Curves } from '../components/train/curves.ts';
import type { PageLayer } from '../../../workers/view/types.ts';

import type {
  SessionViews,
  TrainSummary,
  TrainerSnapshot,
} from '../../../workers/trainer/types.ts';

export type { SessionViews, TrainSummary, TrainerSnapshot };
export type StepKind = 'batch' | 'epoch';
/** What a checkpoint listener receives (a TrainerSnapshot satisfies it). */
export type CheckpointSnapshot = Pick<
  TrainerSnapshot,
  'network' | 'config' | 'history' | 'state' | 'epoch' | 'savedAt'
>;
/** What a run-end listener receives (a TrainSummary satisfies it). */
export interface RunEnd {
  state: TrainSummary['state'];
  final: EpochMetrics | null;
  test: TestMetrics | null;
  divergence: Divergence | null;
  elapsedMs: number;
}

const TERMINAL: readonly TrainingState[] = ['done', 'stopped', 'diverged', 'interrupted'];
/** Time allowed for a command that is not a whole run (load, prepare, predict, reset). */
const COMMAND_MS = 60_000;
/** How often a running session hands a snapshot to the checkpoint listener. */
const CHECKPOINT_MS = 2000;

export interface TrainingSessionOptions {
  /** The prepared data to train on (the data area's), or null while none is ready. */
  dataset: () => PreparedDataset | null;
  /** The trainer remote; the bridge's by default (tests may pass another). */
  remote?: () => Trainer;
}

export class TrainingSession {
  readonly form = new ConfigForm();
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
  test = $state.raw<TestMetrics | null>(null);
  divergence = $state.raw<Divergence | null>(null);
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
  spec = $state.raw<NetworkSpec | null>(null);
  /** The configuration of the current run (null before the first). */
  runConfig = $state.raw<TrainConfig | null>(null);
  /** Name of the matrix kernel in use, and whether progress comes through shared memory. */
  kernel = $state('');
  shared = $state(true);
  /** Called with a plain snapshot at most every 2 s while a run goes, and at its end. */
  onCheckpoint: ((s: CheckpointSnapshot) => void) | null = null;
  /** Called when a run ends, with its summary and configuration. */
  onRunEnd: ((summary: RunEnd, config: TrainConfig) => void) | null = null;
  /** View refreshes since the page opened (not reactive: read by tests and the smoothness check). */
  viewUpdates = 0;

  #opts: TrainingSessionOptions;
  #override: PreparedDataset | null = $state.raw(null);
  #loaded: PreparedDataset | null = null;
  #view: TrainerView | null = null;
  #layers: PageLayer[] | null = null;
  #raf = 0;
  #lastSeen = { state: '' as string, epoch: -1, step: -1, history: -1, version: -1 };
  #pollBusy = false;
  #lastPoll = 0;
  #run = 0;
  #fromLink = $state(false);
  /** A step asked for from idle: sent once the new run reports 'paused' (start() clears earlier requests). */
  #pendingStep: StepKind | null = null;
  #checkpointTimer: ReturnType<typeof setInterval> | null = null;
  #checkpointBusy = false;
  #checkpointVersion = -1;

  constructor(opts: TrainingSessionOptions) {
    this.#opts = opts;
    onWorkerCrash((err) => {
      this.#stopLoop();
      this.#stopCheckpoints();
      this.#view = null;
      this.#layers = null;
      this.#loaded = null;
      this.state = 'interrupted';
      this.busy = false;
      this.error = err.message;
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
    if (this.state === 'running' || this.state === 'paused') this.#view?.stop();
    this.#stopLoop();
    this.#stopCheckpoints();
    this.#view = null;
    this.#layers = null;
    this.spec = null;
    this.state = 'idle';
    this.epoch = 0;
    this.step = 0;
    this.latest = null;
    this.test = null;
    this.summary = null;
    this.divergence = null;
    this.curves.clear(ds?.task ?? 'binary');
    this.frame++;
    this.curvesVersion = this.curves.version;
    if (ds && !this.form.touched && !this.#fromLink) {
      this.form.load(
        suggestConfig(
          { task: ds.task, inputs: ds.featureNames.length, examples: ds.train.m },
          Number(this.form.raw.seed) || undefined,
        ),
      );
    }
  }

  /** Reads a configuration from a URL hash; returns whether the hash held one. */
  loadFromHash(hash: string): boolean {
    const d = decodeConfig(hash);
    if (!d.config) return false;
    this.form.load(d.config);
    this.#fromLink = true;
    this.notice = d.message;
    return true;
  }

  /** The URL hash for the current (valid) configuration, or null while a field is invalid. */
  get hash(): string | null {
    const c = this.form.config;
    return c ? encodeConfig(c) : null;
  }

  /** Whether the address bar should carry the configuration: once the user chose settings, came with
   * a link, or trained (until then a reload keeps suggesting settings for the data at hand). */
  get shareable(): boolean {
    return this.form.touched || this.#fromLink || this.runConfig !== null;
  }

  // ------------------------------------------------------------------ commands

  get canTrain(): boolean {
    return (
      !this.busy &&
      this.state !== 'running' &&
      this.state !== 'paused' &&
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
    const cfg = this.form.config;
    if (!cfg) return this.#fail(this.#invalidMessage());
    const ds = this.dataset;
    if (!ds)
      return this.#fail(
        'There is no data to train on yet: choose a sample or drop a CSV file in the Data area.',
      );
    const runId = ++this.#run;
    if (this.state === 'running' || this.state === 'paused') this.#view?.stop();
    this.busy = true;
    try {
      await this.#ensureLoaded(ds);
      const views = await withTimeout(
        this.#remote().prepare(cfg),
        COMMAND_MS,
        'The training worker',
      );
      if (runId !== this.#run) return;
      this.#attach(views, cfg);
      this.state = 'idle';
      this.#refresh(true);
    } catch (e) {
      this.#fail(message(e));
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
  async resumeFrom(snapshot: {
    network: TrainerSnapshot['network'];
    config: TrainConfig;
    history?: EpochMetrics[];
  }): Promise<void> {
    this.form.load(snapshot.config);
    await this.#begin(false, snapshot.network, snapshot.history ?? []);
  }

  /** Marks the session as interrupted (a run that a closed tab cut short, shown from the library). */
  markInterrupted(history: EpochMetrics[] = []): void {
    this.#stopLoop();
    this.curves.clear(this.dataset?.task ?? this.curves.task);
    this.curves.append(history);
    this.latest = history.at(-1) ?? null;
    this.epoch = this.latest?.epoch ?? 0;
    this.state = 'interrupted';
    this.frame++;
    this.curvesVersion = this.curves.version;
  }

  /** The network's output A[L] (n_y x m) for inputs x (n_x x m) already through the recipe. */
  async predict(x: Float32Array, m: number): Promise<Float32Array> {
    return withTimeout(this.#remote().predict(x, m), COMMAND_MS, 'The training worker');
  }

  /** A plain copy of the current network and history (for saving and export). */
  async snapshot(): Promise<TrainerSnapshot> {
    return withTimeout(this.#remote().snapshot(), COMMAND_MS, 'The training worker');
  }

  // ------------------------------------------------------------------ live reading

  /** Live parameter views W[l], b[l] with their activations (null before a run is prepared). */
  get layers(): PageLayer[] | null {
    return this.#layers;
  }

  get view(): TrainerView | null {
    return this.#view;
  }

  /** Shape of the rows of the current run: 'running' also while a step is under way. */
  get active(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  // ------------------------------------------------------------------ internals

  #remote(): Trainer {
    return (this.#opts.remote ?? trainer)();
  }

  #invalidMessage(): string {
    const fields = Object.keys(this.form.errors).map((k) =>
      k in FIELDS
        ? FIELDS[k as NumericField].label
        : k.replace(
            /^hidden\.(\d+)\.(\w+)$/,
            (_, i: string, f: string) =>
              `${f === 'units' ? 'Units' : 'Keep probability'} of hidden layer ${Number(i) + 1}`,
          ),
    );
    return `Some settings are not valid (${fields.join(', ')}): fix the highlighted fields, then press Train again.`;
  }

  #fail(msg: string): void {
    this.error = msg;
  }

  async #ensureLoaded(ds: PreparedDataset): Promise<void> {
    if (this.#loaded === ds) return;
    await withTimeout(this.#remote().load(ds), COMMAND_MS, 'The training worker');
    this.#loaded = ds;
  }

  async #begin(
    paused: boolean,
    params?: TrainerSnapshot['network'],
    history: EpochMetrics[] = [],
  ): Promise<void> {
    if (this.busy || this.state === 'running' || this.state === 'paused') return;
    const cfg = this.form.config;
    if (!cfg) return this.#fail(this.#invalidMessage());
    const ds = this.dataset;
    if (!ds)
      return this.#fail(
        'There is no data to train on yet: choose a sample or drop a CSV file in the Data area.',
      );
    const runId = ++this.#run;
    this.error = null;
    this.test = null;
    this.summary = null;
    this.divergence = null;
    this.busy = true;
    let views: SessionViews;
    try {
      await this.#ensureLoaded(ds);
      views = await withTimeout(
        this.#remote().prepare(cfg, params ? { params } : undefined),
        COMMAND_MS,
        'The training worker',
      );
    } catch (e) {
      this.busy = false;
      return this.#fail(message(e));
    }
    if (runId !== this.#run) return;
    this.#attach(views, cfg);
    this.curves.append(history);
    const view = this.#view as TrainerView;
    if (paused) {
      view.pause();
      this.#pendingStep = this.stepKind;
    }
    const remote = this.#remote();
    // Checkpoints: the page asks for a plain snapshot every 2 s (Comlink cannot carry a callback nested
    // in an options object), and once more at the end.
    const done = remote.start();
    this.#startCheckpoints(runId);
    this.state = paused ? 'paused' : 'running';
    this.busy = false;
    this.#startLoop();
    let summary: TrainSummary;
    try {
      summary = await done;
    } catch (e) {
      if (runId === this.#run) {
        this.#stopLoop();
        this.#stopCheckpoints();
        this.state = 'interrupted';
        this.#fail(message(e));
      }
      return;
    }
    if (runId !== this.#run) return;
    await this.#finish(summary, cfg);
  }

  #attach(views: SessionViews, cfg: TrainConfig): void {
    const view = new TrainerView(views);
    this.#view = view;
    this.#pendingStep = null;
    this.#checkpointVersion = -1;
    this.spec = views.spec;
    this.runConfig = cfg;
    this.kernel = views.kernel;
    this.shared = views.shared;
    const acts = [...views.spec.hidden.map((h) => h.activation), views.spec.output];
    this.#layers = acts.map((activation, i) => {
      const p = view.params(i + 1);
      return { W: p.W, b: p.b, rows: p.rows, cols: p.cols, activation };
    });
    this.curves.clear(views.task);
    this.epoch = 0;
    this.step = 0;
    this.latest = null;
    this.#lastSeen = { state: '', epoch: -1, step: -1, history: 0, version: -1 };
  }

  #startCheckpoints(runId: number): void {
    this.#stopCheckpoints();
    this.#checkpointTimer = setInterval(() => {
      if (runId !== this.#run || !this.onCheckpoint || this.#checkpointBusy) return;
      void this.#checkpoint();
    }, CHECKPOINT_MS);
  }

  #stopCheckpoints(): void {
    if (this.#checkpointTimer !== null) clearInterval(this.#checkpointTimer);
    this.#checkpointTimer = null;
  }

  async #checkpoint(force = false): Promise<void> {
    if (!this.onCheckpoint) return;
    // Nothing new since the last one (e.g. paused): no copy, no write. The last one of a run always goes.
    const version = this.#view?.shared ? this.#view.paramsVersion : -1;
    if (!force && version >= 0 && version === this.#checkpointVersion) return;
    this.#checkpointVersion = version;
    this.#checkpointBusy = true;
    try {
      const s = await this.snapshot();
      this.onCheckpoint?.(s);
    } catch {
      // a failed checkpoint must not stop training; the next one retries
    } finally {
      this.#checkpointBusy = false;
    }
  }

  async #finish(summary: TrainSummary, cfg: TrainConfig): Promise<void> {
    this.#refresh(true);
    this.#stopLoop();
    this.#stopCheckpoints();
    await this.#checkpoint(true);
    this.summary = summary;
    this.divergence = summary.divergence;
    this.state = summary.state;
    // The summary is the last word: a progress poll still in flight must not roll these back.
    this.epoch = summary.epochs;
    if (summary.final) this.latest = summary.final;
    this.test = summary.test;
    this.frame++;
    this.curvesVersion = this.curves.version;
    try {
      this.onRunEnd?.(summary, cfg);
    } catch {
      // a listener's failure must not break the training area
    }
  }

  #control(cmd: 'pause' | 'resume' | 'step' | 'stop'): void {
    const v = this.#view;
    if (!v) return;
    if (cmd === 'step') v.step(this.stepKind);
    else v[cmd]();
    if (!this.shared)
      void this.#remote()[cmd === 'step' ? 'step' : cmd](
        cmd === 'step' ? this.stepKind : undefined,
      );
    // The control block answers within a batch; show the intent at once.
    if (cmd === 'pause') this.state = 'paused';
    if (cmd === 'resume') this.state = 'running';
    this.#startLoop();
  }

  #startLoop(): void {
    if (this.#raf || typeof requestAnimationFrame === 'undefined') return;
    const tick = () => {
      this.#raf = 0;
      this.#refresh(false);
      if (!TERMINAL.includes(this.state) || this.summary === null) {
        if (this.state === 'running' || this.state === 'paused' || this.busy)
          this.#raf = requestAnimationFrame(tick);
      }
    };
    this.#raf = requestAnimationFrame(tick);
  }

  #stopLoop(): void {
    if (this.#raf && typeof cancelAnimationFrame !== 'undefined') cancelAnimationFrame(this.#raf);
    this.#raf = 0;
  }

  /** One read of the shared control block, history and weights version; bumps `frame` when anything moved. */
  #refresh(force: boolean): void {
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
    const seen = this.#lastSeen;
    const moved =
      force ||
      state !== seen.state ||
      epoch !== seen.epoch ||
      step !== seen.step ||
      n !== seen.history ||
      version !== seen.version;
    if (!moved) return;
    if (n > this.curves.length) {
      const rows = v.history(this.curves.length);
      this.curves.append(rows);
      this.latest = rows.at(-1) ?? this.latest;
    }
    // The worker's state wins, except that an ended run is reported by start()'s summary.
    if (state === 'running' || state === 'paused') this.state = state;
    this.epoch = epoch;
    this.step = step;
    this.#lastSeen = { state, epoch, step, history: n, version };
    this.frame++;
    this.curvesVersion = this.curves.version;
    this.viewUpdates++;
  }

  /** Without shared memory: ask the worker for its progress a few times a second. */
  #poll(): void {
    const now = performance.now();
    if (this.#pollBusy || now - this.#lastPoll < 250) return;
    this.#pollBusy = true;
    this.#lastPoll = now;
    const runId = this.#run;
    void this.#remote()
      .poll()
      .then((p) => {
        // An answer that arrives after the run ended (or after a new run began) is stale.
        if (runId !== this.#run || this.summary !== null) return;
        if (p.history.length > this.curves.length) {
          const rows = p.history.slice(this.curves.length);
          this.curves.append(rows);
          this.latest = rows.at(-1) ?? this.latest;
        }
        if (p.state === 'running' || p.state === 'paused') this.state = p.state;
        this.epoch = p.epoch;
        this.step = p.step;
        this.frame++;
        this.curvesVersion = this.curves.version;
        this.viewUpdates++;
      })
      .catch(() => undefined)
      .finally(() => (this.#pollBusy = false));
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
