// The training configuration as plain data: defaults, the limits of every field, and validation with
// messages a student understands. The URL-hash codec is in config-hash.ts.
import {
  ACTIVATIONS,
  CONFIG_RANGES,
  DEFAULT_BETA1,
  DEFAULT_BETA2,
  INITS,
  LAYER_RANGES,
  MAX_HIDDEN_LAYERS,
  OPTIMIZERS,
  RANDOM_INIT_SCALE,
} from '../../../workers/core/types.ts';
import type {
  Activation,
  FieldRange,
  Init,
  OptimizerName,
  OutputActivation,
  Task,
  TrainConfig,
} from '../../../workers/core/types.ts';

export { ACTIVATIONS, INITS, OPTIMIZERS };

export const ACTIVATION_LABELS: Record<Activation, string> = {
  tanh: 'tanh',
  relu: 'ReLU',
  leaky_relu: 'leaky ReLU',
  sigmoid: 'sigmoid',
  linear: 'linear (none)',
};
export const INIT_LABELS: Record<Init, string> = {
  xavier: 'Xavier: randn x sqrt(1/n_prev)',
  he: 'He: randn x sqrt(2/n_prev)',
  random: `Random: randn x ${RANDOM_INIT_SCALE}`,
  zeros: 'Zeros (shows the symmetry problem)',
};
export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  adam: 'Adam',
  momentum: 'Momentum',
  sgd: 'Mini-batch SGD',
  gd: 'Batch gradient descent',
};

/** Numeric fields of TrainConfig, with their label (the accessible name of the input) and valid range. */
export type NumericField =
  'learningRate' | 'batchSize' | 'epochs' | 'seed' | 'lambda' | 'beta1' | 'beta2';
export type LayerField = 'units' | 'keepProb';

interface Range extends FieldRange {
  label: string;
}

// The ranges are core's (CONFIG_RANGES, LAYER_RANGES): files and the URL hash are checked against the same.
export const FIELDS: Record<NumericField, Range> = {
  learningRate: { label: 'Learning rate', ...CONFIG_RANGES.learningRate },
  batchSize: { label: 'Batch size', ...CONFIG_RANGES.batchSize },
  epochs: { label: 'Epochs', ...CONFIG_RANGES.epochs },
  seed: { label: 'Seed', ...CONFIG_RANGES.seed },
  lambda: { label: 'L2 lambda', ...CONFIG_RANGES.lambda },
  beta1: { label: 'Beta 1 (momentum)', ...CONFIG_RANGES.beta1 },
  beta2: { label: 'Beta 2 (Adam)', ...CONFIG_RANGES.beta2 },
};

export const LAYER_FIELDS: Record<LayerField, Range> = {
  units: { label: 'Units', ...LAYER_RANGES.units },
  keepProb: { label: 'Keep probability', ...LAYER_RANGES.keepProb },
};

export { MAX_HIDDEN_LAYERS };

const DEFAULTS: TrainConfig = {
  hidden: [
    { units: 8, activation: 'tanh', keepProb: 1 },
    { units: 8, activation: 'tanh', keepProb: 1 },
  ],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 32,
  epochs: 500,
  lambda: 0,
  seed: 42,
  beta1: DEFAULT_BETA1,
  beta2: DEFAULT_BETA2,
};
export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze(DEFAULTS);

/** A deep copy of the defaults (the frozen object is never handed out). */
export function defaultConfig(): TrainConfig {
  return cloneConfig(DEFAULT_CONFIG);
}

export function cloneConfig(c: Readonly<TrainConfig>): TrainConfig {
  return { ...c, hidden: c.hidden.map((h) => ({ ...h })) };
}

/** The shape of the data a suggestion is made for. */
export interface DataShape {
  task: Task;
  /** n_x */
  inputs: number;
  /** Training examples m. */
  examples: number;
}

/** Settings that train well on data of this shape (found by trying on the built-in samples). */
export function suggestConfig(shape: DataShape, seed = DEFAULT_CONFIG.seed): TrainConfig {
  const c = defaultConfig();
  c.seed = seed;
  if (shape.inputs > 100) {
    // Images and other wide data: ReLU with He initialization, a smaller Adam step, few epochs.
    c.hidden = [
      { units: 128, activation: 'relu', keepProb: 1 },
      { units: 64, activation: 'relu', keepProb: 1 },
    ];
    c.init = 'he';
    c.learningRate = 0.001;
    c.batchSize = 64;
    c.epochs = 10;
  } else if (shape.inputs > 3) {
    // Small tables (iris, penguins): one modest hidden layer is plenty.
    c.hidden = [{ units: 16, activation: 'tanh', keepProb: 1 }];
    c.learningRate = 0.01;
    c.batchSize = 16;
    c.epochs = 100;
  }
  // Few examples: full-size mini-batches would be the whole set anyway.
  if (shape.examples > 0 && shape.examples < c.batchSize) c.batchSize = Math.max(1, shape.examples);
  return c;
}

