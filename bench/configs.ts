// The benchmark's workloads: the same data, network, batch size and learning rate for every engine
// (plain SGD, sigmoid hidden layers, sigmoid or softmax output, float32).
import { createRng } from '../workers/core/rng.ts';

export type EngineName =
  | 'backprop-lab'
  | 'backprop-lab-1t'
  | 'backprop-lab-auto'
  | 'backprop-lab-mt2'
  | 'tfjs-cpu'
  | 'tfjs-wasm'
  | 'tfjs-wasm-mt2'
  | 'brainjs';

export interface TrainConfigBench {
  kind: 'train';
  name: string;
  /** Layer sizes n_0 (inputs) .. n_L (outputs). */
  sizes: number[];
  examples: number;
  batch: number;
  output: 'sigmoid' | 'softmax';
  learningRate: number;
}

export interface MatmulConfigBench {
  kind: 'matmul';
  name: string;
  n: number;
}

export type BenchConfig = TrainConfigBench | MatmulConfigBench;

export const CONFIGS: BenchConfig[] = [
  {
    kind: 'train',
    name: 'T1-b32',
    sizes: [2, 8, 8, 1],
    examples: 1000,
    batch: 32,
    output: 'sigmoid',
    learningRate: 0.5,
  },
  {
    kind: 'train',
    name: 'T2-b32',
    sizes: [64, 64, 10],
    examples: 1797,
    batch: 32,
    output: 'softmax',
    learningRate: 0.1,
  },
  {
    kind: 'train',
    name: 'T3-b64',
    sizes: [784, 128, 64, 10],
    examples: 10000,
    batch: 64,
    output: 'softmax',
    learningRate: 0.1,
  },
  {
    kind: 'train',
    name: 'T3-b256',
    sizes: [784, 128, 64, 10],
    examples: 10000,
    batch: 256,
    output: 'softmax',
    learningRate: 0.1,
  },
  {
    kind: 'train',
    name: 'T4-b256',
    sizes: [256, 512, 512, 10],
    examples: 8192,
    batch: 256,
    output: 'softmax',
    learningRate: 0.1,
  },
  { kind: 'matmul', name: 'matmul-64', n: 64 },
  { kind: 'matmul', name: 'matmul-256', n: 256 },
  { kind: 'matmul', name: 'matmul-1024', n: 1024 },
];

/** Configs that also run with the app's own thread choice (the start-up calibration of
 * workers/trainer/threads.ts), beside one thread in the same run: the `threads` column. */
export const THREAD_CONFIGS = ['T3-b256', 'T4-b256'];

/** Which engines run a config: brain.js trains one example at a time with sigmoid outputs, so it
 * applies to T1 only (it has no mini-batches and no softmax). */
export function enginesFor(config: BenchConfig): EngineName[] {
  if (config.kind === 'matmul')
    return ['backprop-lab', 'backprop-lab-mt2', 'tfjs-wasm', 'tfjs-wasm-mt2'];
  const engines: EngineName[] = [
    'backprop-lab',
    'backprop-lab-1t',
    ...(THREAD_CONFIGS.includes(config.name) ? (['backprop-lab-auto'] as const) : []),
    'tfjs-cpu',
    'tfjs-wasm',
    'tfjs-wasm-mt2',
  ];
  if (config.name.startsWith('T1')) engines.push('brainjs');
  return engines;
}

export interface BenchData {
  /** Inputs, example-major: x[e * n_0 + f]. */
  x: Float32Array;
  /** Targets, example-major: y[e * n_L + k] (one-hot for softmax, 0/1 for sigmoid). */
  y: Float32Array;
  /** Initial weights per layer l = 1..L as W[l] (n_l x n_{l-1}) row-major, and zero biases. */
  weights: Float32Array[];
}

/** Seeded synthetic data: inputs in [0, 1), labels from a random teacher network, Xavier-scaled weights. */
export function makeData(config: TrainConfigBench, seed = 7): BenchData {
  const rng = createRng(seed);
  const { sizes, examples } = config;
  const nx = sizes[0];
  const ny = sizes[sizes.length - 1];
  const x = new Float32Array(examples * nx);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const teacher = new Float32Array(ny * nx);
  for (let i = 0; i < teacher.length; i++) teacher[i] = rng.gaussian();
  const y = new Float32Array(examples * ny);
  for (let e = 0; e < examples; e++) {
    let best = 0;
    let bestScore = -Infinity;
    const scores: number[] = [];
    for (let k = 0; k < ny; k++) {
      let s = 0;
      for (let f = 0; f < nx; f++) s += teacher[k * nx + f] * (x[e * nx + f] - 0.5);
      scores.push(s);
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    if (ny === 1) y[e] = scores[0] > 0 ? 1 : 0;
    else y[e * ny + best] = 1;
  }
  const weights: Float32Array[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const w = new Float32Array(sizes[l] * sizes[l - 1]);
    const scale = Math.sqrt(1 / sizes[l - 1]);
    for (let i = 0; i < w.length; i++) w[i] = rng.gaussian() * scale;
    weights.push(w);
  }
  return { x, y, weights };
}

/** One measured job, as the page hands it to a fresh worker. */
export interface BenchJob {
  config: string;
  engine: EngineName;
  /** Seconds per repetition (3 normally). */
  seconds: number;
  repetitions: number;
}

export interface BenchJobResult {
  config: string;
  engine: EngineName;
  /** examples/s per repetition (training) or GFLOP/s (matmul). */
  samples: number[];
  unit: 'examples_per_s' | 'gflops';
  /** Mean loss over the first batches after the measurement (training only), to show all engines learn. */
  loss?: number;
  /** Free-form facts (arena bytes, kernel name, threads). */
  notes?: Record<string, string | number>;
}
