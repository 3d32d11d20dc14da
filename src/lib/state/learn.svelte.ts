// The state of the maths area: formulas for the current network and batch, layer inspection, the
// gradient check, the initialization and regularization labs, and the NumPy export. It reads the
// training configuration, the prepared data and the live session through a LearnSource, and falls
// back to example data and a sandbox network when those are not there yet.
import type { GradientCheckResult } from '../../../workers/core/network.ts';
import { initParams } from '../../../workers/core/activations.ts';
import { createRng } from '../../../workers/core/rng.ts';
import type {
  NetworkSpec,
  SerializedNetwork,
  Task,
  TrainConfig,
} from '../../../workers/core/types.ts';
import type { PreparedDataset } from '../../../workers/data/prepared.ts';
import { defaultConfig, outputFor } from './config.ts';
import { buildFormulas, type FormulaPanel } from '../learn/formulas.ts';
import {
  columns,
  finalErrors,
  firstExamples,
  initVariants,
  regularizationVariants,
  type LabData,
  type LabRunResult,
} from '../learn/labs.ts';
import { demoDataset, demoRecipe } from '../learn/demo.ts';
import type { Inspection, MatrixName } from '../learn/inspect.ts';
import { numpyScript, type ExportRecipe } from '../learn/numpy-export.ts';
import { fitHint, gradVerdict, type FitHint, type GradVerdict } from '../learn/verdicts.ts';
import type { LabProgress } from '../learn/lab.worker.ts';

/** What the live training session offers the maths area (see workers/trainer/README.md). */
export interface LearnTrainer {
  /** The current mini-batch's W, b, Z, A, dZ, dW, db per layer. */
  inspect(): Promise<Inspection>;
  /** Float64 gradient check on the current parameters and data. */
  gradientCheck(opts?: { examples?: number }): Promise<GradientCheckResult>;
  /** Runs exactly one mini-batch (from idle or paused) and resolves when it is done. */
  stepBatch(): Promise<void>;
  /** The current trained network. */
  network(): Promise<SerializedNetwork>;
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

/** The labs' worker, injectable for tests. */
export interface LabRunner {
  run(
    data: LabData,
    variants: import('../learn/labs.ts').LabVariant[],
    onProgress?: (p: LabProgress) => void,
  ): Promise<LabRunResult[]>;
  gradientCheck(
    spec: NetworkSpec,
    params: SerializedNetwork['params'],
    x: Float32Array,
    y: Float32Array,
    m: number,
    lambda: number,
  ): Promise<GradientCheckResult>;
  sandboxStart(
    train: LabData['train'],
    opts: import('../learn/inspect.ts').SandboxOptions,
  ): Promise<Inspection>;
  sandboxStep(): Promise<Inspection>;
  sandboxNetwork(): Promise<SerializedNetwork>;
  cancel(): void;
}

export type JobStatus = 'idle' | 'running' | 'done' | 'error';

export interface LabState {
  status: JobStatus;
  progress: LabProgress | null;
  results: LabRunResult[];
  error: string;
  /** How many training examples the lab used (it caps big datasets). */
  examples: number;
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

const emptyLab = (): LabState => ({
  status: 'idle',
  progress: null,
  results: [],
  error: '',
  examples: 0,
});

/** Caps that keep the labs quick on big datasets. */
export const LAB_MAX_EXAMPLES = 1000;
export const GRADCHECK_EXAMPLES = 16;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class LearnSession {
  #source: LearnSource;
  #runner: () => LabRunner;
  /** Bumped by refresh() to re-read sources that are not reactive. */
  #tick = $state(0);

  // Lab settings (inputs in the UI).
  labEpochs = $state(150);
  labLearningRate = $state(0.3);
  regLambda = $state(0.7);
  regKeepProb = $state(0.8);

  initLab = $state.raw<LabState>(emptyLab());
  regLab = $state.raw<LabState>(emptyLab());
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
  }

  refresh(): void {
    this.#tick++;
  }

  get dataset(): PreparedDataset {
    void this.#tick;
    return this.#source.dataset?.() ?? DEMO;
  }

  get usingDemo(): boolean {
    void this.#tick;
    return !this.#source.dataset?.();
  }

