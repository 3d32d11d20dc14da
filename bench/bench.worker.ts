// One benchmark job per worker (a fresh worker per engine and config, so backends never mix).
import {
  CONFIGS,
  makeData,
  type BenchJob,
  type BenchJobResult,
  type TrainConfigBench,
} from './configs.ts';

interface Trainer {
  step(index: number): void;
  batches: number;
  loss(n: number): number;
}

/** Warm up, then `repetitions` runs of at least `seconds` each; returns examples/s per repetition. */
function measureTraining(
  t: Trainer,
  batch: number,
  seconds: number,
  repetitions: number,
): number[] {
  let i = 0;
  const warm = performance.now();
  let warmSteps = 0;
  while (performance.now() - warm < Math.min(1000, seconds * 300) || warmSteps < 3) {
    t.step(i++ % t.batches);
    warmSteps++;
  }
  const samples: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    let steps = 0;
    const t0 = performance.now();
    let el = 0;
    do {
      t.step(i++ % t.batches);
      steps++;
      el = performance.now() - t0;
    } while (el < seconds * 1000);
    samples.push((steps * batch) / (el / 1000));
  }
  return samples;
}

function measureMatmul(
  run: (reps: number) => void,
  n: number,
  seconds: number,
  repetitions: number,
): number[] {
  const flops = 2 * n * n * n;
  const warm = performance.now();
  while (performance.now() - warm < Math.min(1000, seconds * 300)) run(1);
  const samples: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    let reps = 0;
    const t0 = performance.now();
    let el = 0;
    do {
      run(1);
      reps++;
      el = performance.now() - t0;
    } while (el < seconds * 1000);
    samples.push((reps * flops) / (el / 1000) / 1e9);
  }
  return samples;
}

async function run(job: BenchJob): Promise<BenchJobResult> {
  if (job.config === 'pool-threshold') {
    const { measureCrossover } = await import('./engines/ours-matmul.ts');
    const { points, threshold } = await measureCrossover(Math.max(50, job.seconds * 100));
    const notes: Record<string, string | number> = { threshold_flops: threshold };
    for (const p of points)
      notes[`n${p.n}`] = `${p.single.toFixed(1)} / ${p.pooled.toFixed(1)} GFLOP/s`;
    return { config: job.config, engine: job.engine, samples: [threshold], unit: 'gflops', notes };
  }
  const config = CONFIGS.find((c) => c.name === job.config);
  if (!config) throw new Error(`unknown config ${job.config}`);
  const notes: Record<string, string | number> = {};
  let threads =
    job.engine === 'backprop-lab-mt2' || (job.engine === 'backprop-lab' && config.kind === 'train')
      ? 2
      : 1;
  if (job.engine === 'backprop-lab-auto') {
    // The app's choice, by the app's own code: the trainer worker's start-up calibration.
    const { calibrate, maxThreads } = await import('../workers/trainer/threads.ts');
    const t0 = performance.now();
    const cal = await calibrate(maxThreads(navigator.hardwareConcurrency, true));
    threads = cal.best;
    notes.threads = cal.best;
    notes.calibration = `${cal.gflops.map((g) => g.toFixed(1)).join(' / ')} GFLOP/s`;
    notes.calibration_ms = Math.round(performance.now() - t0);
  }

  if (config.kind === 'matmul') {
    const n = config.n;
    if (job.engine.startsWith('backprop-lab')) {
      const { createOursMatmul } = await import('./engines/ours-matmul.ts');
      const m = await createOursMatmul(n, threads);
      notes.kernel = m.name;
      const samples = measureMatmul(m.run, n, job.seconds, job.repetitions);
      await m.close();
      return { config: job.config, engine: job.engine, samples, unit: 'gflops', notes };
    }
    const tfm = await import('./engines/tfjs.ts');
    Object.assign(
      notes,
      await tfm.useBackend(
        job.engine === 'tfjs-wasm-mt2' ? 'wasm-mt2' : job.engine === 'tfjs-wasm' ? 'wasm' : 'cpu',
      ),
    );
    const samples = measureMatmul(tfm.createTfMatmul(n), n, job.seconds, job.repetitions);
    return { config: job.config, engine: job.engine, samples, unit: 'gflops', notes };
  }

  const cfg: TrainConfigBench = config;
  const data = makeData(cfg);
  let trainer: Trainer & { close?: () => Promise<unknown>; poolThreshold?: () => number };
  if (job.engine.startsWith('backprop-lab')) {
    const { createOursTrainer } = await import('./engines/ours.ts');
    const t = await createOursTrainer(cfg, data, { threads });
    notes.kernel = t.kernelName;
    notes.arena_bytes = t.arenaBytes;
    trainer = t;
  } else if (job.engine === 'brainjs') {
    const { createBrainTrainer } = await import('./engines/brain.ts');
    trainer = createBrainTrainer(cfg, data);
  } else {
    const tfm = await import('./engines/tfjs.ts');
    Object.assign(
      notes,
      await tfm.useBackend(
        job.engine === 'tfjs-wasm-mt2' ? 'wasm-mt2' : job.engine === 'tfjs-wasm' ? 'wasm' : 'cpu',
      ),
    );
    trainer = tfm.createTfTrainer(cfg, data);
  }
  const samples = measureTraining(trainer, cfg.batch, job.seconds, job.repetitions);
  const loss = trainer.loss(Math.min(4, trainer.batches));
  const threshold = trainer.poolThreshold?.() ?? 0;
  if (threshold > 0) notes.pool_threshold_mflop = Math.round(threshold / 1e5) / 10;
  await trainer.close?.();
  return { config: job.config, engine: job.engine, samples, unit: 'examples_per_s', loss, notes };
}

self.onmessage = async (e: MessageEvent<BenchJob>) => {
  try {
    postMessage({ ok: true, result: await run(e.data) });
  } catch (err) {
    postMessage({
      ok: false,
      error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err),
    });
  }
};
