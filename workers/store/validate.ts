// Pure validation of imported files, run BEFORE anything is allocated from them or stored: each
// parse* function turns an unknown value into a typed one or throws an ImportError. Every rejection
// names the field and says what is wrong, in words a student understands.
import type { Recipe } from '../data/types.ts';
import {
  ACTIVATIONS,
  INITS,
  OPTIMIZERS,
  OUTPUT_ACTIVATIONS as OUTPUTS,
  TASKS,
} from '../core/types.ts';
import type {
  EpochMetrics,
  HiddenLayerSpec,
  NetworkSpec,
  SerializedNetwork,
  TrainConfig,
} from '../core/types.ts';

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

export const MB = 1024 * 1024;
/** Size limits, checked on File.size before a byte is read. */
export const LIMITS = {
  /** Any import (the backup of everything is the largest kind). */
  anyFile: 200 * MB,
  model: 50 * MB,
  run: 50 * MB,
  lesson: 100 * MB,
  backup: 200 * MB,
  unitsPerLayer: 4096,
  hiddenLayers: 32,
  parameters: 10_000_000,
  historyRows: 1_000_000,
  nameLength: 200,
  noteLength: 20_000,
  classes: 1000,
  features: 100_000,
} as const;

export type FileKind = 'model' | 'run' | 'lesson' | 'backup';
const KIND_WORDS: Record<FileKind | 'anyFile', string> = {
  model: 'a model file',
  run: 'a run file',
  lesson: 'a lesson pack',
  backup: 'a backup',
  anyFile: 'a file',
};

function mbText(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

/** Refuses a file by its size alone (File.size), so a huge file is never read. */
export function checkFileSize(
  file: { size: number; name?: string },
  kind: FileKind | 'anyFile' = 'anyFile',
): void {
  const limit = LIMITS[kind];
  if (!Number.isFinite(file.size) || file.size < 0)
    throw new ImportError('This file has no readable size. Choose the file again.');
  if (file.size === 0)
    throw new ImportError(
      `${file.name ? `"${file.name}"` : 'This file'} is empty. Choose a file exported by Backprop Lab.`,
    );
  if (file.size > limit) {
    throw new ImportError(
      `${file.name ? `"${file.name}"` : 'This file'} is ${mbText(file.size)}, more than the ${mbText(limit)} allowed for ${KIND_WORDS[kind]}. ` +
        'Nothing was read. Check that it is a file exported by Backprop Lab.',
    );
  }
}

/** Keys that could reach an object's prototype if a file were merged into an object carelessly. The app never
 * merges imported objects (it copies checked fields), so "constructor" or "prototype" keys are harmless
 * (a column may be called that); "__proto__" never appears in our files and is refused outright. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

/** JSON.parse that rejects __proto__ keys and explains truncated or broken JSON. */
export function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key))
        throw new ImportError(
          `The file contains the key "${key}", which is never in a Backprop Lab file. It was refused for safety.`,
        );
      return value;
    });
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const trimmed = text.trimEnd();
    const truncated = trimmed.length > 0 && !/[}\]]$/.test(trimmed);
    throw new ImportError(
      truncated
        ? 'This file is cut short (it ends in the middle of the data). Export it again, or download it again completely.'
        : `This file is not valid JSON (${e instanceof Error ? e.message : String(e)}). Choose a file exported by Backprop Lab.`,
    );
  }
}

// ---- small checkers -------------------------------------------------------------------------

export type Obj = Record<string, unknown>;

export function obj(v: unknown, path: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new ImportError(`${path} should be an object.`);
  return v as Obj;
}
export function arr(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new ImportError(`${path} should be a list.`);
  if (v.length > max)
    throw new ImportError(`${path} has ${v.length} entries; at most ${max} are allowed.`);
  return v;
}
export function str(v: unknown, path: string, max: number = LIMITS.nameLength): string {
  if (typeof v !== 'string') throw new ImportError(`${path} should be text.`);
  if (v.length > max)
    throw new ImportError(`${path} is ${v.length} characters long; at most ${max} are allowed.`);
  return v;
}
export function num(
  v: unknown,
  path: string,
  opts: { min?: number; max?: number; integer?: boolean; minExclusive?: boolean } = {},
): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ImportError(
      `${path} should be a finite number${v === null ? ' (it is empty, NaN or infinite)' : ''}.`,
    );
  if (opts.integer && !Number.isInteger(v))
    throw new ImportError(`${path} should be a whole number (it is ${v}).`);
  if (opts.min !== undefined && (opts.minExclusive ? v <= opts.min : v < opts.min)) {
    throw new ImportError(
      `${path} is ${v}; it should be ${opts.minExclusive ? 'more than' : 'at least'} ${opts.min}.`,
    );
  }
  if (opts.max !== undefined && v > opts.max)
    throw new ImportError(`${path} is ${v}; it should be at most ${opts.max}.`);
  return v;
}
/** A metric: a finite number, or null (how JSON writes NaN) read back as NaN. */
function metric(v: unknown, path: string): number {
  if (v === null) return NaN;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ImportError(`${path} should be a number or empty.`);
  return v;
}
export function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ImportError(
      `${path} is ${JSON.stringify(v)?.slice(0, 40)}; it should be one of ${allowed.join(', ')}.`,
    );
  }
  return v as T;
}
export function strings(v: unknown, path: string, max: number): string[] {
  return arr(v, path, max).map((s, i) => str(s, `${path}[${i + 1}]`));
}