  get config(): TrainConfig {
    void this.#tick;
    return this.#source.config?.() ?? DEMO_CONFIG;
  }

  get task(): Task {
    return this.dataset.task;
  }

  get spec(): NetworkSpec {
    const d = this.dataset;
    const out = outputFor(d.task, d.classLabels.length);
    return {
      inputs: d.featureNames.length,
      hidden: this.config.hidden.map((h) => ({ ...h })),
      outputs: out.outputs,
      output: out.output,
    };
  }

  /** Examples per batch: the whole training set for batch GD, else the mini-batch size. */
  get m(): number {
    const trainM = this.dataset.train.m;
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
        targetName: this.dataset.targetName,
      });
      return { panel, error: '' };
    } catch (e) {
      return { panel: null, error: message(e) };
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

  /** Training and dev data for the labs: the first labExamples examples of each split. */
  labData(): LabData {
    const d = this.dataset;
    const nx = d.featureNames.length;
    const ny = this.spec.outputs;
    const cap = this.labExamples;
    return {
      task: d.task,
      train: firstExamples(d.train, nx, ny, cap),
      dev: firstExamples(d.dev, nx, ny, cap),
    };
  }

  #labBase() {
    const c = this.config;
    return {
      spec: this.spec,
      seed: c.seed,
      lambda: 0,
      learningRate: this.labLearningRate,
      epochs: this.labEpochs,
      batchSize: c.optimizer === 'gd' ? Number.MAX_SAFE_INTEGER : c.batchSize,
    };
  }

  #validLab(): string {
    if (!(this.labLearningRate > 0 && this.labLearningRate <= 100))
      return 'Lab learning rate must be a number greater than 0 and at most 100.';
    if (!(Number.isInteger(this.labEpochs) && this.labEpochs >= 1 && this.labEpochs <= 2000))
      return 'Lab epochs must be a whole number from 1 to 2000.';
    return '';
  }

  async runInitLab(): Promise<void> {
    const bad = this.#validLab();
    if (bad) {
      this.initLab = { ...emptyLab(), status: 'error', error: bad };
      return;
    }
    const data = this.labData();
    this.initLab = { ...emptyLab(), status: 'running', examples: data.train.m };
    try {
      const results = await this.#runner().run(
        data,
        initVariants({ ...this.#labBase(), lambda: this.config.lambda }),
        (p) => {
          if (this.initLab.status === 'running') this.initLab = { ...this.initLab, progress: p };
        },
      );
      this.initLab = { status: 'done', progress: null, results, error: '', examples: data.train.m };
    } catch (e) {
      if (this.initLab.status === 'running')
        this.initLab = { ...emptyLab(), status: 'error', error: message(e) };
    }
  }

  async runRegLab(): Promise<void> {
    const bad =
      this.#validLab() ||
      (!(this.regLambda > 0 && this.regLambda <= 1000)
        ? 'L2 lambda for the comparison must be greater than 0 and at most 1000.'
        : '') ||
      (!(this.regKeepProb > 0 && this.regKeepProb < 1)
        ? 'Keep probability for the comparison must be greater than 0 and less than 1.'
        : '');
    if (bad) {
      this.regLab = { ...emptyLab(), status: 'error', error: bad };
      return;
    }
    const data = this.labData();
    if (data.dev.m < 1) {
      this.regLab = {
        ...emptyLab(),
        status: 'error',
        error:
          'The dev split is empty: give the dev split some examples in the Data area so train and dev can be compared.',
      };
      return;
    }
    this.regLab = { ...emptyLab(), status: 'running', examples: data.train.m };
    try {
      const variants = regularizationVariants(
        { ...this.#labBase(), init: this.config.init },
        { lambda: this.regLambda, keepProb: this.regKeepProb },
      );
      const results = await this.#runner().run(data, variants, (p) => {
        if (this.regLab.status === 'running') this.regLab = { ...this.regLab, progress: p };
      });
      this.regLab = { status: 'done', progress: null, results, error: '', examples: data.train.m };
    } catch (e) {
      if (this.regLab.status === 'running')
        this.regLab = { ...emptyLab(), status: 'error', error: message(e) };
    }
  }

  cancelLabs(): void {
    this.#runner().cancel();
    if (this.initLab.status === 'running')
      this.initLab = { ...emptyLab(), status: 'error', error: 'Cancelled.' };
    if (this.regLab.status === 'running')
      this.regLab = { ...emptyLab(), status: 'error', error: 'Cancelled.' };
    if (this.gradCheck.status === 'running')
      this.gradCheck = { ...this.gradCheck, status: 'error', error: 'Cancelled.' };
  }

  /** The bias/variance reading of a regularization run. */
  hintFor(r: LabRunResult): FitHint {
    const e = finalErrors(r, this.task);
    return fitHint({
      trainError: e.train,
      devError: e.dev,
      unit: this.task === 'regression' ? 'loss' : 'error',
    });
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
      let result: GradientCheckResult;
      let about: string;
      if (session) {
        result = await session.gradientCheck({ examples: GRADCHECK_EXAMPLES });
        about = `The training session's current parameters, on the first ${GRADCHECK_EXAMPLES} training examples, lambda = ${this.config.lambda}, no dropout.`;
      } else {
        const d = this.dataset;
        const m = Math.min(GRADCHECK_EXAMPLES, d.train.m);
        if (m < 1) throw new Error('The training split is empty: prepare the data first.');
        const idx = Array.from({ length: m }, (_, i) => i);
        const nx = d.featureNames.length;
        const ny = this.spec.outputs;
        const x = Float32Array.from(columns(d.train.x, nx, d.train.m, idx));
        const y = Float32Array.from(columns(d.train.y, ny, d.train.m, idx));
        const runner = this.#runner();
        let params: SerializedNetwork['params'];
        if (this.inspectFrom === 'sandbox') {
          params = (await runner.sandboxNetwork()).params;
          about = `The inspection sandbox's current parameters, on the first ${m} training examples, lambda = ${this.config.lambda}, no dropout.`;
        } else {
          params = initParams(this.spec, this.config.init, createRng(this.config.seed));
          about = `A freshly initialized network (${this.config.init}, seed ${this.config.seed}), on the first ${m} training examples, lambda = ${this.config.lambda}, no dropout. Train or inspect first to check trained parameters.`;
        }
        result = await runner.gradientCheck(this.spec, params, x, y, m, this.config.lambda);
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
        error: message(e),
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
        const d = this.labData();
        this.#setInspection(
          await this.#runner().sandboxStart(d.train, {
            spec: this.spec,
            task: this.task,
            init: c.init,
            seed: c.seed,
            batchSize: c.optimizer === 'gd' ? d.train.m : c.batchSize,
            learningRate: c.learningRate,
            lambda: c.lambda,
          }),
        );
        this.inspectFrom = 'sandbox';
      }
      this.inspectStatus = 'done';
    } catch (e) {
      this.inspectStatus = 'error';
      this.inspectError = message(e);
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
      this.inspectError = message(e);
    }
  }

  /** Builds the Python script for the current network (the live session's, or the sandbox's). */
  async buildExport(): Promise<void> {
    this.exportError = '';
    this.exportScript = '';
    try {
      const recipe = this.#source.recipe?.() ?? (this.usingDemo ? demoRecipe() : null);
      if (!recipe)
        throw new Error(
          'The data has no recipe to export yet: prepare the data in the Data area first.',
        );
      const session = this.#source.trainer?.() ?? null;
      let net: SerializedNetwork;
      if (session) net = await session.network();
      else if (this.inspectFrom === 'sandbox') net = await this.#runner().sandboxNetwork();
      else
        throw new Error(
          'There is no trained network yet: train one (or step it in "Inspect a layer") first.',
        );
      this.exportScript = numpyScript(net, recipe, {
        title: `Backprop Lab model for ${recipe.targetName}`,
        date: isoDate(),
      });
    } catch (e) {
      this.exportError = message(e);
    }
  }
}

function isoDate(): string {
  return new Date().toISOString().slice(0, 10);
}

const DEMO = demoDataset();
const DEMO_CONFIG: TrainConfig = { ...defaultConfig(), learningRate: 0.05 };
