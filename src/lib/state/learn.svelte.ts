// The state of the maths area: formulas for the current network and batch, layer inspection, the
// gradient check and the NumPy export; the labs' state is `labs` (learn-labs.svelte.ts). It reads the
// training configuration, the prepared data and the live session through a LearnSource, and falls
// back to the example data and the labs' worker's sandbox network when those are not there yet.
// Everything computed runs in a worker: the live session's trainer, or the labs' worker (LabRunner).
import { specFor } from '../../../workers/core/types.ts';
import type { NetworkSpec, Task, TrainConfig } from '../../../workers/core/types.ts';
import type { PackedNetwork } from '../../../workers/core/packed.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import type { GradientCheckResult } from '../../../workers/trainer/types.ts';
import type { LabApi } from '../../../workers/labs.worker.ts';
import {
  EXAMPLE_DATA,
  type Inspection,
  type LabData,
  type LabInput,
} from '../../../workers/labs/types.ts';
import { defaultConfig } from './config.ts';
import { LabSession, type JobStatus, type LabContext } from './learn-labs.svelte.ts';
import { buildFormulas, type FormulaPanel } from '../learn/formulas.ts';
import type { MatrixName } from '../learn/inspect.ts';
import { numpyScript } from '../learn/numpy-export.ts';
import { exampleRecipe, type ExportRecipe } from '../learn/recipe-export.ts';
import { gradVerdict, type GradVerdict } from '../learn/verdicts.ts';
import { errorText, t } from '../i18n/i18n.svelte.ts';

export type { JobStatus, LabState } from './learn-labs.svelte.ts';

/** What the live training session offers the maths area (see workers/trainer/README.md). */
export interface LearnTrainer {
  /** The current mini-batch's W, b, Z, A, dZ, dW, db per layer. */
  inspect(): Promise<Inspection>;
  /** Float64 gradient check on the current parameters and data. */
  gradientCheck(opts?: { examples?: number }): Promise<GradientCheckResult>;
  /** Runs exactly one mini-batch (from idle or paused) and resolves when it is done. */
  stepBatch(): Promise<void>;
  /** The current trained network (as the trainer hands it over: packed). */
  network(): Promise<PackedNetwork>;
}

export interface LearnSource {
  /** The training configuration in use. */
  config?: () => TrainConfig | null;
  /** The prepared data. */
  dataset?: () => PreparedDataset | null;
  /** The live training session, when one is prepared. */
  trainer?: () => LearnTrainer | null;
  /** The recipe in the form the NumPy export replays. */
  recipe?: () => ExportRecipe | null;
  /** Where the live session is, e.g. "paused:3:12" (state, epoch, step); reactive. The inspection follows
   *  it when the session is not running. */
  progress?: () => string;
}

/** The labs' worker's API, every call answered later; `cancel` ends what it is doing. Injectable for
 *  tests (workers/labs/api.ts's createLabApi() in the same thread). */
export type LabRunner = {
  [K in keyof LabApi]: (...a: Parameters<LabApi[K]>) => Promise<ReturnType<LabApi[K]>>;
} & { cancel(): void };

/** What the maths area knows of its data on the page: the shape, and the splits to send to the labs'
 *  worker (none for the example data, which the worker makes). */
export interface LearnData {
  task: Task;
  targetName: string;
  featureNames: readonly string[];
  classLabels: readonly string[];
  /** Rows of Y (n_y). */
  outputs: number;
  m: { train: number; dev: number };
  splits: LabData | null;
}

export interface GradCheckState {
  status: JobStatus;
  result: GradientCheckResult | null;
  verdicts: GradVerdict[];
  overall: GradVerdict | null;
  error: string;
  /** Where the parameters came from, in words. */
  about: string;
}

/** Caps that keep the labs quick on big datasets. */
export const LAB_MAX_EXAMPLES = 1000;
export const GRADCHECK_EXAMPLES = 16;

const EXAMPLE: LearnData = {
  task: EXAMPLE_DATA.task,
  targetName: EXAMPLE_DATA.targetName,
  featureNames: EXAMPLE_DATA.featureNames,
  classLabels: EXAMPLE_DATA.classLabels,
  outputs: EXAMPLE_DATA.outputs,
  m: { train: EXAMPLE_DATA.splits.train.m, dev: EXAMPLE_DATA.splits.dev.m },
  splits: null,
};
const EXAMPLE_CONFIG: TrainConfig = { ...defaultConfig(), learningRate: 0.05 };

