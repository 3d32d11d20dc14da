// Loads our TensorFlow.js export with tf.loadLayersModel and compares its predictions with the engine's forward pass.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import type { NetworkSpec } from '../core/types.ts';
import { createNetwork, predict, serialize } from '../core/network.ts';
import { toTfjsLayers, type TfjsModelFacts } from './tfjs.ts';

async function roundTrip(spec: NetworkSpec, seed: number): Promise<void> {
  const net = createNetwork(spec, { init: 'he', seed });
  const exported = toTfjsLayers(serialize(net));
  // What a browser would fetch as model.json + weights.bin, handed over in memory.
  const json = JSON.parse(JSON.stringify(exported.modelJson)) as typeof exported.modelJson;
  const model: LayersModel = await loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: exported.weights,
    }),
  );
  const m = 7;
  const X = Array.from({ length: spec.inputs * m }, (_, i) => Math.sin(i * 1.7) * 2);
  // Ours: X is (n_x, m); tfjs: [m, n_x].
  const ours = predict(net, { rows: spec.inputs, cols: m, data: X });
  const xT = tf.tensor2d(
    Array.from(
      { length: m * spec.inputs },
      (_, k) => X[(k % spec.inputs) * m + Math.floor(k / spec.inputs)],
    ),
    [m, spec.inputs],
  );
  const theirs = (model.predict(xT) as tf.Tensor).arraySync() as number[][];
  expect(theirs).toHaveLength(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < spec.outputs; j++)
      expect(theirs[i][j]).toBeCloseTo(ours.data[j * m + i], 5);
  }
  model.dispose();
  xT.dispose();
}

describe('TensorFlow.js Layers export', () => {
  it('a sigmoid classifier with tanh and relu layers predicts the same in tfjs', async () => {
    await tf.setBackend('cpu');
    await roundTrip(
      {
        inputs: 3,
        hidden: [
          { units: 5, activation: 'tanh', keepProb: 1 },
          { units: 4, activation: 'relu', keepProb: 0.8 },
        ],
        outputs: 1,
        output: 'sigmoid',
      },
      11,
    );
  });

  it('a softmax classifier with leaky ReLU (exported as a LeakyReLU layer) predicts the same', async () => {
    await roundTrip(
      {
        inputs: 4,
        hidden: [
          { units: 6, activation: 'leaky_relu', keepProb: 1 },
          { units: 3, activation: 'sigmoid', keepProb: 1 },
        ],
        outputs: 3,
        output: 'softmax',
      },
      5,
    );
  });

  it('a linear regression head with no hidden layer predicts the same', async () => {
    await roundTrip({ inputs: 2, hidden: [], outputs: 1, output: 'linear' }, 2);
  });

  it('writes the kernel transposed to [in, out]', () => {
    const net = serialize(
      createNetwork({ inputs: 2, hidden: [], outputs: 3, output: 'linear' }, [
        { W: [1, 2, 3, 4, 5, 6], b: [7, 8, 9] },
      ]),
    );
    const e = toTfjsLayers(net);
    expect(e.weightSpecs.map((w) => [w.name, w.shape])).toEqual([
      ['dense_1/kernel', [2, 3]],
      ['dense_1/bias', [3]],
    ]);
    expect(Array.from(new Float32Array(e.weights))).toEqual([1, 3, 5, 2, 4, 6, 7, 8, 9]);
  });

  it('model.json carries the feature names, class labels and recipe as userDefinedMetadata', async () => {
    await tf.setBackend('cpu');
    const net = serialize(
      createNetwork({ inputs: 2, hidden: [], outputs: 3, output: 'softmax' }, [
        { W: [1, 0, 0, 1, -1, -1], b: [0, 0, 0] },
      ]),
    );
    const facts: TfjsModelFacts = {
      featureNames: ['länge', '幅'],
      classLabels: ['setosa', 'versicolor', 'virginica'],
      targetName: 'species',
      task: 'multiclass',
      targetScale: null,
      recipe: null,
    };
    const e = toTfjsLayers(net, 'm.weights.bin', facts);
    // Loaded the way tf.loadLayersModel reads a model.json file: parsed JSON, weights by the manifest.
    const json = JSON.parse(JSON.stringify(e.modelJson)) as tf.io.ModelJSON;
    const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      expect(manifest[0].paths).toEqual(['m.weights.bin']);
      return [manifest[0].weights, e.weights];
    });
    const model = await loadLayersModel(tf.io.fromMemory(artifacts));
    expect(model.getUserDefinedMetadata()).toEqual({
      app: 'Backprop Lab',
      ...facts,
      output: 'softmax',
    });
    const p = (model.predict(tf.tensor2d([[2, 1]])) as tf.Tensor).arraySync() as number[][];
    expect(p[0].indexOf(Math.max(...p[0]))).toBe(0);
    model.dispose();
  });

  it('writes no metadata when the model facts are not given', () => {
    const net = serialize(
      createNetwork(
        { inputs: 1, hidden: [], outputs: 1, output: 'linear' },
        { init: 'he', seed: 1 },
      ),
    );
    expect(toTfjsLayers(net).modelJson.userDefinedMetadata).toBeUndefined();
  });
});
