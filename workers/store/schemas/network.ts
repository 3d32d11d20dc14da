// A network's shape and weights. The shape is bounded first (the editor's limits, the parameter budget),
// so a huge shape is refused before any weight is looked at; then every W[l] (n_l x n_{l-1}) and b[l]
// (n_l) is checked for its length and for finite numbers within LIMITS.weight, in one plain loop (a
// network may hold ten million numbers).
import * as v from 'valibot';
import {
  ACTIVATIONS,
  LAYER_RANGES,
  MAX_HIDDEN_LAYERS,
  OUTPUT_ACTIVATIONS,
  layerSizes,
  type LayerParams,
  type NetworkSpec,
  type SerializedNetwork,
} from '../../core/types.ts';
import { LIMITS } from '../limits.ts';
import { at, exactly, inRange, kindOf, list, says, shown, whole } from './base.ts';

export const HiddenLayerSchema = v.object({
  units: inRange(LAYER_RANGES.units),
  activation: v.picklist(ACTIVATIONS),
  keepProb: inRange(LAYER_RANGES.keepProb),
});

export const HiddenLayersSchema = list(HiddenLayerSchema, MAX_HIDDEN_LAYERS);

/** Number of parameters a spec needs: sum over layers of n_l * n_{l-1} + n_l. */
export function parameterCount(spec: NetworkSpec): number {
  const sizes = layerSizes(spec);
  let total = 0;
  for (let l = 1; l < sizes.length; l++) total += sizes[l] * sizes[l - 1] + sizes[l];
  return total;
}

export const SpecSchema = v.pipe(
  v.object({
    inputs: whole(1, LIMITS.features),
    hidden: HiddenLayersSchema,
    outputs: whole(1, LIMITS.classes),
    output: v.picklist(OUTPUT_ACTIVATIONS),
  }),
  v.check(
    (spec) => parameterCount(spec) <= LIMITS.parameters,
    (issue) =>
      says('store.file.parameters', {
        count: parameterCount(issue.input as NetworkSpec),
        max: LIMITS.parameters,
      }),
  ),
);

type AddIssue = (info: { message: string; path?: [v.IssuePathItem, ...v.IssuePathItem[]] }) => void;

/** Checks one W or b: a list of `expected` finite numbers within LIMITS.weight. */
function checkNumbers(
  add: (message: string, key?: number) => void,
  x: unknown,
  expected: number,
  rows: number,
  cols: number,
): boolean {
  if (!Array.isArray(x)) {
    add(says('store.file.type', { expected: 'list', received: kindOf(x) }));
    return false;
  }
  if (x.length !== expected) {
    add(says('store.file.matrixSize', { actual: x.length, rows, cols, expected }));
    return false;
  }
  const max = LIMITS.weight;
  for (let i = 0; i < x.length; i++) {
    const w: unknown = x[i];
    if (typeof w === 'number' && w <= max && w >= -max) continue;
    if (typeof w !== 'number') add(says('store.file.weightType', { value: shown(w) }), i);
    else if (!Number.isFinite(w)) add(says('store.file.notFinite'), i);
    else add(says('store.file.weightTooBig', { value: shown(w), max }), i);
    return false;
  }
  return true;
}

function checkParams(spec: NetworkSpec, params: unknown[], addIssue: AddIssue): void {
  const sizes = layerSizes(spec);
  const paramsAt = at('params', params);
  if (params.length !== sizes.length - 1) {
    addIssue({
      message: says('store.file.layerCount', {
        actual: params.length,
        expected: sizes.length - 1,
      }),
      path: [paramsAt],
    });
    return;
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const pAt = at(i, params);
    if (p === null || typeof p !== 'object' || Array.isArray(p)) {
      addIssue({
        message: says('store.file.type', { expected: 'object', received: kindOf(p) }),
        path: [paramsAt, pAt],
      });
      return;
    }
    const layer = p as Record<string, unknown>;
    for (const [name, expected, cols] of [
      ['W', sizes[i + 1] * sizes[i], sizes[i]],
      ['b', sizes[i + 1], 1],
    ] as const) {
      const ok = checkNumbers(
        (message, k) =>
          addIssue({
            message,
            path:
              k === undefined
                ? [paramsAt, pAt, at(name, layer)]
                : [paramsAt, pAt, at(name, layer), at(k, layer[name])],
          }),
        layer[name],
        expected,
        sizes[i + 1],
        cols,
      );
      if (!ok) return;
    }
  }
}

export const NetworkSchema = v.pipe(
  v.object({
    format: exactly('backprop-lab/network' as const, 'store.file.networkFormat'),
    version: exactly(1 as const, 'store.file.networkVersion'),
    spec: SpecSchema,
    params: v.pipe(v.array(v.unknown()), v.maxLength(MAX_HIDDEN_LAYERS + 1)),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) checkParams(dataset.value.spec, dataset.value.params, addIssue);
  }),
  v.transform((o): SerializedNetwork => ({
    format: o.format,
    version: o.version,
    spec: o.spec,
    params: (o.params as LayerParams[]).map((p) => ({ W: p.W, b: p.b })),
  })),
);