/** The output layer and loss follow from the task. */
export function outputFor(
  task: Task,
  classes: number,
): { outputs: number; output: OutputActivation; loss: string; lossLabel: string } {
  if (task === 'binary')
    return {
      outputs: 1,
      output: 'sigmoid',
      loss: 'binary_cross_entropy',
      lossLabel: 'binary cross-entropy',
    };
  if (task === 'multiclass')
    return {
      outputs: Math.max(2, classes),
      output: 'softmax',
      loss: 'categorical_cross_entropy',
      lossLabel: 'categorical cross-entropy',
    };
  return { outputs: 1, output: 'linear', loss: 'mse', lossLabel: 'mean squared error' };
}

function describeRange(r: Range): string {
  const lo = r.minInclusive ? `at least ${r.min}` : `greater than ${r.min}`;
  const hi = r.maxInclusive ? `at most ${r.max}` : `less than ${r.max}`;
  return `${r.integer ? 'a whole number' : 'a number'} ${lo} and ${hi}`;
}

/** Parses a typed value against a field's range: the number, or a message naming the field and the valid range. */
export function parseInRange(
  raw: string | number,
  r: Range,
  label = r.label,
): { value: number; error: null } | { value: null; error: string } {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  const need = `${label} must be ${describeRange(r)}`;
  if (text === '') return { value: null, error: `${label} is empty: enter ${describeRange(r)}.` };
  const v = Number(text);
  if (!Number.isFinite(v))
    return { value: null, error: `${need}; "${text.slice(0, 20)}" is not a number.` };
  if (r.integer && !Number.isInteger(v))
    return { value: null, error: `${need}; ${text.slice(0, 20)} has a fraction.` };
  const lowOk = r.minInclusive ? v >= r.min : v > r.min;
  const highOk = r.maxInclusive ? v <= r.max : v < r.max;
  if (!lowOk || !highOk)
    return { value: null, error: `${need}; ${text.slice(0, 20)} is out of range.` };
  return { value: v, error: null };
}

export function parseField(
  field: NumericField,
  raw: string | number,
): { value: number; error: null } | { value: null; error: string } {
  return parseInRange(raw, FIELDS[field]);
}

export function layerLabel(field: LayerField, index: number): string {
  return `${LAYER_FIELDS[field].label} of hidden layer ${index + 1}`;
}

export function parseLayerField(field: LayerField, index: number, raw: string | number) {
  return parseInRange(raw, LAYER_FIELDS[field], layerLabel(field, index));
}

/** Field errors of a whole config, keyed by field name (`learningRate`, `hidden.0.units`, ...); empty
 * when every field is valid. */
export function configErrors(c: TrainConfig): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of Object.keys(FIELDS) as NumericField[]) {
    const r = parseField(f, c[f]);
    if (r.error) errors[f] = r.error;
  }
  if (!Array.isArray(c.hidden) || c.hidden.length > MAX_HIDDEN_LAYERS) {
    errors.hidden = `A network here has at most ${MAX_HIDDEN_LAYERS} hidden layers; remove some.`;
  } else {
    c.hidden.forEach((h, i) => {
      for (const f of ['units', 'keepProb'] as LayerField[]) {
        const r = parseLayerField(f, i, h[f]);
        if (r.error) errors[`hidden.${i}.${f}`] = r.error;
      }
      if (!ACTIVATIONS.includes(h.activation))
        errors[`hidden.${i}.activation`] =
          `Activation of hidden layer ${i + 1} must be one of ${ACTIVATIONS.join(', ')}.`;
    });
  }
  if (!INITS.includes(c.init)) errors.init = `Initialization must be one of ${INITS.join(', ')}.`;
  if (!OPTIMIZERS.includes(c.optimizer))
    errors.optimizer = `Optimizer must be one of ${OPTIMIZERS.join(', ')}.`;
  return errors;
}
