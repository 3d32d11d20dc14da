// Export to the TensorFlow.js Layers format: model.json (a Sequential of Dense layers) + weights.bin.
// Our W[l] is (n_l, n_{l-1}); a tfjs Dense kernel is [in, out] = W[l]^T, so it is written transposed.
// model.json's userDefinedMetadata says how raw rows become the model's inputs (feature names in
// order, the fitted recipe) and what its outputs mean (class labels, the target's scale), so a model
// loaded with tf.loadLayersModel can be fed raw rows (model.getUserDefinedMetadata()).
import {
  LEAKY_RELU_SLOPE,
  type Activation,
  type OutputActivation,
  type SerializedNetwork,
  type Task,
} from '../core/types.ts';
import type { StoredRecipe } from './schema.ts';

type TfActivation = 'sigmoid' | 'tanh' | 'relu' | 'linear' | 'softmax';

interface TfLayer {
  class_name: 'Dense' | 'LeakyReLU';
  config: Record<string, unknown>;
}

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: {
    class_name: 'Sequential';
    config: { name: string; layers: TfLayer[] };
    keras_version: string;
    backend: string;
  };
  weightsManifest: Array<{ paths: string[]; weights: TfjsWeightSpec[] }>;
  userDefinedMetadata?: TfjsMetadata;
}

/** What a model needs beside its weights to be used on raw rows (plain JSON). */
export interface TfjsMetadata {
  app: string;
  /** The model's input columns, in order: the features the recipe makes from the raw columns. */
  featureNames: string[];
  /** Output j is the probability of classLabels[j] (softmax); a sigmoid output is that of classLabels[1]. */
  classLabels: string[];
  targetName: string;
  task: Task | null;
  /** The output's activation: 'sigmoid', 'softmax' or 'linear'. */
  output: OutputActivation;
  /** Regression: prediction = output * std + mean (null when the target was not standardized). */
  targetScale: { mean: number; std: number } | null;
  /** The fitted recipe (imputation, one-hot categories, standardization) to apply to raw rows first. */
  recipe: StoredRecipe;
}

/** The model facts the metadata is made of (a ModelRecord satisfies it). */
export interface TfjsModelFacts {
  featureNames: string[];
  classLabels: string[];
  targetName: string;
  task: Task | null;
  targetScale: { mean: number; std: number } | null;
  recipe: StoredRecipe;
}

export interface TfjsExport {
  modelJson: TfjsModelJson;
  /** All weights, float32, in the manifest's order. */
  weights: ArrayBuffer;
  weightSpecs: TfjsWeightSpec[];
}

/** Our activation -> tfjs's, plus a separate LeakyReLU layer (tfjs has no leaky_relu activation string). */
function mapActivation(a: Activation | OutputActivation): {
  activation: TfActivation;
  leaky: boolean;
} {
  if (a === 'leaky_relu') return { activation: 'linear', leaky: true };
  return { activation: a, leaky: false };
}

/** The userDefinedMetadata of a model, as plain JSON (NaN and undefined do not survive). */
export function tfjsMetadata(network: SerializedNetwork, facts: TfjsModelFacts): TfjsMetadata {
  const meta: TfjsMetadata = {
    app: 'Backprop Lab',
    featureNames: facts.featureNames,
    classLabels: facts.classLabels,
    targetName: facts.targetName,
    task: facts.task,
    output: network.spec.output,
    targetScale: facts.targetScale,
    recipe: facts.recipe,
  };
  return JSON.parse(JSON.stringify(meta)) as TfjsMetadata;
}

/** Builds model.json and weights.bin for `network` (weights file name `weightsFile`), with the
 * model's facts as userDefinedMetadata when given. */
export function toTfjsLayers(
  network: SerializedNetwork,
  weightsFile = 'weights.bin',
  facts?: TfjsModelFacts,
): TfjsExport {
  const { spec, params } = network;
  const sizes = [spec.inputs, ...spec.hidden.map((h) => h.units), spec.outputs];
  const acts: Array<Activation | OutputActivation> = [
    ...spec.hidden.map((h) => h.activation),
    spec.output,
  ];
  const layers: TfLayer[] = [];
  const weightSpecs: TfjsWeightSpec[] = [];
  const total = params.reduce((n, p) => n + p.W.length + p.b.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (let l = 1; l < sizes.length; l++) {
    const nIn = sizes[l - 1];
    const nOut = sizes[l];
    const { W, b } = params[l - 1];
    if (W.length !== nIn * nOut || b.length !== nOut) {
      throw new Error(
        `W[${l}] should be ${nOut} x ${nIn} and b[${l}] ${nOut} x 1 (got ${W.length} and ${b.length} numbers).`,
      );
    }
    const name = `dense_${l}`;
    const { activation, leaky } = mapActivation(acts[l - 1]);
    layers.push({
      class_name: 'Dense',
      config: {
        name,
        units: nOut,
        activation,
        use_bias: true,
        trainable: true,
        dtype: 'float32',
        ...(l === 1 ? { batch_input_shape: [null, nIn] } : {}),
      },
    });
    if (leaky)
      layers.push({
        class_name: 'LeakyReLU',
        config: {
          name: `leaky_re_lu_${l}`,
          alpha: LEAKY_RELU_SLOPE,
          trainable: true,
          dtype: 'float32',
        },
      });
    weightSpecs.push({ name: `${name}/kernel`, shape: [nIn, nOut], dtype: 'float32' });
    weightSpecs.push({ name: `${name}/bias`, shape: [nOut], dtype: 'float32' });
    // kernel[i][j] (in i, out j) = W[j][i]
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) data[offset++] = W[j * nIn + i];
    for (let j = 0; j < nOut; j++) data[offset++] = b[j];
  }
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'Backprop Lab',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'backprop_lab', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [weightsFile], weights: weightSpecs }],
      ...(facts ? { userDefinedMetadata: tfjsMetadata(network, facts) } : {}),
    },
    weights: data.buffer,
    weightSpecs,
  };
}
