// A run, sized before it is allocated: the network for the loaded data (a saved network must have its
// layer sizes), the scratch regions its kernel threads need, and the arena's bytes, refused over the
// memory budget; then build() allocates the trainer (a failed allocation is a message, not a
// RangeError).
import { PlannedTrainer, assertTrainConfig } from '../core/train.ts';
import { specFor } from '../core/activations.ts';
import { singleThreadKernels } from '../core/kernels/select.ts';
import type { NetworkSpec, TrainConfig } from '../core/types.ts';
import { MessageError, msg } from '../messages/index.ts';
import { allocating, arenaBytesFor, assertFits, scratchRegionsFor } from './budget.ts';
import type { SessionHooks } from './hooks.ts';
import type { PreparedDataset } from '../data/prepared.ts';
import type { PrepareOptions } from './types.ts';

export interface PlannedRun {
  spec: NetworkSpec;
  /** Scratch regions: one per kernel thread (1: no pool). */
  regions: number;
  arenaBytes: number;
  build(): PlannedTrainer;
}

export function planRun(
  ds: PreparedDataset,
  config: TrainConfig,
  opts: PrepareOptions,
  hooks: SessionHooks,
  helpers: number,
): PlannedRun {
  assertTrainConfig(config);
  const ny = ds.train.y.length / ds.train.m;
  const spec = specFor(ds.task, ds.featureNames.length, ny, config.hidden);
  if (opts.params) {
    const ps = opts.params.spec;
    if (
      ps.inputs !== spec.inputs ||
      ps.outputs !== spec.outputs ||
      ps.hidden.length !== spec.hidden.length ||
      ps.hidden.some((h, i) => h.units !== spec.hidden[i].units)
    ) {
      throw new MessageError(msg('trainer.networkMismatch'));
    }
  }
  const choice = opts.kernels ?? 'auto';
  const batch = config.optimizer === 'gd' ? ds.train.m : Math.min(config.batchSize, ds.train.m);
  const threshold = hooks.poolThresholdFlops ?? 1 << 21;
  const regions =
    choice === 'auto' && hooks.createPool ? scratchRegionsFor(spec, batch, helpers, threshold) : 1;
  const m = { train: ds.train.m, dev: ds.dev.m, test: ds.test.m };
  const startEpoch = opts.startEpoch ?? opts.resume?.epoch;
  const arenaBytes = arenaBytesFor(spec, config, m, regions, startEpoch);
  assertFits(arenaBytes, opts.budgetBytes ?? Infinity);
  return {
    spec,
    regions,
    arenaBytes,
    build: () =>
      allocating(
        arenaBytes,
        () =>
          new PlannedTrainer({
            spec,
            config,
            task: ds.task,
            data: { train: ds.train, dev: ds.dev, test: ds.test },
            featureNames: ds.featureNames,
            targetScale: ds.targetScale,
            params: opts.params?.params,
            startEpoch,
            resume: opts.resume ?? undefined,
            elementwise: choice === 'auto' ? 'wasm' : 'js',
            kernels: (arena) => singleThreadKernels(arena, choice),
            scratchRegions: regions,
            now: hooks.now,
          }),
      ),
  };
}
