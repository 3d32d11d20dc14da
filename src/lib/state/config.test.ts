import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import {
  defaultConfig,
  outputFor,
  parseField,
  parseLayerField,
  suggestConfig,
  configErrors,
} from './config.ts';
import { PATIENCE_MAX, PATIENCE_MIN, PATIENCE_STEPS } from '../../../workers/core/types.ts';

beforeAll(() => i18n.use('en', false));

describe('config validation', () => {
  it('accepts the defaults and every suggestion', () => {
    expect(configErrors(defaultConfig())).toEqual({});
    for (const inputs of [2, 4, 784])
      expect(configErrors(suggestConfig({ task: 'binary', inputs, examples: 500 }))).toEqual({});
  });

  it('names the field and the valid range', () => {
    const r = parseField('learningRate', '0');
    expect(r.value).toBeNull();
    expect(r.error).toMatch(/Learning rate/);
    expect(r.error).toMatch(/greater than 0/);
    expect(r.error).toMatch(/at most 1000000/);
    expect(parseField('batchSize', '2.5').error).toMatch(/Batch size must be a whole number/);
    expect(parseField('epochs', '').error).toMatch(/Epochs is empty/);
    expect(parseField('seed', '-1').error).toMatch(/Seed must be a whole number at least 0/);
    expect(parseField('beta1', '1').error).toMatch(/less than 1/);
    expect(parseField('lambda', 'abc').error).toMatch(/"abc" is not a number/);
    expect(parseLayerField('keepProb', 1, '0').error).toMatch(
      /Keep probability of hidden layer 2 must be a number greater than 0/,
    );
    expect(parseLayerField('units', 0, '1025').error).toMatch(
      /Units of hidden layer 1 .* at most 1024/,
    );
  });

  it('accepts boundary values and a huge (diverging) learning rate', () => {
    expect(parseField('learningRate', '1e6').value).toBe(1e6);
    expect(parseField('beta1', '0').value).toBe(0);
    expect(parseLayerField('keepProb', 0, '1').value).toBe(1);
    expect(parseField('seed', ' 7 ').value).toBe(7);
  });

  it('reports every bad field of a config by key', () => {
    const c = defaultConfig();
    c.learningRate = -1;
    c.hidden[1].units = 0;
    c.hidden[0].keepProb = 2;
    c.epochs = Number.NaN;
    expect(Object.keys(configErrors(c)).sort()).toEqual([
      'epochs',
      'hidden.0.keepProb',
      'hidden.1.units',
      'learningRate',
    ]);
  });
});

describe('suggestions and output layer', () => {
  it('suggests wide ReLU/He for image-sized inputs and tanh for 2-D data', () => {
    const wide = suggestConfig({ task: 'multiclass', inputs: 784, examples: 1000 });
    expect(wide.hidden.map((h) => h.units)).toEqual([128, 64]);
    expect(wide.init).toBe('he');
    const flat = suggestConfig({ task: 'binary', inputs: 2, examples: 700 });
    expect(flat.hidden.every((h) => h.activation === 'tanh')).toBe(true);
    expect(suggestConfig({ task: 'binary', inputs: 2, examples: 10 }).batchSize).toBe(10);
  });

  it('suggests early stopping with a patience of about PATIENCE_STEPS steps for the data size', () => {
    // diabetes: 309 training examples in batches of 16 = 20 steps an epoch; 300 steps = 15 epochs.
    const diabetes = suggestConfig({ task: 'regression', inputs: 10, examples: 309 });
    expect(diabetes.batchSize).toBe(16);
    expect(diabetes.patience).toBe(Math.ceil(PATIENCE_STEPS / 20));
    // Few examples: one step an epoch; the patience is capped.
    expect(suggestConfig({ task: 'binary', inputs: 2, examples: 10 }).patience).toBe(PATIENCE_MAX);
    // Many examples: many steps an epoch; at least PATIENCE_MIN epochs.
    expect(suggestConfig({ task: 'multiclass', inputs: 784, examples: 60000 }).patience).toBe(
      PATIENCE_MIN,
    );
  });

  it('derives the output layer and loss from the task', () => {
    expect(outputFor('binary', 2)).toMatchObject({
      outputs: 1,
      output: 'sigmoid',
      loss: 'binary_cross_entropy',
    });
    expect(outputFor('multiclass', 3)).toMatchObject({ outputs: 3, output: 'softmax' });
    expect(outputFor('regression', 0)).toMatchObject({ outputs: 1, output: 'linear', loss: 'mse' });
  });
});
