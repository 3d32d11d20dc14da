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
  PATIENCE_MAX,
  RANDOM_INIT_SCALE,
  patienceFor,
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
import type { MessageKey } from '../i18n/keys.ts';
import { t } from '../i18n/i18n.svelte.ts';

export { ACTIVATIONS, INITS, OPTIMIZERS };

const ACTIVATION_KEYS: Record<Activation, MessageKey> = {
  tanh: 'train.activation.tanh',
  relu: 'train.activation.relu',
  leaky_relu: 'train.activation.leakyRelu',
  sigmoid: 'train.activation.sigmoid',
  linear: 'train.activation.linear',
};
const INIT_KEYS: Record<Init, MessageKey> = {
  xavier: 'train.init.xavier',
  he: 'train.init.he',
  random: 'train.init.random',
  zeros: 'train.init.zeros',
};
const OPTIMIZER_KEYS: Record<OptimizerName, MessageKey> = {
  adam: 'train.optimizer.adam',
  momentum: 'train.optimizer.momentum',
  sgd: 'train.optimizer.sgd',
  gd: 'train.optimizer.gd',
};

/** The names of the choices, in the page's language. */
export const activationLabel = (a: Activation): string => t(ACTIVATION_KEYS[a]);
export const initLabel = (i: Init): string => t(INIT_KEYS[i], { scale: RANDOM_INIT_SCALE });
export const optimizerLabel = (o: OptimizerName): string => t(OPTIMIZER_KEYS[o]);

/** Numeric fields of TrainConfig, with their label (the accessible name of the input) and valid range. */
export type NumericField =
  'learningRate' | 'batchSize' | 'epochs' | 'seed' | 'lambda' | 'beta1' | 'beta2' | 'patience';
export type LayerField = 'units' | 'keepProb';

interface Range extends FieldRange {
  /** The field's name (the accessible name of its input). */
  label: MessageKey;
}

// The ranges are core's (CONFIG_RANGES, LAYER_RANGES): files and the URL hash are checked against the same.
export const FIELDS: Record<NumericField, Range> = {
  learningRate: { label: 'train.field.learningRate', ...CONFIG_RANGES.learningRate },
  batchSize: { label: 'train.field.batchSize', ...CONFIG_RANGES.batchSize },
  epochs: { label: 'train.field.epochs', ...CONFIG_RANGES.epochs },
  seed: { label: 'train.field.seed', ...CONFIG_RANGES.seed },
  lambda: { label: 'train.field.lambda', ...CONFIG_RANGES.lambda },
  beta1: { label: 'train.field.beta1', ...CONFIG_RANGES.beta1 },
  beta2: { label: 'train.field.beta2', ...CONFIG_RANGES.beta2 },
  // Early stopping's patience in epochs; 0 turns early stopping off.
  patience: { label: 'train.field.patience', ...CONFIG_RANGES.patience },
};

export const LAYER_FIELDS: Record<LayerField, Range> = {
  units: { label: 'train.layer.units', ...LAYER_RANGES.units },
  keepProb: { label: 'train.layer.keepProb', ...LAYER_RANGES.keepProb },
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
  // Early stopping on, at its longest patience; a suggestion for the data sets one for its size.
  patience: PATIENCE_MAX,
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
  // Early stopping on, with a patience of about PATIENCE_STEPS optimizer steps for this data size.
  if (shape.examples > 0) c.patience = patienceFor(shape.examples, c.batchSize, c.optimizer);
  return c;
}

/** The output layer and loss follow from the task. */
export function outputFor(
  task: Task,
  classes: number,
): { outputs: number; output: OutputActivation; loss: string; lossLabel: MessageKey } {
  if (task === 'binary')
    return {
      outputs: 1,
      output: 'sigmoid',
      loss: 'binary_cross_entropy',
      lossLabel: 'train.loss.binary',
    };
  if (task === 'multiclass')
    return {
      outputs: Math.max(2, classes),
      output: 'softmax',
      loss: 'categorical_cross_entropy',
      lossLabel: 'train.loss.categorical',
    };
  return { outputs: 1, output: 'linear', loss: 'mse', lossLabel: 'train.loss.mse' };
}

function describeRange(r: FieldRange): string {
  return t('train.range', {
    integer: r.integer ? 'yes' : 'no',
    min: r.min,
    max: r.max,
    minInclusive: r.minInclusive ? 'yes' : 'no',
    maxInclusive: r.maxInclusive ? 'yes' : 'no',
  });
}

/** A numeric field's name in the page's language. */
export function fieldLabel(field: NumericField): string {
  return t(FIELDS[field].label);
}

/** Parses a typed value against a field's range: the number, or a message naming the field and the valid range. */
export function parseInRange(
  raw: string | number,
  r: FieldRange,
  label: string,
): { value: number; error: null } | { value: null; error: string } {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  const say = (key: MessageKey) =>
    t(key, { field: label, range: describeRange(r), text: text.slice(0, 20) });
  if (text === '') return { value: null, error: say('train.field.empty') };
  const v = Number(text);
  if (!Number.isFinite(v)) return { value: null, error: say('train.field.notNumber') };
  if (r.integer && !Number.isInteger(v)) return { value: null, error: say('train.field.fraction') };
  const lowOk = r.minInclusive ? v >= r.min : v > r.min;
  const highOk = r.maxInclusive ? v <= r.max : v < r.max;
  if (!lowOk || !highOk) return { value: null, error: say('train.field.outOfRange') };
  return { value: v, error: null };
}

export function parseField(
  field: NumericField,
  raw: string | number,
): { value: number; error: null } | { value: null; error: string } {
  return parseInRange(raw, FIELDS[field], fieldLabel(field));
}

export function layerLabel(field: LayerField, index: number): string {
  return t(LAYER_FIELDS[field].label, { n: index + 1 });
}

export function parseLayerField(field: LayerField, index: number, raw: string | number) {
  return parseInRange(raw, LAYER_FIELDS[field], layerLabel(field, index));
}

/** Field errors of a whole config, keyed by field name (`learningRate`, `hidden.0.units`, ...); empty
 * when every field is valid. */
export function configErrors(c: TrainConfig): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of Object.keys(FIELDS) as NumericField[]) {
    // A configuration saved before early stopping existed has no patience: off, as it trained.
    const r = parseField(f, c[f] ?? 0);
    if (r.error) errors[f] = r.error;
  }
  if (!Array.isArray(c.hidden) || c.hidden.length > MAX_HIDDEN_LAYERS) {
    errors.hidden = t('train.error.tooManyLayers', { max: MAX_HIDDEN_LAYERS });
  } else {
    c.hidden.forEach((h, i) => {
      for (const f of ['units', 'keepProb'] as LayerField[]) {
        const r = parseLayerField(f, i, h[f]);
        if (r.error) errors[`hidden.${i}.${f}`] = r.error;
      }
      if (!ACTIVATIONS.includes(h.activation))
        errors[`hidden.${i}.activation`] = t('train.error.activation', {
          n: i + 1,
          list: ACTIVATIONS.join(', '),
        });
    });
  }
  if (!INITS.includes(c.init)) errors.init = t('train.error.init', { list: INITS.join(', ') });
  if (!OPTIMIZERS.includes(c.optimizer))
    errors.optimizer = t('train.error.optimizer', { list: OPTIMIZERS.join(', ') });
  return errors;
}
