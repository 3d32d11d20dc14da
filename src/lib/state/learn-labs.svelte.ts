// The labs' state in the maths area: the settings of the initialization and regularization labs, their
// progress and results, and the bias/variance reading of a run. The labs run in the labs' worker
// (workers/labs); this class validates the settings and asks it.
import type { NetworkSpec, Task, TrainConfig } from '../../../workers/core/types.ts';
import type {
  LabInput,
  LabProgress,
  LabRunResult,
  LabRunOptions,
} from '../../../workers/labs/types.ts';
import { fitHint, type FitHint } from '../learn/verdicts.ts';
import { errorText, t } from '../i18n/i18n.svelte.ts';
import type { LabRunner } from './learn.svelte.ts';

export type JobStatus = 'idle' | 'running' | 'done' | 'error';

export interface LabState {
  status: JobStatus;
  progress: LabProgress | null;
  results: LabRunResult[];
  error: string;
  /** How many training examples the lab used (it caps big datasets). */
  examples: number;
}

/** What the labs read from the maths area. */
export interface LabContext {
  readonly task: Task;
  readonly spec: NetworkSpec;
  readonly config: TrainConfig;
  /** Examples in the dev split. */
  readonly devExamples: number;
  /** The data to send to the labs' worker. */
  labInput(): LabInput;
  runner(): LabRunner;
}

const emptyLab = (): LabState => ({
  status: 'idle',
  progress: null,
  results: [],
  error: '',
  examples: 0,
});

export class LabSession {
  #ctx: LabContext;

  // Settings (inputs in the UI).
  labEpochs = $state(150);
  labLearningRate = $state(0.3);
  regLambda = $state(0.7);
  regKeepProb = $state(0.8);

  initLab = $state.raw<LabState>(emptyLab());
  regLab = $state.raw<LabState>(emptyLab());

  constructor(ctx: LabContext) {
    this.#ctx = ctx;
  }

  /** What both labs share: the network and seed of the configuration, plain gradient descent with
   *  the lab's step size and passes, the configuration's batch size (all examples for batch GD). */
  #base(): Omit<LabRunOptions, 'init' | 'lambda'> {
    const c = this.#ctx.config;
    return {
      spec: this.#ctx.spec,
      seed: c.seed,
      learningRate: this.labLearningRate,
      epochs: this.labEpochs,
      batchSize: c.optimizer === 'gd' ? Number.MAX_SAFE_INTEGER : c.batchSize,
    };
  }

  #invalid(): string {
    if (!(this.labLearningRate > 0 && this.labLearningRate <= 100)) return t('learn.lab.badRate');
    if (!(Number.isInteger(this.labEpochs) && this.labEpochs >= 1 && this.labEpochs <= 2000))
      return t('learn.lab.badEpochs');
    return '';
  }

  async runInitLab(): Promise<void> {
    const bad = this.#invalid();
    if (bad) {
      this.initLab = { ...emptyLab(), status: 'error', error: bad };
      return;
    }
    this.initLab = { ...emptyLab(), status: 'running' };
    try {
      const run = await this.#ctx
        .runner()
        .initLab(
          this.#ctx.labInput(),
          { ...this.#base(), lambda: this.#ctx.config.lambda },
          (p) => {
            if (this.initLab.status === 'running') this.initLab = { ...this.initLab, progress: p };
          },
        );
      if (this.initLab.status === 'running')
        this.initLab = { ...emptyLab(), status: 'done', ...run };
    } catch (e) {
      if (this.initLab.status === 'running')
        this.initLab = { ...emptyLab(), status: 'error', error: errorText(e) };
    }
  }

  async runRegLab(): Promise<void> {
    const bad =
      this.#invalid() ||
      (!(this.regLambda > 0 && this.regLambda <= 1000) ? t('learn.lab.badLambda') : '') ||
      (!(this.regKeepProb > 0 && this.regKeepProb < 1) ? t('learn.lab.badKeep') : '');
    if (bad) {
      this.regLab = { ...emptyLab(), status: 'error', error: bad };
      return;
    }
    if (this.#ctx.devExamples < 1) {
      this.regLab = {
        ...emptyLab(),
        status: 'error',
        error: t('learn.lab.noDev'),
      };
      return;
    }
    this.regLab = { ...emptyLab(), status: 'running' };
    try {
      const run = await this.#ctx
        .runner()
        .regularizationLab(
          this.#ctx.labInput(),
          { ...this.#base(), init: this.#ctx.config.init, lambda: 0 },
          { lambda: this.regLambda, keepProb: this.regKeepProb },
          (p) => {
            if (this.regLab.status === 'running') this.regLab = { ...this.regLab, progress: p };
          },
        );
      if (this.regLab.status === 'running') this.regLab = { ...emptyLab(), status: 'done', ...run };
    } catch (e) {
      if (this.regLab.status === 'running')
        this.regLab = { ...emptyLab(), status: 'error', error: errorText(e) };
    }
  }

  /** Marks a running lab cancelled (the caller ends the worker). */
  cancelled(): void {
    if (this.initLab.status === 'running')
      this.initLab = { ...emptyLab(), status: 'error', error: 'Cancelled.' };
    if (this.regLab.status === 'running')
      this.regLab = { ...emptyLab(), status: 'error', error: 'Cancelled.' };
  }

  /** The bias/variance reading of a regularization run. */
  hintFor(r: LabRunResult): FitHint {
    const regression = this.#ctx.task === 'regression';
    return fitHint({
      trainError: r.final.train,
      devError: r.final.dev,
      unit: regression ? 'loss' : 'error',
    });
  }
}
