// The labs' worker: trains the initialization and regularization variants with the engine's library
// API off the main thread, and runs the float64 gradient check. One API object, typed from here.
import * as Comlink from 'comlink';
import { gradientCheck, type GradientCheckResult } from '../../../workers/core/network.ts';
import type { LayerParams, NetworkSpec, SerializedNetwork } from '../../../workers/core/types.ts';
import {
  trainLab,
  type LabData,
  type LabRunResult,
  type LabSplit,
  type LabVariant,
} from './labs.ts';
import { InspectSandbox, type Inspection, type SandboxOptions } from './inspect.ts';

let sandbox: InspectSandbox | null = null;

export interface LabProgress {
  /** Epochs done over all variants, and the total. */
  done: number;
  total: number;
  /** The variant being trained. */
  label: string;
}

const labApi = {
  /** Trains each variant in turn; progress at most every 100 ms. */
  run(
    data: LabData,
    variants: LabVariant[],
    onProgress?: (p: LabProgress) => void,
  ): LabRunResult[] {
    const total = variants.reduce((s, v) => s + v.options.epochs, 0);
    let before = 0;
    let last = 0;
    const results: LabRunResult[] = [];
    for (const v of variants) {
      results.push(
        trainLab(data, v, (epoch) => {
          const now = Date.now();
          if (onProgress && now - last > 100) {
            last = now;
            void onProgress({ done: before + epoch, total, label: v.label });
          }
        }),
      );
      before += v.options.epochs;
    }
    return results;
  },

  /** Starts the inspection sandbox (used when no training session is prepared) and inspects batch 1. */
  sandboxStart(train: LabSplit, opts: SandboxOptions): Inspection {
    sandbox = new InspectSandbox(train, opts);
    return sandbox.inspect();
  },

  /** One gradient-descent step of the sandbox, then the next batch's inspection. */
  sandboxStep(): Inspection {
    if (!sandbox) throw new Error('Start the inspection first.');
    return sandbox.step();
  },

  /** The sandbox's current parameters (for the gradient check and the export when no session exists). */
  sandboxNetwork(): SerializedNetwork {
    if (!sandbox) throw new Error('Start the inspection first.');
    return sandbox.network();
  },

  /** Float64 central-difference gradient check (no dropout), on at most 64 evenly spaced parameters per
   *  layer as the trainer does. x is (n_x, m), y is (n_y, m). */
  gradientCheck(
    spec: NetworkSpec,
    params: LayerParams[],
    x: Float32Array,
    y: Float32Array,
    m: number,
    lambda: number,
  ): GradientCheckResult {
    const noDrop = spec.hidden.map(() => 1);
    return gradientCheck(
      spec,
      params,
      { rows: spec.inputs, cols: m, data: x },
      { rows: spec.outputs, cols: m, data: y },
      { lambda, keepProbs: noDrop, maxPerLayer: 64 },
    );
  },
};

Comlink.expose(labApi);
export type LabApi = typeof labApi;
