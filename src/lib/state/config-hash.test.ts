import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { decodeConfig, encodeConfig } from './config-hash.ts';
import { DEFAULT_CONFIG, configErrors, defaultConfig } from './config.ts';
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
    patience: 12,
  };
}

beforeAll(() => i18n.use('en', false));

describe('URL hash codec', () => {
  it('round-trips a configuration exactly', () => {
    const c = custom();
    const hash = encodeConfig(c);
    expect(hash).toMatch(/^v=1&/);
    const d = decodeConfig('#' + hash);
    expect(d.message).toBeNull();
    expect(d.config).toEqual(c);
  });

  it('early stopping: its patience rides in the link; 0 is off; a link made before it existed trains without it', () => {
    const off = { ...custom(), patience: 0 };
    expect(decodeConfig(encodeConfig(off)).config?.patience).toBe(0);
    const old = encodeConfig(custom()).replace('&patience=12', '');
    expect(old).not.toContain('patience');
    const d = decodeConfig(old);
    expect(d.message).toBeNull();
    expect(d.config?.patience).toBe(0);
    expect(decodeConfig(encodeConfig(custom()) + '0').config?.patience).toBe(120);
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
      expect(configErrors(d.config as TrainConfig)).toEqual({});
    }
  });

  it('does not share objects with the defaults', () => {
    const d = decodeConfig('#v=1');
    d.config?.hidden.push({ units: 1, activation: 'relu', keepProb: 1 });
    expect(DEFAULT_CONFIG.hidden).toHaveLength(2);
  });
});
