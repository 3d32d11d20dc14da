// The printed run report's facts that take more than reading a field: the network's layers with
// their sizes, activations and parameter counts, and the split as shares of the examples.
import { layerSizes, type NetworkSpec, type TrainConfig } from '../../../workers/core/types.ts';

export interface ReportLayer {
  kind: 'input' | 'hidden' | 'output';
  /** 1-based index of a hidden layer (0 for input and output). */
  index: number;
  units: number;
  activation: string | null;
  keepProb: number | null;
  /** W[l] and b[l]: n_l * n_{l-1} + n_l (0 for the input). */
  params: number;
}

/** The layers of `spec` (dropout's keep probabilities from `config`, whose hidden layers it has). */
export function reportLayers(spec: NetworkSpec, config: TrainConfig | null): ReportLayer[] {
  const sizes = layerSizes(spec);
  const out: ReportLayer[] = [
    { kind: 'input', index: 0, units: sizes[0], activation: null, keepProb: null, params: 0 },
  ];
  spec.hidden.forEach((h, i) => {
    out.push({
      kind: 'hidden',
      index: i + 1,
      units: h.units,
      activation: h.activation,
      keepProb: config?.hidden[i]?.keepProb ?? h.keepProb,
      params: sizes[i + 1] * sizes[i] + sizes[i + 1],
    });
  });
  const L = sizes.length - 1;
  out.push({
    kind: 'output',
    index: 0,
    units: sizes[L],
    activation: spec.output,
    keepProb: null,
    params: sizes[L] * sizes[L - 1] + sizes[L],
  });
  return out;
}

export function totalParams(layers: readonly ReportLayer[]): number {
  return layers.reduce((n, l) => n + l.params, 0);
}

/** The split's shares as fractions of 1 (the settings may hold any positive weights). */
export function splitShares(split: { train: number; dev: number; test: number }): {
  train: number;
  dev: number;
  test: number;
} {
  const sum = split.train + split.dev + split.test;
  if (!(sum > 0)) return { train: 1, dev: 0, test: 0 };
  return { train: split.train / sum, dev: split.dev / sum, test: split.test / sum };
}
