import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  decodeConfig,
  defaultConfig,
  encodeConfig,
  outputFor,
  parseField,
  parseLayerField,
  suggestConfig,
  validateConfig,
} from './config.ts';
import type { TrainConfig } from '../../../workers/core/types.ts';

function custom(): TrainConfig {
  return {
    hidden: [
      { units: 5, activation: 'relu', keepProb: 0.8 },
      { units: 3, activation: 'leaky_relu', keepProb: 1 },
      { units: 7, activation: 'sigmoid', keepProb: 0.55 },
    ],
    init: 'he',
    optimizer: 'momentum',
    learningRate: 0.0375,
    batchSize: 17,
    epochs: 321,
    lambda: 0.25,
    seed: 4294967295,
    beta1: 0.85,
    beta2: 0.995,
  };
}

describe('config validation', () => {
  it('accepts the defaults and every suggestion', () => {
    expect(validateConfig(defaultConfig())).toEqual({});
    for (const inputs of [2, 4, 784])
      expect(validateConfig(suggestConfig({ task: 'binary', inputs, examples: 500 }))).toEqual({});
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
    expect(Object.keys(validateConfig(c)).sort()).toEqual([
      'epochs',
      'hidden.0.keepProb',
      'hidden.1.units',
      'learningRate',
    ]);
  });
});

describe('URL hash codec', () => {
  it('round-trips a configuration exactly', () => {
    const c = custom();
    const hash = encodeConfig(c);
    expect(hash).toMatch(/^v=1&/);
    const d = decodeConfig('#' + hash);
    expect(d.message).toBeNull();
    expect(d.config).toEqual(c);
  });

  it('round-trips a network with no hidden layer (logistic regression)', () => {
    const c = custom();
    c.hidden = [];
    expect(decodeConfig(encodeConfig(c)).config).toEqual(c);
  });

  it('ignores a hash that is not a configuration', () => {
    expect(decodeConfig('#main')).toEqual({ config: null, message: null });
    expect(decodeConfig('')).toEqual({ config: null, message: null });
  });

  it('gives the defaults and a message for an unknown version', () => {
    const d = decodeConfig('#v=99&lr=5');
    expect(d.config).toEqual(defaultConfig());
    expect(d.message).toMatch(/format this app does not know/);
  });

  it('keeps the readable parts of a damaged link and names the rest', () => {
    const d = decodeConfig(
      '#v=1&lr=banana&epochs=12&hidden=4:tanh:1,x:relu&opt=warp&seed=%E0%A4%A',
    );
    expect(d.config?.epochs).toBe(12);
    expect(d.config?.learningRate).toBe(DEFAULT_CONFIG.learningRate);
    expect(d.config?.hidden).toEqual(DEFAULT_CONFIG.hidden);
    expect(d.config?.optimizer).toBe(DEFAULT_CONFIG.optimizer);
    expect(d.message).toMatch(/Learning rate/);
    expect(d.message).toMatch(/Hidden layers/);
    expect(d.message).toMatch(/Optimizer/);
    expect(d.message).toMatch(/Seed/);
  });

  it('never throws on garbage', () => {
    expect(decodeConfig('#%')).toEqual({ config: null, message: null });
    const junk = [
      '#v=1&%',
      '#v=1&&&=&hidden=:::,,,',
      '#v=1&hidden=' + '1:relu:1,'.repeat(50),
      '#v=1&lr=Infinity',
      '#v=1&__proto__=1&constructor=2',
    ];
    for (const j of junk) {
      const d = decodeConfig(j);
      expect(d.config).not.toBeNull();
      expect(validateConfig(d.config as TrainConfig)).toEqual({});
    }
  });

  it('does not share objects with the defaults', () => {
    const d = decodeConfig('#v=1');
    d.config?.hidden.push({ units: 1, activation: 'relu', keepProb: 1 });
    expect(DEFAULT_CONFIG.hidden).toHaveLength(2);
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
