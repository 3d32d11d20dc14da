// The training configuration in a URL hash: a versioned codec that never throws, so a link carries a
// whole configuration and a damaged link gives the defaults and a message.
import {
  ACTIVATIONS,
  INITS,
  OPTIMIZERS,
  type Activation,
  type HiddenLayerSpec,
  type Init,
  type OptimizerName,
  type TrainConfig,
} from '../../../workers/core/types.ts';
import {
  DEFAULT_CONFIG,
  MAX_HIDDEN_LAYERS,
  cloneConfig,
  fieldLabel,
  parseField,
  parseLayerField,
  type NumericField,
} from './config.ts';
import { t } from '../i18n/i18n.svelte.ts';

// Version 1: `#v=1&hidden=8:tanh:1,8:tanh:0.8&init=xavier&opt=adam&lr=0.01&batch=32&epochs=200&l2=0&seed=42&b1=0.9&b2=0.999&patience=20`
// (`patience`, early stopping's, came later: a link without it trains without early stopping, as then.)
// Readable, short, and only characters a fragment allows without escaping. A hash without `v=` is not
// a configuration (e.g. `#main` from the skip link) and is ignored.

export const HASH_VERSION = 1;

/** A shared lesson's data part (source, data settings, the data itself) rides in the same hash under
 * this key: compressed and base64url-encoded by share-link.ts. decodeConfig ignores it. */
export const LESSON_KEY = 'lesson';

/** The hash's parameters, split at '&' and '=' (a part without '=' is skipped). */
function hashParams(hash: string): Map<string, string> {
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
  return params;
}

/** The packed lesson in a hash, or null when it carries none. */
export function lessonParam(hash: string): string | null {
  const params = hashParams(hash);
  return params.has('v') ? (params.get(LESSON_KEY) ?? null) : null;
}

/** A configuration hash (encodeConfig's) with a packed lesson added. */
export function withLesson(configHash: string, packed: string | null): string {
  return packed ? `${configHash}&${LESSON_KEY}=${packed}` : configHash;
}

const HASH_KEYS: Record<NumericField, string> = {
  learningRate: 'lr',
  batchSize: 'batch',
  epochs: 'epochs',
  seed: 'seed',
  lambda: 'l2',
  beta1: 'b1',
  beta2: 'b2',
  patience: 'patience',
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
    parts.push(`${HASH_KEYS[f]}=${num(c[f] ?? 0)}`);
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
  const params = hashParams(hash);
  if (!params.has('v')) return { config: null, message: null };
  const base = cloneConfig(fallback);
  const v = params.get('v');
  if (v !== String(HASH_VERSION)) {
    return {
      config: base,
      message: t('train.link.version', { version: String(v).slice(0, 10) }),
    };
  }
  const bad: string[] = [];
  const c = base;
  // A link made before early stopping existed trains without it, as it did then.
  if (!params.has(HASH_KEYS.patience)) c.patience = 0;
  for (const f of Object.keys(HASH_KEYS) as NumericField[]) {
    const raw = params.get(HASH_KEYS[f]);
    if (raw === undefined) continue;
    const r = parseField(f, raw);
    if (r.error === null) c[f] = r.value;
    else bad.push(fieldLabel(f));
  }
  const init = params.get('init');
  if (init !== undefined) {
    if ((INITS as readonly string[]).includes(init)) c.init = init as Init;
    else bad.push(t('train.init.label'));
  }
  const opt = params.get('opt');
  if (opt !== undefined) {
    if ((OPTIMIZERS as readonly string[]).includes(opt)) c.optimizer = opt as OptimizerName;
    else bad.push(t('train.optimizer.label'));
  }
  const hidden = params.get('hidden');
  if (hidden !== undefined) {
    const layers = parseHidden(hidden);
    if (layers) c.hidden = layers;
    else bad.push(t('train.link.hiddenLayers'));
  }
  const message = bad.length ? t('train.link.unreadable', { fields: bad.join(', ') }) : null;
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
