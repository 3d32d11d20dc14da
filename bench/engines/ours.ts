// Our engine in the benchmark: the project's planned trainer (workers/core/train.ts) on its arena,
// with the WebAssembly SIMD kernels and the kernel pool for products above the pool's threshold,
// and the WebAssembly bias + sigmoid pass. Mini-batch SGD as the app runs it (shuffled batches).
import { BATCH, PlannedTrainer } from '../../workers/core/train.ts';
import { singleThreadKernels } from '../../workers/core/kernels/select.ts';
import type { LayerParams, NetworkSpec, TrainConfig } from '../../workers/core/types.ts';
import { createPooledKernels, type PooledKernels } from '../../workers/trainer/pool.ts';
import { ThreadTrial, batchKind, type TrialResult } from '../../workers/trainer/thread-trial.ts';
import type { BenchData, TrainConfigBench } from '../configs.ts';

export interface OursTrainer {
  step(index: number): void;
  batches: number;
  loss(n: number): number;
  arenaBytes: number;
  kernelName: string;
  /** The app's thread trial on this run's batches (null: no trial, the pool is always used). */
  trial(): TrialResult | null;
  /** The same trainer (its arena, its state) stepped on one thread, its trial left aside: the
   *  threads column's other side, so both sides share one memory placement. */
  oneThread: { step(index: number): void; batches: number; loss(n: number): number };
  close(): Promise<unknown>;
}

export async function createOursTrainer(
  config: TrainConfigBench,
  data: BenchData,
  /** `trial`: as the app, try the pool against one thread on the run's own batches and keep the faster. */
  options: { threads: number; threshold?: number; trial?: boolean },
): Promise<OursTrainer> {
  const { sizes, batch: B, examples: m } = config;
  const L = sizes.length - 1;
  const nx = sizes[0],
    ny = sizes[L];
  const threads = Math.max(1, options.threads);
  const spec: NetworkSpec = {
    inputs: nx,
    hidden: sizes.slice(1, -1).map((units) => ({ units, activation: 'sigmoid', keepProb: 1 })),
    outputs: ny,
    output: config.output,
  };
  const trainConfig: TrainConfig = {
    hidden: spec.hidden,
    init: 'xavier',
    optimizer: 'sgd',
    learningRate: config.learningRate,
    batchSize: B,
    // Enough epochs never to finish during a measurement (the history rows are part of the arena).
    epochs: Math.ceil(1e8 / m),
    lambda: 0,
    seed: 1,
    beta1: 0.9,
    beta2: 0.999,
  };
  // The notes' layout: X (n_x, m), Y (n_y, m).
  const x = new Float32Array(nx * m);
  const y = new Float32Array(ny * m);
  for (let e = 0; e < m; e++) {
    for (let f = 0; f < nx; f++) x[f * m + e] = data.x[e * nx + f];
    for (let k = 0; k < ny; k++) y[k * m + e] = data.y[e * ny + k];
  }
  const params: LayerParams[] = data.weights.map((w, l) => ({
    W: Array.from(w),
    b: new Array<number>(sizes[l + 1]).fill(0),
  }));
  const trainer = new PlannedTrainer({
    spec,
    config: trainConfig,
    task: ny === 1 ? 'binary' : 'multiclass',
    data: { train: { m, x, y } },
    params,
    kernels: (arena) => singleThreadKernels(arena),
    scratchRegions: threads,
    elementwise: 'wasm',
    now: () => performance.now(),
  });
  let pool: PooledKernels | null = null;
  if (threads > 1) {
    const buffers = trainer.arena.layout.buffers;
    const scratch = Array.from({ length: threads }, (_, t) => {
      const s = buffers[`scratch${t}`];
      return { offset: s.offset, bytes: s.rows * s.cols * 4 };
    });
    pool = await createPooledKernels(trainer.arena.memory as unknown as WebAssembly.Memory, {
      helpers: threads - 1,
      scratch,
      threshold: options.threshold,
    });
    if (pool) trainer.useKernels(pool);
  }
  const trial = pool && options.trial ? new ThreadTrial(pool) : null;
  const check = (r: number) => {
    if (r === BATCH.DIVERGED || r === BATCH.DONE) throw new Error(`training stopped (${r})`);
  };
  const loss = () => trainer.evaluate('train').loss;
  const oneThread = {
    batches: trainer.plan.batchesPerEpoch,
    loss,
    step() {
      pool?.use(1);
      check(trainer.trainBatch());
      pool?.use(trial ? trial.threads : pool.threads);
    },
  };
  return {
    oneThread,
    batches: trainer.plan.batchesPerEpoch,
    step() {
      trial?.before();
      const t0 = trial ? performance.now() : 0;
      const r = trainer.trainBatch();
      trial?.after(performance.now() - t0, batchKind(r));
      check(r);
    },
    loss,
    arenaBytes: trainer.arena.buffer.byteLength,
    kernelName: `${pool ? pool.name : trainer.kernels.name}+${trainer.elementwise}`,
    trial: () => trial?.result ?? null,
    close: async () => pool?.close(),
  };
}
