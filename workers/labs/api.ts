// The labs' worker API: one object, made by createLabApi(). The worker (workers/labs.worker.ts) makes
// one and exposes it with Comlink; tests make their own and call it in their thread. It keeps the
// inspection sandbox and the example data between calls; ending the worker cancels whatever it does.
import * as Comlink from 'comlink';
import { initParams } from '../core/activations.ts';
import { gradientCheck, type GradientCheckResult } from '../core/network.ts';
import { createRng } from '../core/rng.ts';
import type { LayerParams, NetworkSpec, SerializedNetwork } from '../core/types.ts';
import { exampleData } from './example.ts';
import { firstExamples, initVariants, regularizationVariants, trainLab } from './labs.ts';
import { InspectSandbox } from './sandbox.ts';
import { MessageError, msg } from '../messages/index.ts';
import type {
  GradientCheckRequest,
  Inspection,
  LabData,
  LabInput,
  LabProgress,
  LabRun,
  LabRunOptions,
  LabVariant,
  RegularizationSettings,
  SandboxOptions,
} from './types.ts';

export interface GradientCheckAnswer {
  result: GradientCheckResult;
  /** Training examples the check used. */
  examples: number;
}

/** Least time between two progress reports, ms. */
const PROGRESS_MS = 100;

/** A callback that came through Comlink holds a MessagePort: release it when the call ends. */
function release(callback: unknown): void {
  const r = (callback as { [Comlink.releaseProxy]?: unknown } | undefined)?.[Comlink.releaseProxy];
  if (typeof r === 'function') r();
}

/** Trains each variant in turn on the same data; progress at most every PROGRESS_MS. */
function runVariants(
  data: LabData,
  variants: LabVariant[],
  onProgress?: (p: LabProgress) => void,
): LabRun {
  const total = variants.reduce((s, v) => s + v.options.epochs, 0);
  let before = 0;
  let last = 0;
  const results = [];
  for (const v of variants) {
    results.push(
      trainLab(data, v, (epoch) => {
        const now = Date.now();
        if (onProgress && now - last > PROGRESS_MS) {
          last = now;
          void onProgress({ done: before + epoch, total, label: v.label });
        }
      }),
    );
    before += v.options.epochs;
  }
  return { examples: data.train.m, results };
}

export function createLabApi() {
  let sandbox: InspectSandbox | null = null;
  let example: LabData | null = null;

  /** The request's data (the example set when it has none), the first maxExamples of each split. */
  function dataOf(input: LabInput, spec: NetworkSpec): LabData {
    const d = input.data ?? (example ??= exampleData());
    const cap = Math.max(1, Math.floor(input.maxExamples));
    return {
      task: d.task,
      train: firstExamples(d.train, spec.inputs, spec.outputs, cap),
      dev: firstExamples(d.dev, spec.inputs, spec.outputs, cap),
    };
  }

  function needSandbox(): InspectSandbox {
    if (!sandbox) throw new MessageError(msg('labs.noSandbox'));
    return sandbox;
  }

  return {
    /** The initialization lab: zeros, random, Xavier and He, everything else equal. */
    initLab(
      input: LabInput,
      base: Omit<LabRunOptions, 'init'>,
      onProgress?: (p: LabProgress) => void,
    ): LabRun {
      try {
        return runVariants(dataOf(input, base.spec), initVariants(base), onProgress);
      } finally {
        release(onProgress);
      }
    },

    /** The regularization lab: none, L2, dropout and both, on the same network, seed and split. */
    regularizationLab(
      input: LabInput,
      base: LabRunOptions,
      reg: RegularizationSettings,
      onProgress?: (p: LabProgress) => void,
    ): LabRun {
      try {
        const variants = regularizationVariants(base, reg);
        return runVariants(dataOf(input, base.spec), variants, onProgress);
      } finally {
        release(onProgress);
      }
    },

    /** Starts the inspection sandbox on the training split and inspects its first batch. */
    sandboxStart(input: LabInput, opts: SandboxOptions): Inspection {
      sandbox = new InspectSandbox(dataOf(input, opts.spec).train, opts);
      return sandbox.inspect();
    },

    /** One gradient-descent step of the sandbox, then the next batch's inspection. */
    sandboxStep(): Inspection {
      return needSandbox().step();
    },

    /** The sandbox's current parameters (for the gradient check and the export without a session). */
    sandboxNetwork(): SerializedNetwork {
      return needSandbox().network();
    },

    /** Float64 central-difference gradient check (no dropout) on the first maxExamples training
     *  examples, at most 64 evenly spaced parameters per layer as the trainer does. */
    gradientCheck(input: LabInput, req: GradientCheckRequest): GradientCheckAnswer {
      const { spec } = req;
      const { train } = dataOf(input, spec);
      if (train.m < 1) throw new MessageError(msg('labs.emptyTrain'));
      const params: LayerParams[] =
        req.params === 'sandbox'
          ? needSandbox().network().params
          : initParams(spec, req.params.init, createRng(req.params.seed));
      const result = gradientCheck(
        spec,
        params,
        { rows: spec.inputs, cols: train.m, data: train.x },
        { rows: spec.outputs, cols: train.m, data: train.y },
        { lambda: req.lambda, keepProbs: spec.hidden.map(() => 1), maxPerLayer: 64 },
      );
      return { result, examples: train.m };
    },
  };
}
