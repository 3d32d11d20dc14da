// Files carry the early-stopping setting and the doctor's finding as messages; files written before
// either existed still import (no patience: trained without early stopping; a cause in English words).
import { describe, expect, it } from 'vitest';
import type { Divergence, TrainConfig } from '../core/types.ts';
import { createNetwork, serialize } from '../core/network.ts';
import { parseTrainConfig } from './validate.ts';
import { runFile, toJson } from './file-export.ts';
import { parseImport } from './file-import.ts';
import type { RunRecord } from './schema.ts';
import { english, englishOf } from './english.test-support.ts';

const config: TrainConfig = {
  hidden: [{ units: 3, activation: 'tanh', keepProb: 1 }],
  init: 'xavier',
  optimizer: 'adam',
  learningRate: 1e6,
  batchSize: 16,
  epochs: 100,
  lambda: 0,
  seed: 3,
  beta1: 0.9,
  beta2: 0.999,
  patience: 12,
};

/** What a student reads when `f` refuses its input ('accepted' when it does not). */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return englishOf(e);
  }
  return 'accepted';
}

describe('early stopping settings', () => {
  it('keeps the patience, leaves an older setting without it, and names a bad one', () => {
    expect(parseTrainConfig(config).patience).toBe(12);
    const { patience: _p, ...older } = config;
    expect(parseTrainConfig(older)).toEqual(older);
    expect(refusal(() => parseTrainConfig({ ...config, patience: 1.5 }))).toBe(
      'config.patience is 1.5; it should be a whole number.',
    );
    expect(refusal(() => parseTrainConfig({ ...config, patience: -1 }))).toBe(
      'config.patience is -1; it should be at least 0.',
    );
  });
});

function run(divergence: unknown): RunRecord {
  const spec = { inputs: 2, outputs: 1, output: 'sigmoid' as const, hidden: config.hidden };
  return {
    id: 'run-1',
    name: 'r',
    created: 1,
    updated: 1,
    status: 'diverged',
    config,
    seed: 3,
    datasetHash: null,
    datasetName: 'd',
    recipe: null,
    spec: serialize(createNetwork(spec)).spec,
    task: 'binary',
    targetName: 'label',
    featureNames: ['x', 'y'],
    classLabels: ['a', 'b'],
    targetScale: null,
    history: [],
    final: null,
    divergence: divergence as Divergence,
    timings: { startedAt: 1, endedAt: 2, elapsedMs: 1 },
    checkpointEpoch: 0,
  };
}

describe("the doctor's finding in a run file", () => {
  it('round-trips as messages with their parameters', () => {
    const d: Divergence = {
      epoch: 1,
      step: 0,
      kind: 'blowup',
      loss: 2.4e6,
      restoredEpoch: 0,
      cause: {
        key: 'trainer.diverge.rate',
        params: {
          kind: 'blowup',
          epoch: 1,
          rate: 1e6,
          loss: 2.4e6,
          baseline: 1.1,
          epochs: 3,
          factor: 10,
        },
      },
      fix: { label: { key: 'trainer.fix.tested', params: { rate: 0.017 } }, learningRate: 0.017 },
    };
    const back = parseImport(toJson(runFile(run(d), null))).runs[0].run.divergence;
    expect(back).toEqual(d);
    expect(english(back!.fix.label)).toBe('Train again with the learning rate 0.017');
  });

  it('reads an older file: English sentences are kept as they are, the kind is NaN/infinity', () => {
    const old = {
      epoch: 3,
      step: 2,
      cause: 'The learning rate 5 is too high: the loss grew to infinity at epoch 3.',
      fix: { label: 'Halve the learning rate to 2.5', learningRate: 2.5 },
    };
    const back = parseImport(toJson(runFile(run(old), null))).runs[0].run.divergence!;
    expect(back.kind).toBe('nan');
    expect(back.restoredEpoch).toBe(2);
    expect(english(back.cause)).toBe(old.cause);
    expect(english(back.fix.label)).toBe(old.fix.label);
    expect(back.fix.learningRate).toBe(2.5);
  });

  it('refuses a message that is neither text nor a key with parameters', () => {
    const bad = { epoch: 1, step: 0, cause: 42, fix: { label: 'x' } };
    expect(refusal(() => parseImport(toJson(runFile(run(bad), null))))).toBe(
      'run.divergence.cause should be a group of named fields, but it is a number.',
    );
  });
});
