// The network editor's form: what the user typed (strings, so a half-typed "0." is not lost), the
// inline errors per field, the valid TrainConfig it stands for (null while any field is invalid), and
// where it came from (a link's hash, a suggestion for the data, the user's hand).
import type { Activation, Init, OptimizerName, TrainConfig } from '../../../workers/core/types.ts';
import { decodeConfig, encodeConfig } from './config-hash.ts';
import {
  FIELDS,
  MAX_HIDDEN_LAYERS,
  DEFAULT_CONFIG,
  cloneConfig,
  defaultConfig,
  fieldLabel,
  layerLabel,
  parseField,
  parseLayerField,
  suggestConfig,
  type DataShape,
  type LayerField,
  type NumericField,
} from './config.ts';
import { t } from '../i18n/i18n.svelte.ts';

export interface LayerDraft {
  units: string;
  activation: Activation;
  keepProb: string;
}

const NUMERIC = Object.keys(FIELDS) as NumericField[];

function toRaw(c: TrainConfig): Record<NumericField, string> {
  const r = {} as Record<NumericField, string>;
  // A configuration saved before early stopping existed has no patience: off, as it trained.
  for (const f of NUMERIC) r[f] = String(c[f] ?? 0);
  return r;
}

export class ConfigForm {
  raw = $state<Record<NumericField, string>>(toRaw(defaultConfig()));
  layers = $state<LayerDraft[]>([]);
  init = $state<Init>('xavier');
  optimizer = $state<OptimizerName>('adam');
  /** True once the user changed something by hand (then data-driven suggestions no longer replace it). */
  touched = $state(false);
  /** True once the configuration came from a link (suggestions for new data leave it alone too). */
  fromLink = $state(false);
  /** The patience early stopping comes back with when it is turned on again. */
  #patience = String(DEFAULT_CONFIG.patience);

  /** Inline errors keyed by field (`learningRate`, `hidden.0.units`, ...), each naming the field and its range. */
  readonly errors: Record<string, string> = $derived.by(() => {
    const e: Record<string, string> = {};
    for (const f of NUMERIC) {
      const r = parseField(f, this.raw[f]);
      if (r.error !== null) e[f] = r.error;
    }
    this.layers.forEach((l, i) => {
      const u = parseLayerField('units', i, l.units);
      if (u.error !== null) e[`hidden.${i}.units`] = u.error;
      const k = parseLayerField('keepProb', i, l.keepProb);
      if (k.error !== null) e[`hidden.${i}.keepProb`] = k.error;
    });
    return e;
  });

  readonly valid: boolean = $derived(Object.keys(this.errors).length === 0);

  /** What Train says while fields are invalid: one sentence naming them, or null when all are valid. */
  get problem(): string | null {
    const keys = Object.keys(this.errors);
    if (keys.length === 0) return null;
    const names = keys.map((k) => {
      if (k in FIELDS) return fieldLabel(k as NumericField);
      const m = /^hidden\.(\d+)\.(units|keepProb)$/.exec(k);
      return m ? layerLabel(m[2] as LayerField, Number(m[1])) : k;
    });
    return t('train.form.invalid', { fields: names.join(', ') });
  }

  /** The configuration, or null while a field is invalid. A plain object (not a proxy). */
  readonly config: TrainConfig | null = $derived.by(() => {
    if (!this.valid) return null;
    const c = {} as TrainConfig;
    for (const f of NUMERIC) c[f] = Number(this.raw[f].trim());
    c.hidden = this.layers.map((l) => ({
      units: Number(l.units.trim()),
      activation: l.activation,
      keepProb: Number(l.keepProb.trim()),
    }));
    c.init = this.init;
    c.optimizer = this.optimizer;
    return c;
  });

  constructor(initial: TrainConfig = defaultConfig()) {
    this.load(initial);
  }

  /** Replaces the whole form with a configuration (from a link, a suggestion, a replayed run). */
  load(c: TrainConfig): void {
    const copy = cloneConfig(c);
    this.raw = toRaw(copy);
    this.layers = copy.hidden.map((h) => ({
      units: String(h.units),
      activation: h.activation,
      keepProb: String(h.keepProb),
    }));
    this.init = copy.init;
    this.optimizer = copy.optimizer;
    if ((copy.patience ?? 0) > 0) this.#patience = String(copy.patience);
  }

  /** Reads a configuration from a URL hash: null when the hash holds none, else the message about
   * what could not be read (null when everything was). */
  loadHash(hash: string): { message: string | null } | null {
    const d = decodeConfig(hash);
    if (!d.config) return null;
    this.load(d.config);
    this.fromLink = true;
    return { message: d.message };
  }

  /** The URL hash for the current (valid) configuration, or null while a field is invalid. */
  get hash(): string | null {
    const c = this.config;
    return c ? encodeConfig(c) : null;
  }

  /** Loads the settings suggested for new data, unless the user chose some or came with a link. */
  suggest(shape: DataShape): void {
    if (this.touched || this.fromLink) return;
    this.load(suggestConfig(shape, Number(this.raw.seed) || undefined));
  }

  set(field: NumericField, value: string): void {
    this.raw[field] = value;
    this.touched = true;
  }

  /** Early stopping is on: a patience other than 0 (an invalid one counts as on, to be fixed). */
  get earlyStopping(): boolean {
    return Number(this.raw.patience.trim()) !== 0;
  }

  /** Turns early stopping on (with the last patience it had, else the default) or off (patience 0). */
  setEarlyStopping(on: boolean): void {
    if (on === this.earlyStopping) return;
    if (!on) this.#patience = this.raw.patience;
    this.set('patience', on ? this.#patience : '0');
  }

  setLayer(i: number, patch: Partial<LayerDraft>): void {
    const l = this.layers[i];
    if (!l) return;
    Object.assign(l, patch);
    this.touched = true;
  }

  get canAddLayer(): boolean {
    return this.layers.length < MAX_HIDDEN_LAYERS;
  }

  /** Adds a hidden layer after the last one, shaped like it (or 8 tanh units for the first). */
  addLayer(): void {
    if (!this.canAddLayer) return;
    const last = this.layers[this.layers.length - 1];
    this.layers.push(
      last
        ? { units: last.units, activation: last.activation, keepProb: '1' }
        : { units: '8', activation: 'tanh', keepProb: '1' },
    );
    this.touched = true;
  }

  removeLayer(i: number): void {
    if (i < 0 || i >= this.layers.length) return;
    this.layers.splice(i, 1);
    this.touched = true;
  }
}