function hiddenLayers(v: unknown, path: string): HiddenLayerSpec[] {
  return arr(v, path, LIMITS.hiddenLayers).map((h, i) => {
    const p = `${path}, hidden layer ${i + 1}`;
    const o = obj(h, p);
    return {
      units: num(o.units, `${p}: units`, { integer: true, min: 1, max: LIMITS.unitsPerLayer }),
      activation: oneOf(o.activation, `${p}: activation`, ACTIVATIONS),
      keepProb: num(o.keepProb, `${p}: keep probability`, { min: 0, minExclusive: true, max: 1 }),
    };
  });
}

export function parseSpec(v: unknown, path = 'The network'): NetworkSpec {
  const o = obj(v, path);
  return {
    inputs: num(o.inputs, `${path}: inputs`, { integer: true, min: 1, max: LIMITS.unitsPerLayer }),
    hidden: hiddenLayers(o.hidden, path),
    outputs: num(o.outputs, `${path}: outputs`, {
      integer: true,
      min: 1,
      max: LIMITS.unitsPerLayer,
    }),
    output: oneOf(o.output, `${path}: output activation`, OUTPUTS),
  };
}

/** Number of parameters a spec needs: sum over layers of n_l * n_{l-1} + n_l. */
export function parameterCount(spec: NetworkSpec): number {
  const sizes = [spec.inputs, ...spec.hidden.map((h) => h.units), spec.outputs];
  let total = 0;
  for (let l = 1; l < sizes.length; l++) total += sizes[l] * sizes[l - 1] + sizes[l];
  return total;
}

/** A serialized network: spec bounded first (so huge shapes are refused before any loop over weights),
 * then every W[l] (n_l x n_{l-1}) and b[l] (n_l) checked for length and finite numbers. */
export function parseNetwork(v: unknown, path = 'The network'): SerializedNetwork {
  const o = obj(v, path);
  if (o.format !== 'backprop-lab/network')
    throw new ImportError(
      `${path} is not a Backprop Lab network (its format is ${JSON.stringify(o.format)?.slice(0, 40)}).`,
    );
  if (o.version !== 1)
    throw new ImportError(
      `${path} uses network format version ${JSON.stringify(o.version)?.slice(0, 20)}; this app reads version 1. Update the app or export it again.`,
    );
  const spec = parseSpec(o.spec, path);
  const count = parameterCount(spec);
  if (count > LIMITS.parameters) {
    throw new ImportError(
      `${path} would have ${count.toLocaleString('en')} parameters; at most ${LIMITS.parameters.toLocaleString('en')} are allowed.`,
    );
  }
  const sizes = [spec.inputs, ...spec.hidden.map((h) => h.units), spec.outputs];
  const params = arr(o.params, `${path}: weights`, LIMITS.hiddenLayers + 1);
  if (params.length !== sizes.length - 1) {
    throw new ImportError(
      `${path} has weights for ${params.length} layers but its shape has ${sizes.length - 1}.`,
    );
  }
  const out = params.map((p, i) => {
    const l = i + 1;
    const po = obj(p, `${path}: layer ${l}`);
    const W = checkNumbers(
      po.W,
      `${path}: W[${l}]`,
      sizes[l] * sizes[l - 1],
      `${sizes[l]} x ${sizes[l - 1]}`,
    );
    const b = checkNumbers(po.b, `${path}: b[${l}]`, sizes[l], `${sizes[l]} x 1`);
    return { W, b };
  });
  return { format: 'backprop-lab/network', version: 1, spec, params: out };
}

