// Connects the maths area to the training session and the data session: the configuration in the
// editor, the prepared data, the live trainer (inspect, gradient check, one batch), and the recipe.
import { trainer, withTimeout } from '../engine/bridge.ts';
import { exportRecipeFrom } from '../learn/recipe-export.ts';
import type { LearnSource, LearnTrainer } from './learn.svelte.ts';
import type { TrainingSession } from './training.svelte.ts';
import type { DatasetSession } from './dataset.svelte.ts';

const COMMAND_MS = 60_000;

/** Resolves when `done()` holds (checked every 30 ms), or rejects after `ms`. */
function until(done: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tick = () => {
      if (done()) resolve();
      else if (performance.now() - t0 > ms)
        reject(new Error(`${what} did not happen within ${Math.round(ms / 1000)} s. Try again.`));
      else setTimeout(tick, 30);
    };
    tick();
  });
}

const ENDED = ['done', 'stopped', 'diverged', 'interrupted'];

function sessionTrainer(training: TrainingSession): LearnTrainer {
  return {
    inspect: () => withTimeout(trainer().inspect(), COMMAND_MS, 'The training worker'),
    gradientCheck: (opts) =>
      withTimeout(trainer().gradientCheck(opts), COMMAND_MS, 'The training worker'),
    network: async () => (await training.snapshot()).network,
    async stepBatch() {
      if (training.state === 'running') {
        training.pause();
        await until(() => training.state !== 'running', 10_000, 'Pausing the training');
      }
      const view = training.view;
      const version = view?.paramsVersion ?? -1;
      const step = training.step;
      const epoch = training.epoch;
      const kind = training.stepKind;
      training.stepKind = 'batch';
      try {
        await training.stepOnce();
        await until(
          () =>
            ENDED.includes(training.state) ||
            (training.state === 'paused' &&
              (training.view !== view ||
                (training.view?.paramsVersion ?? -1) !== version ||
                training.step !== step ||
                training.epoch !== epoch)),
          30_000,
          'One batch',
        );
      } finally {
        training.stepKind = kind;
      }
    },
  };
}

export function learnSource(training: TrainingSession, data: DatasetSession): LearnSource {
  return {
    config: () => training.form.config ?? training.runConfig,
    dataset: () => training.dataset,
    trainer: () => (training.view ? sessionTrainer(training) : null),
    progress: () => `${training.state}:${training.epoch}:${training.step}`,
    recipe: () => {
      const ds = training.dataset;
      if (!ds || !data.recipe || data.prepared !== ds) return null;
      return exportRecipeFrom(data.recipe, data.report?.delimiter ?? ',');
    },
  };
}
