// The training configuration as plain data: defaults, the limits of every field, validation with
// messages a student understands, and a versioned URL-hash codec that never throws.
import {
  ACTIVATIONS,
  DEFAULT_BETA1,
  DEFAULT_BETA2,
  INITS,
  OPTIMIZERS,
  RANDOM_INIT_SCALE,
} from '../../../workers/core/types.ts';
import type {
  Activation,
  HiddenLayerSpec,
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

interface Range {
  label: string;
  min: number;
  max: number;
  /** Whether min itself is allowed. */
  minInclusive: boolean;
  /** Whether max itself is allowed. */
  maxInclusive: boolean;
  integer: boolean;
}

export const FIELDS: Record<NumericField, Range> = {
  learningRate: {
    label: 'Learning rate',
    min: 0,
    max: 1e6,
    minInclusive: false,
    maxInclusive: true,
    integer: false,
  },
  batchSize: {
    label: 'Batch size',
    min: 1,
    max: 65536,
    minInclusive: true,
    maxInclusive: true,
    integer: true,
  },
  epochs: {
    label: 'Epochs',
    min: 1,
    max: 100000,
    minInclusive: true,
    maxInclusive: true,
    integer: true,
  },
  seed: {
    label: 'Seed',
    min: 0,
    max: 4294967295,
    minInclusive: true,
    maxInclusive: true,
    integer: true,
  },
  lambda: {
    label: 'L2 lambda',
    min: 0,
    max: 1000,
    minInclusive: true,
    maxInclusive: true,
    integer: false,
  },
  beta1: {
    label: 'Beta 1 (momentum)',
    min: 0,
    max: 1,
    minInclusive: true,
    maxInclusive: false,
    integer: false,
  },
  beta2: {
    label: 'Beta 2 (Adam)',
    min: 0,
    max: 1,
    minInclusive: true,
    maxInclusive: false,
    integer: false,
  },
};

export const LAYER_FIELDS: Record<LayerField, Range> = {
  units: {
    label: 'Units',
    min: 1,
    max: 1024,
    minInclusive: true,
    maxInclusive: true,
    integer: true,
  },
  keepProb: {
    label: 'Keep probability',
    min: 0,
    max: 1,
    minInclusive: false,
    maxInclusive: true,
    integer: false,
  },
};

export const MAX_HIDDEN_LAYERS = 8;

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
  const lo = r.minInclusive ? `at least ${fmt(r.min)}` : `greater than ${fmt(r.min)}`;
  const hi = r.maxInclusive ? `at most ${fmt(r.max)}` : `less than ${fmt(r.max)}`;
  return `${r.integer ? 'a whole number' : 'a number'} ${lo} and ${hi}`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(n);
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

/** Field errors of a whole config, keyed by field name (`learningRate`, `hidden.0.units`, ...). */
export function validateConfig(c: TrainConfig): Record<string, string> {
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

// ---------------------------------------------------------------- URL hash codec
//
// Version 1: `#v=1&hidden=8:tanh:1,8:tanh:0.8&init=xavier&opt=adam&lr=0.01&batch=32&epochs=200&l2=0&seed=42&b1=0.9&b2=0.999`
// Readable, short, and only characters a fragment allows without escaping. A hash without `v=` is not
// a configuration (e.g. `#main` from the skip link) and is ignored.

export const HASH_VERSION = 1;

const HASH_KEYS: Record<NumericField, string> = {
  learningRate: 'lr',
  batchSize: 'batch',
  epochs: 'epochs',
  seed: 'seed',
  lambda: 'l2',
  beta1: 'b1',
  beta2: 'b2',
};

/** Numbers as short as they can be and still read back exactly. */
function num(n: number): string {
  return String(n);
}

export function encodeConfig(c: TrainConfig): string {
  const parts = [`v=${HASH_VERSION}`];
  parts.push(
    `hidden=${c.hidden.map((h) => `${h.units}:${h.activation}:${num(h.keepProb)}`).join(',')}`,
  );
  parts.push(`init=${c.init}`, `opt=${c.optimizer}`);
  for (const f of Object.keys(HASH_KEYS) as NumericField[])
    parts.push(`${HASH_KEYS[f]}=${num(c[f])}`);
  return parts.join('&');
}

export interface DecodedHash {
  /** The configuration from the link (defaults where a part was unreadable), or null when the hash holds none. */
  config: TrainConfig | null;
  /** What could not be read, in plain words, or null when everything was fine. */
  message: string | null;
}

/** Reads a configuration from a URL hash (with or without '#'). Never throws; garbage gives defaults + a message. */
export function decodeConfig(
  hash: string,
  fallback: Readonly<TrainConfig> = DEFAULT_CONFIG,
): DecodedHash {
  let text = hash.startsWith('#') ? hash.slice(1) : hash;
  try {
    text = decodeURIComponent(text);
  } catch {
    // keep the raw text: a stray % must not throw
  }
  const params = new Map<string, string>();
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  if (!params.has('v')) return { config: null, message: null };
  const base = cloneConfig(fallback);
  const v = params.get('v');
  if (v !== String(HASH_VERSION)) {
    return {
      config: base,
      message: `The link's settings are in a format this app does not know (version "${String(v).slice(0, 10)}"); the default settings are used instead.`,
    };
  }
  const bad: string[] = [];
  const c = base;
  for (const f of Object.keys(HASH_KEYS) as NumericField[]) {
    const raw = params.get(HASH_KEYS[f]);
    if (raw === undefined) continue;
    const r = parseField(f, raw);
    if (r.error === null) c[f] = r.value;
    else bad.push(FIELDS[f].label);
  }
  const init = params.get('init');
  if (init !== undefined) {
    if ((INITS as readonly string[]).includes(init)) c.init = init as Init;
    else bad.push('Initialization');
  }
  const opt = params.get('opt');
  if (opt !== undefined) {
    if ((OPTIMIZERS as readonly string[]).includes(opt)) c.optimizer = opt as OptimizerName;
    else bad.push('Optimizer');
  }
  const hidden = params.get('hidden');
  if (hidden !== undefined) {
    const layers = parseHidden(hidden);
    if (layers) c.hidden = layers;
    else bad.push('Hidden layers');
  }
  const message = bad.length
    ? `Some settings in the link could not be read (${bad.join(', ')}); the default values are used for them.`
    : null;
  return { config: c, message };
}

function parseHidden(text: string): HiddenLayerSpec[] | null {
  if (text === '') return [];
  const items = text.split(',');
  if (items.length > MAX_HIDDEN_LAYERS) return null;
  const out: HiddenLayerSpec[] = [];
  for (const [i, item] of items.entries()) {
    const [u, a, k] = item.split(':');
    const units = parseLayerField('units', i, u ?? '');
    const keep = parseLayerField('keepProb', i, k ?? '1');
    if (units.error !== null || keep.error !== null) return null;
    if (!(ACTIVATIONS as readonly string[]).includes(a ?? '')) return null;
    out.push({ units: units.value, activation: a as Activation, keepProb: keep.value });
  }
  return out;
}

export function configsEqual(a: TrainConfig, b: TrainConfig): boolean {
  return encodeConfig(a) === encodeConfig(b);
}
