// TensorFlow.js 4.22 in the benchmark: the same network and data, a lean training loop (variables,
// tf.train.sgd, pre-built batch tensors: no model.fit overhead), on the cpu or wasm backend.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BenchData, TrainConfigBench } from '../configs.ts';

export type TfBackend = 'cpu' | 'wasm' | 'wasm-mt2';

/** Selects and initialises the backend (once per worker). */
export async function useBackend(backend: TfBackend): Promise<Record<string, string | number>> {
  if (backend === 'cpu') {
    await tf.setBackend('cpu');
  } else {
    setWasmPaths(`${self.location.origin}/tfjs-wasm/`);
    if (backend === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    else setThreadsCount(2);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('tfjs wasm backend failed to initialise');
  }
  await tf.ready();
  const notes: Record<string, string | number> = { backend: tf.getBackend() };
  if (backend !== 'cpu') {
    notes.simd = String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    notes.multithread = String(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  }
  return notes;
}

export interface TfTrainer {
  step(index: number): void;
  batches: number;
  loss(n: number): number;
}

export function createTfTrainer(config: TrainConfigBench, data: BenchData): TfTrainer {
  const { sizes, batch: B, examples: m } = config;
  const L = sizes.length - 1;
  const nx = sizes[0],
    ny = sizes[L];
  const batches = Math.floor(m / B);
  // tf.js layout: rows are examples, so layer l is a = sigmoid(a_prev W^T + b) with W^T (n_{l-1}, n_l).
  const Ws: tf.Variable[] = [];
  const bs: tf.Variable[] = [];
  for (let l = 1; l <= L; l++) {
    const w = data.weights[l - 1];
    const wt = new Float32Array(w.length);
    for (let i = 0; i < sizes[l]; i++)
      for (let k = 0; k < sizes[l - 1]; k++) wt[k * sizes[l] + i] = w[i * sizes[l - 1] + k];
    Ws.push(tf.variable(tf.tensor2d(wt, [sizes[l - 1], sizes[l]])));
    bs.push(tf.variable(tf.zeros([sizes[l]])));
  }
  const xs: tf.Tensor2D[] = [];
  const ys: tf.Tensor2D[] = [];
  for (let b = 0; b < batches; b++) {
    xs.push(tf.tensor2d(data.x.subarray(b * B * nx, (b + 1) * B * nx), [B, nx]));
    ys.push(tf.tensor2d(data.y.subarray(b * B * ny, (b + 1) * B * ny), [B, ny]));
  }
  const optimizer = tf.train.sgd(config.learningRate);
  const softmax = config.output === 'softmax';

  function logits(x: tf.Tensor2D): tf.Tensor2D {
    let a: tf.Tensor2D = x;
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(a, Ws[l]), bs[l]) as tf.Tensor2D;
      a = l < L - 1 ? tf.sigmoid(z) : z;
    }
    return a;
  }
  function lossOf(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    const z = logits(x);
    return softmax ? tf.losses.softmaxCrossEntropy(y, z) : tf.losses.sigmoidCrossEntropy(y, z);
  }

  return {
    batches,
    step(index: number) {
      optimizer.minimize(() => lossOf(xs[index], ys[index]), false);
    },
    loss(n: number) {
      let total = 0;
      for (let b = 0; b < n; b++) total += tf.tidy(() => lossOf(xs[b], ys[b]).dataSync()[0]);
      return total / n;
    },
  };
}

/** n x n matrix product, repeated: returns a function doing `reps` products. */
export function createTfMatmul(n: number): (reps: number) => void {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  return (reps: number) => {
    for (let r = 0; r < reps; r++) {
      const c = tf.matMul(a, b);
      if (r === reps - 1) c.dataSync();
      c.dispose();
    }
  };
}