export class LearnSession implements LabContext {
  #source: LearnSource;
  #runner: () => LabRunner;
  /** Bumped by refresh() to re-read sources that are not reactive. */
  #tick = $state(0);

  readonly labs: LabSession;
  gradCheck = $state.raw<GradCheckState>({
    status: 'idle',
    result: null,
    verdicts: [],
    overall: null,
    error: '',
    about: '',
  });

  inspection = $state.raw<Inspection | null>(null);
  inspectStatus = $state<JobStatus>('idle');
  inspectError = $state('');
  inspectLayer = $state(1);
  inspectMatrix = $state<MatrixName>('Z');
  inspectExample = $state(0);
  /** Whether the inspection comes from the live session or the sandbox. */
  inspectFrom = $state<'session' | 'sandbox' | null>(null);

  exportScript = $state('');
  exportError = $state('');

  constructor(source: LearnSource, runner: () => LabRunner) {
    this.#source = source;
    this.#runner = runner;
    this.labs = new LabSession(this);
  }

  refresh(): void {
    this.#tick++;
  }

  runner(): LabRunner {
    return this.#runner();
  }

  /** The prepared data's shape and splits, or the example's. n_y is the rows of Y, as the trainer reads it. */
  get data(): LearnData {
    void this.#tick;
    const d = this.#source.dataset?.();
    if (!d) return EXAMPLE;
    return {
      task: d.task,
      targetName: d.targetName,
      featureNames: d.featureNames,
      classLabels: d.classLabels,
      outputs: d.train.y.length / d.train.m,
      m: { train: d.train.m, dev: d.dev.m },
      splits: { task: d.task, train: d.train, dev: d.dev },
    };
  }

  get usingDemo(): boolean {
    void this.#tick;
    return !this.#source.dataset?.();
  }

  get config(): TrainConfig {
    void this.#tick;
    return this.#source.config?.() ?? EXAMPLE_CONFIG;
  }

  get task(): Task {
    return this.data.task;
  }

  get devExamples(): number {
    return this.data.m.dev;
  }

  get spec(): NetworkSpec {
    const d = this.data;
    return specFor(d.task, d.featureNames.length, d.outputs, this.config.hidden);
  }

  /** Examples per batch: the whole training set for batch GD, else the mini-batch size. */
  get m(): number {
    const trainM = this.data.m.train;
    const c = this.config;
    return c.optimizer === 'gd' ? trainM : Math.max(1, Math.min(c.batchSize, trainM));
  }

  get formulas(): { panel: FormulaPanel | null; error: string } {
    try {
      const c = this.config;
      const panel = buildFormulas({
        spec: this.spec,
        m: this.m,
        config: {
          lambda: c.lambda,
          optimizer: c.optimizer,
          learningRate: c.learningRate,
          beta1: c.beta1,
          beta2: c.beta2,
        },
        targetName: this.data.targetName,
      });
      return { panel, error: '' };
    } catch (e) {
      return { panel: null, error: errorText(e) };
    }
  }

  /** How many examples the labs use: at most LAB_MAX_EXAMPLES, fewer for big networks (the labs run the
   *  float64 library, four times over), never fewer than 100. */
  get labExamples(): number {
    const sizes = [this.spec.inputs, ...this.spec.hidden.map((h) => h.units), this.spec.outputs];
    let params = 0;
    for (let l = 1; l < sizes.length; l++) params += sizes[l] * (sizes[l - 1] + 1);
    return Math.max(100, Math.min(LAB_MAX_EXAMPLES, Math.floor(2e7 / params)));
  }

  /** The labs' data: the first labExamples examples of the training and dev splits. */
  labInput(): LabInput {
    return { data: this.data.splits, maxExamples: this.labExamples };
  }

  /** Ends whatever the labs' worker does: labs, a gradient check or a sandbox step. */
  cancelLabs(): void {
    this.#runner().cancel();
    this.labs.cancelled();
    if (this.gradCheck.status === 'running')
      this.gradCheck = { ...this.gradCheck, status: 'error', error: 'Cancelled.' };
  }

