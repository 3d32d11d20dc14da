import { beforeAll, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.svelte.ts';
import { ConfigForm } from './config-form.svelte.ts';
import { encodeConfig } from './config-hash.ts';
import { defaultConfig } from './config.ts';

beforeAll(() => i18n.use('en', false));

describe('ConfigForm', () => {
  it('stands for the configuration it was loaded with', () => {
    const f = new ConfigForm();
    expect(f.valid).toBe(true);
    expect(f.config).toEqual(defaultConfig());
    expect(f.touched).toBe(false);
  });

  it('shows an inline error naming the field and turns the config to null until fixed', () => {
    const f = new ConfigForm();
    f.set('learningRate', '-0.1');
    expect(f.valid).toBe(false);
    expect(f.config).toBeNull();
    expect(f.errors.learningRate).toMatch(/^Learning rate must be a number greater than 0/);
    f.set('learningRate', '0.05');
    expect(f.errors).toEqual({});
    expect(f.config?.learningRate).toBe(0.05);
    expect(f.touched).toBe(true);
  });

  it('adds and removes hidden layers with per-layer errors', () => {
    const f = new ConfigForm();
    f.addLayer();
    expect(f.config?.hidden).toHaveLength(3);
    f.setLayer(2, { units: '0', keepProb: '1.5' });
    expect(Object.keys(f.errors).sort()).toEqual(['hidden.2.keepProb', 'hidden.2.units']);
    expect(f.errors['hidden.2.units']).toMatch(/Units of hidden layer 3/);
    f.removeLayer(2);
    expect(f.valid).toBe(true);
    f.removeLayer(0);
    f.removeLayer(0);
    expect(f.config?.hidden).toEqual([]);
    f.addLayer();
    expect(f.config?.hidden).toEqual([{ units: 8, activation: 'tanh', keepProb: 1 }]);
    for (let i = 0; i < 20; i++) f.addLayer();
    expect(f.layers).toHaveLength(8);
    expect(f.canAddLayer).toBe(false);
  });

  it('turns early stopping off and on again with the patience it had', () => {
    const f = new ConfigForm();
    expect(f.earlyStopping).toBe(true);
    f.set('patience', '17');
    f.setEarlyStopping(false);
    expect(f.earlyStopping).toBe(false);
    expect(f.config?.patience).toBe(0);
    f.setEarlyStopping(true);
    expect(f.config?.patience).toBe(17);
    f.set('patience', '-3');
    expect(f.errors.patience).toMatch(/^Patience \(epochs\)/);
    expect(f.config).toBeNull();
  });

  it('loads a configuration saved before early stopping existed with it off', () => {
    const old = defaultConfig();
    delete old.patience;
    const f = new ConfigForm(old);
    expect(f.valid).toBe(true);
    expect(f.earlyStopping).toBe(false);
    expect(f.config?.patience).toBe(0);
  });

  it('round-trips through the URL hash', () => {
    const f = new ConfigForm();
    f.set('seed', '7');
    f.setLayer(0, { activation: 'relu', keepProb: '0.9' });
    f.optimizer = 'momentum';
    const hash = encodeConfig(f.config!);
    const g = new ConfigForm();
    g.load(f.config!);
    expect(encodeConfig(g.config!)).toBe(hash);
  });
});
