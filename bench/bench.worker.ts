// One benchmark job per worker (a fresh worker per engine and config, so backends never mix).
import {
  CONFIGS,
  makeData,
  type BenchJob,
  type BenchJobResult,
  type TrainConfigBench,
} from './configs.ts';
import { median, type TrialResult } from '../workers/trainer/thread-trial.ts';
import type { OursTrainer } from './engines/ours.ts';

interface Trainer {
  step(index: number): void;
  batches: number;
  loss(n: number): number;
}

/** Runs batches for at least `seconds` (warm-up: at least 3 batches); returns examples/s. The
 *  trainer's next batch index is kept in `at`. */
function timed(t: Trainer, at: { i: number }, batch: number, seconds: number, least = 1): number {
  let steps = 0;
  const t0 = performance.now();
  let el = 0;
  do {
    t.step(at.i++ % t.batches);
    steps++;
    el = performance.now() - t0;
  } while (el < seconds * 1000 || steps < least);
  return (steps * batch) / (el / 1000);
}

/** The untimed batches before a measurement: about 0.3 `seconds` (at most 1 s), at least 3 batches. */
function warmUp(t: Trainer, at: { i: number }, batch: number, seconds: number): void {
  timed(t, at, batch, Math.min(1, seconds * 0.3), 3);
}

/** Warm up, then `repetitions` runs of at least `seconds` each; returns examples/s per repetition. */
function measureTraining(
  t: Trainer,
  batch: number,
  seconds: number,
  repetitions: number,
): number[] {
  const at = { i: 0 };
  warmUp(t, at, batch, seconds);
  return Array.from({ length: repetitions }, () => timed(t, at, batch, seconds));
}

/** The threads column: `a` (the app's choice) and `b` (one thread), each warmed up, then timed in
 *  alternating order (a b, b a, a b, ...), so a passing disturbance of the machine hits both alike. */
function measureInterleaved(
  a: Trainer,
  b: Trainer,
  batch: number,
  seconds: number,
  repetitions: number,
): { a: number[]; b: number[] } {
  const atA = { i: 0 },
    atB = { i: 0 };
  warmUp(a, atA, batch, seconds);
  warmUp(b, atB, batch, seconds);
  const out = { a: [] as number[], b: [] as number[] };
  for (let r = 0; r < repetitions; r++) {
    if (r % 2 === 0) {
      out.a.push(timed(a, atA, batch, seconds));
      out.b.push(timed(b, atB, batch, seconds));
    } else {
      out.b.push(timed(b, atB, batch, seconds));
      out.a.push(timed(a, atA, batch, seconds));
    }
  }
  return out;
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
    // The app's choice, by the app's own code: the trainer worker's start-up calibration, then
    // (engines/ours.ts) the thread trial on the run's own batches.
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
  let trainer: Trainer & { close?: () => Promise<unknown>; trial?: () => TrialResult | null };
  if (job.engine.startsWith('backprop-lab')) {
    const { createOursTrainer } = await import('./engines/ours.ts');
    const trial = job.engine === 'backprop-lab-auto';
    const t = await createOursTrainer(cfg, data, { threads, trial });
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
  let samples: number[];
  if (job.engine === 'backprop-lab-auto') {
    // The app's choice against one thread, interleaved on the same trainer (the threads column):
    // two separate trainers on one thread measured up to 30 % apart here.
    const ours = trainer as OursTrainer;
    const both = measureInterleaved(
      ours,
      ours.oneThread,
      cfg.batch,
      job.seconds,
      job.repetitions + 2,
    );
    samples = both.a;
    notes.single_ex_s = Math.round(median(both.b));
    notes.ratio_vs_1t_interleaved = Number((median(both.a) / median(both.b)).toFixed(3));
  } else samples = measureTraining(trainer, cfg.batch, job.seconds, job.repetitions);
  const loss = trainer.loss(Math.min(4, trainer.batches));
  const trial = trainer.trial?.() ?? null;
  if (trial) {
    // The run's own batches decided: the pool is kept only where it pays POOL_PAYS.
    notes.threads = trial.threads;
    notes.trial = `${trial.gain.toFixed(2)}x over ${trial.pairs} pairs`;
  }
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