  async runGradientCheck(): Promise<void> {
    this.gradCheck = {
      status: 'running',
      result: null,
      verdicts: [],
      overall: null,
      error: '',
      about: '',
    };
    try {
      const session = this.#source.trainer?.() ?? null;
      const c = this.config;
      let result: GradientCheckResult;
      let about: string;
      if (session) {
        result = await session.gradientCheck({ examples: GRADCHECK_EXAMPLES });
        about = t('learn.grad.aboutSession', { examples: GRADCHECK_EXAMPLES, lambda: c.lambda });
      } else {
        const sandbox = this.inspectFrom === 'sandbox';
        const answer = await this.#runner().gradientCheck(
          { data: this.data.splits, maxExamples: GRADCHECK_EXAMPLES },
          {
            spec: this.spec,
            lambda: c.lambda,
            params: sandbox ? 'sandbox' : { init: c.init, seed: c.seed },
          },
        );
        result = answer.result;
        const on = { examples: answer.examples, lambda: c.lambda, init: c.init, seed: c.seed };
        about = t(sandbox ? 'learn.grad.aboutSandbox' : 'learn.grad.aboutFresh', on);
      }
      this.gradCheck = {
        status: 'done',
        result,
        verdicts: result.perLayer.map((p) => gradVerdict(p.relativeDifference)),
        overall: gradVerdict(result.overall),
        error: '',
        about,
      };
    } catch (e) {
      this.gradCheck = {
        status: 'error',
        result: null,
        verdicts: [],
        overall: null,
        error: errorText(e),
        about: '',
      };
    }
  }

  #setInspection(ins: Inspection): void {
    this.inspection = ins;
    if (this.inspectLayer > ins.layers.length) this.inspectLayer = ins.layers.length;
    if (this.inspectExample >= ins.m) this.inspectExample = 0;
  }

  /** Re-inspects the live session after it moved (a step in the training area), unless it is running. */
  follow(progress: string): void {
    if (
      this.inspectFrom !== 'session' ||
      this.inspectStatus === 'running' ||
      progress.startsWith('running')
    )
      return;
    if (progress === this.#followed) return;
    this.#followed = progress;
    void this.inspect();
  }
  #followed = '';

  /** Inspects the current mini-batch (the live session's, or a fresh sandbox's). */
  async inspect(): Promise<void> {
    this.inspectStatus = 'running';
    this.inspectError = '';
    try {
      const session = this.#source.trainer?.() ?? null;
      if (session) {
        this.#setInspection(await session.inspect());
        this.inspectFrom = 'session';
        this.#followed = this.#source.progress?.() ?? '';
      } else {
        const c = this.config;
        this.#setInspection(
          await this.#runner().sandboxStart(this.labInput(), {
            spec: this.spec,
            task: this.task,
            init: c.init,
            seed: c.seed,
            batchSize: c.optimizer === 'gd' ? Number.MAX_SAFE_INTEGER : c.batchSize,
            learningRate: c.learningRate,
            lambda: c.lambda,
          }),
        );
        this.inspectFrom = 'sandbox';
      }
      this.inspectStatus = 'done';
    } catch (e) {
      this.inspectStatus = 'error';
      this.inspectError = errorText(e);
    }
  }

  /** One mini-batch step, then the new batch's inspection. */
  async stepBatch(): Promise<void> {
    if (!this.inspection) return this.inspect();
    this.inspectStatus = 'running';
    this.inspectError = '';
    try {
      const session = this.#source.trainer?.() ?? null;
      if (session && this.inspectFrom === 'session') {
        await session.stepBatch();
        this.#setInspection(await session.inspect());
        this.#followed = this.#source.progress?.() ?? '';
      } else {
        this.#setInspection(await this.#runner().sandboxStep());
      }
      this.inspectStatus = 'done';
    } catch (e) {
      this.inspectStatus = 'error';
      this.inspectError = errorText(e);
    }
  }

  /** Builds the Python script for the current network (the live session's, or the sandbox's). */
  async buildExport(): Promise<void> {
    this.exportError = '';
    this.exportScript = '';
    try {
      const recipe = this.#source.recipe?.() ?? (this.usingDemo ? exampleRecipe() : null);
      if (!recipe) throw new Error(t('learn.export.noRecipe'));
      const session = this.#source.trainer?.() ?? null;
      let net: PackedNetwork;
      if (session) net = await session.network();
      else if (this.inspectFrom === 'sandbox') net = await this.#runner().sandboxNetwork();
      else throw new Error(t('learn.export.noNetwork'));
      this.exportScript = numpyScript(net, recipe, {
        title: `Backprop Lab model for ${recipe.targetName}`,
        date: isoDate(),
      });
    } catch (e) {
      this.exportError = errorText(e);
    }
  }
}

function isoDate(): string {
  return new Date().toISOString().slice(0, 10);
}
