// Export to the TensorFlow.js Layers format: model.json (a Sequential of Dense layers) + weights.bin.
// Our W[l] is (n_l, n_{l-1}); a tfjs Dense kernel is [in, out] = W[l]^T, so it is written transposed.
import {
  LEAKY_RELU_SLOPE,
  type Activation,
  type OutputActivation,
  type SerializedNetwork,
} from '../core/types.ts';

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

/** Builds model.json and weights.bin for `network` (weights file name `weightsFile`). */
export function toTfjsLayers(network: SerializedNetwork, weightsFile = 'weights.bin'): TfjsExport {
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
    },
    weights: data.buffer,
    weightSpecs,
  };
}
