// What a run will cost, before it starts: the arena's bytes from the very plan the trainer makes
// (planSession with the same inputs, so the figure is the arena's size), and the time per epoch from
// a short probe: a trainer on a few columns of synthetic data of the same shapes, with the same
// kernels and threads, timed over a few batches. A run over the memory budget is not probed (it would
// not fit); nor is one asked for while a run trains. Their time comes from a model instead: the
// run's flops at the calibrated product speed (or a conservative one).
import { BATCH, PlannedTrainer } from '../core/train.ts';
import { assertTrainConfig } from '../core/train-input.ts';
import { specFor } from '../core/activations.ts';
import { layerSizes, type NetworkSpec, type TrainConfig } from '../core/types.ts';
import { singleThreadKernels } from '../core/kernels/select.ts';
import type { SessionHooks } from './hooks.ts';
import { arenaBytesFor, scratchRegionsFor } from './budget.ts';
import type { DataShape, RunEstimate } from './types.ts';

/** Most columns the probe trains on (a bigger batch is timed on this many and scaled). */
const PROBE_COLS = 512;
/** The probe stops after this much timing (ms) or PROBE_BATCHES batches, whichever comes first. */
const PROBE_MS = 250;
const PROBE_BATCHES = 6;
/** Without a probe: the share of the calibrated product speed a whole training step reaches. */
const MODEL_EFFICIENCY = 0.5;
/** Without a probe or a calibration: a conservative speed, GFLOP/s. */
const FALLBACK_GFLOPS = 2;

export interface EstimateInput {
  shape: DataShape;
  config: TrainConfig;
  budgetBytes: number;
  /** Helper threads the run would use. */
  helpers: number;
  hooks: SessionHooks;
  /** The calibrated speed of big products with that many threads, GFLOP/s (0: unknown). */
  gflops: number;
  /** Whether a probe may run (not while a run trains). */
  probe: boolean;
}

/** Flops of one training step per example: forward 2 n_l n_{l-1}, backward twice that. */
export function flopsPerExample(spec: NetworkSpec): number {
  const n = layerSizes(spec);
  let s = 0;
  for (let l = 1; l < n.length; l++) s += n[l] * n[l - 1];
  return 6 * s;
}

export async function estimateRun(input: EstimateInput): Promise<RunEstimate> {
  const { shape, config, hooks } = input;
  assertTrainConfig(config);
  const spec = specFor(shape.task, shape.inputs, shape.outputs, config.hidden);
  const m = shape.m;
  const batch = config.optimizer === 'gd' ? m.train : Math.min(config.batchSize, m.train);
  const threshold = hooks.poolThresholdFlops ?? 1 << 21;
  const regions = hooks.createPool ? scratchRegionsFor(spec, batch, input.helpers, threshold) : 1;
  const arenaBytes = arenaBytesFor(spec, config, m, regions);
  const fits = arenaBytes <= input.budgetBytes;
  const threads = regions > 1 ? input.helpers + 1 : 1;
  let batchMs: number | null = null;
  let epochMs: number;
  if (fits && input.probe) {
    const cols = Math.min(batch, PROBE_COLS);
    const colMs = (await probe(spec, config, cols, regions, input)) / cols;
    batchMs = colMs * batch;
    // The epoch's training columns, then the dev pass after it (a forward pass: a third of a step).
    epochMs = colMs * m.train + (colMs * m.dev) / 3;
  } else {
    const gflops = input.gflops > 0 ? input.gflops * MODEL_EFFICIENCY : FALLBACK_GFLOPS;
    const f = flopsPerExample(spec);
    epochMs = (f * m.train + (f / 3) * m.dev) / (gflops * 1e6);
  }
  return {
    arenaBytes,
    budgetBytes: input.budgetBytes,
    fits,
    threads,
    batchMs,
    epochMs,
    totalMs: epochMs * config.epochs,
    epochs: config.epochs,
    basis: batchMs === null ? 'model' : 'probe',
  };
}

/** ms of one batch of `cols` columns: a trainer on synthetic data of the run's shapes (4 batches per
 *  epoch, so most timed batches are plain ones), timed after one warm-up batch; the median. */
async function probe(
  spec: NetworkSpec,
  config: TrainConfig,
  cols: number,
  regions: number,
  input: EstimateInput,
): Promise<number> {
  const { hooks } = input;
  const mt = 4 * cols;
  const x = new Float32Array(spec.inputs * mt);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 997) / 498 - 1;
  const y = new Float32Array(spec.outputs * mt);
  for (let j = 0; j < mt; j++) y[(j % spec.outputs) * mt + j] = 1;
  const trainer = new PlannedTrainer({
    spec,
    task: input.shape.task,
    config: {
      ...config,
      // gd trains on whole epochs: time its columns with mini-batches of the same kind.
      optimizer: config.optimizer === 'gd' ? 'sgd' : config.optimizer,
      batchSize: cols,
      epochs: 1000,
      patience: 0,
    },
    data: { train: { m: mt, x, y } },
    elementwise: 'wasm',
    kernels: (arena) => singleThreadKernels(arena, 'auto'),
    scratchRegions: regions,
    now: hooks.now,
    watch: false,
  });
  const pool =
    regions > 1 && hooks.createPool ? await hooks.createPool(trainer, regions - 1) : null;
  if (pool) trainer.useKernels(pool);
  try {
    trainer.trainBatch();
    const times: number[] = [];
    const start = hooks.now();
    while (times.length < PROBE_BATCHES && hooks.now() - start < PROBE_MS) {
      const t0 = hooks.now();
      const r = trainer.trainBatch();
      if (r === BATCH.OK) times.push(hooks.now() - t0);
      else if (r !== BATCH.EPOCH_END) break;
    }
    if (times.length === 0) times.push(hooks.now() - start);
    times.sort((p, q) => p - q);
    return times[Math.floor(times.length / 2)];
  } finally {
    void pool?.close();
  }
}