function checkNumbers(v: unknown, path: string, expected: number, shape: string): number[] {
  if (!Array.isArray(v)) throw new ImportError(`${path} should be a list of numbers.`);
  if (v.length !== expected)
    throw new ImportError(
      `${path} has ${v.length} numbers but a ${shape} matrix needs ${expected}.`,
    );
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new ImportError(
        `${path}, number ${i + 1}, is ${x === null ? 'empty (NaN or infinity when exported)' : JSON.stringify(x)?.slice(0, 20)}; every weight must be a finite number.`,
      );
    }
  }
  return v as number[];
}

export function parseTrainConfig(v: unknown, path = 'The training settings'): TrainConfig {
  const o = obj(v, path);
  return {
    hidden: hiddenLayers(o.hidden, path),
    init: oneOf(o.init, `${path}: initialization`, INITS),
    optimizer: oneOf(o.optimizer, `${path}: optimizer`, OPTIMIZERS),
    learningRate: num(o.learningRate, `${path}: learning rate`, {
      min: 0,
      minExclusive: true,
      max: 1e6,
    }),
    batchSize: num(o.batchSize, `${path}: batch size`, { integer: true, min: 1, max: 1e7 }),
    epochs: num(o.epochs, `${path}: epochs`, { integer: true, min: 1, max: 1e6 }),
    lambda: num(o.lambda, `${path}: L2 lambda`, { min: 0, max: 1e6 }),
    seed: num(o.seed, `${path}: seed`, { integer: true, min: -(2 ** 53), max: 2 ** 53 }),
    beta1: num(o.beta1, `${path}: beta1`, { min: 0, max: 1 }),
    beta2: num(o.beta2, `${path}: beta2`, { min: 0, max: 1 }),
    // Settings saved before early stopping existed have no patience: they train without it, as they did.
    ...(o.patience === undefined
      ? {}
      : {
          patience: num(o.patience, `${path}: early stopping patience`, {
            integer: true,
            min: 0,
            max: 1e6,
          }),
        }),
  };
}

const METRIC_FIELDS = [
  'trainLoss',
  'devLoss',
  'trainAccuracy',
  'devAccuracy',
  'trainRmse',
  'devRmse',
  'examplesPerSecond',
  'elapsedMs',
] as const;

export function parseHistory(v: unknown, path = 'The history'): EpochMetrics[] {
  return arr(v, path, LIMITS.historyRows).map((r, i) => {
    const p = `${path}, row ${i + 1}`;
    const o = obj(r, p);
    const row = { epoch: num(o.epoch, `${p}: epoch`, { integer: true, min: 0 }) } as EpochMetrics;
    for (const f of METRIC_FIELDS) row[f] = metric(o[f], `${p}: ${f}`);
    return row;
  });
}

/** Numbers by name (final metrics); null means "does not apply" (NaN). */
export function parseMetrics(v: unknown, path: string): Record<string, number> {
  if (v === null || v === undefined) return {};
  const o = obj(v, path);
  const keys = Object.keys(o);
  if (keys.length > 100)
    throw new ImportError(`${path} has ${keys.length} entries; at most 100 are allowed.`);
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = metric(o[k], `${path}: ${k.slice(0, 40)}`);
  return out;
}

export function parseTargetScale(v: unknown, path: string): { mean: number; std: number } | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, path);
  return {
    mean: num(o.mean, `${path}: mean`),
    std: num(o.std, `${path}: std`, { min: 0, minExclusive: true }),
  };
}

/** The preprocessing recipe travels as plain JSON: bounded and checked for the fields prediction uses. */
export function parseRecipe(v: unknown, path = 'The recipe'): Recipe | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, path);
  if (o.version !== 1)
    throw new ImportError(
      `${path} has version ${JSON.stringify(o.version)?.slice(0, 20)}; this app reads version 1.`,
    );
  const cols = arr(o.columns, `${path}: columns`, LIMITS.features);
  cols.forEach((c, i) => {
    const co = obj(c, `${path}: column ${i + 1}`);
    str(co.name, `${path}: column ${i + 1} name`, 1000);
    oneOf(co.kind, `${path}: column ${i + 1} kind`, ['numeric', 'categorical', 'boolean']);
  });
  strings(o.featureNames, `${path}: feature names`, LIMITS.features);
  strings(o.classLabels ?? [], `${path}: class labels`, LIMITS.classes);
  if (o.task !== undefined) oneOf(o.task, `${path}: task`, TASKS);
  parseTargetScale(o.targetScale, `${path}: target scale`);
  return o as unknown as Recipe;
}
