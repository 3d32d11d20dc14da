// brain.js 1.6.1 in the benchmark (T1 only): it trains one example at a time (batch size 1) with
// sigmoid units, so it applies to the small sigmoid-output network. Momentum 0 makes it plain SGD.
// The NeuralNetwork module alone: brain.js's index also loads its stream trainer, which extends
// Node's stream.Writable and cannot be evaluated in a browser bundle.
import * as nnModule from 'brain.js/dist/neural-network.js';
import type { BenchData, TrainConfigBench } from '../configs.ts';

interface BrainPattern {
  input: Float32Array | number[];
  output: Float32Array | number[];
}
interface BrainNet {
  train(data: BrainPattern[], options: Record<string, unknown>): unknown;
  formatData(data: BrainPattern[]): BrainPattern[];
  trainPatterns(data: BrainPattern[]): void;
  run(input: Float32Array | number[]): Float32Array;
  trainOpts: { momentum: number; learningRate: number };
}

type BrainCtor = new (o: Record<string, unknown>) => BrainNet;

export function createBrainTrainer(config: TrainConfigBench, data: BenchData) {
  const { sizes, batch: B, examples: m } = config;
  const nx = sizes[0],
    ny = sizes[sizes.length - 1];
  const mod = nnModule as unknown as { default: BrainCtor | { default: BrainCtor } };
  const Ctor: BrainCtor = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const net = new Ctor({ hiddenLayers: sizes.slice(1, -1), activation: 'sigmoid' });
  const patterns: BrainPattern[] = [];
  for (let e = 0; e < m; e++) {
    patterns.push({
      input: Array.from(data.x.subarray(e * nx, (e + 1) * nx)),
      output: Array.from(data.y.subarray(e * ny, (e + 1) * ny)),
    });
  }
  // One iteration to build the network and set the options (learning rate, no momentum).
  net.train(patterns.slice(0, 1), {
    iterations: 1,
    errorThresh: 1e-12,
    learningRate: config.learningRate,
    momentum: 0.1,
    log: false,
  });
  // train() refuses momentum 0 as "out of range"; set it afterwards for plain SGD.
  net.trainOpts.momentum = 0;
  const formatted = net.formatData(patterns);
  const batches = Math.floor(m / B);
  const slices = Array.from({ length: batches }, (_, b) => formatted.slice(b * B, (b + 1) * B));
  return {
    batches,
    /** B examples, one SGD step each (brain.js has no mini-batches). */
    step(index: number) {
      net.trainPatterns(slices[index]);
    },
    loss(n: number) {
      let total = 0;
      for (let e = 0; e < n * B; e++) {
        const a = Math.min(Math.max(net.run(formatted[e].input)[0], 1e-7), 1 - 1e-7);
        const y = formatted[e].output[0];
        total += -(y * Math.log(a) + (1 - y) * Math.log(1 - a));
      }
      return total / (n * B);
    },
  };
}
