import { describe, expect, it } from 'vitest';
import { ownBuffers, packedNetworkOf } from './transfer.ts';
import { PlannedTrainer } from '../core/train.ts';
import { packNetwork } from '../core/packed.ts';

describe('ownBuffers', () => {
  it('finds the buffers typed arrays own whole, once each, and leaves views and shared memory', () => {
    const w = new Float64Array(6);
    const b = new Float64Array(2);
    const big = new Float32Array(100);
    const view = big.subarray(10, 20);
    const shared = new Float64Array(new SharedArrayBuffer(64));
    const snap = {
      network: {
        params: [
          { W: w, b },
          { W: w, b: view },
        ],
      },
      resume: { v: new Float64Array(3), perm: new Float64Array(0), backup: null, shared },
      label: 'x',
      n: 3,
    };
    const found = ownBuffers(snap);
    expect(found).toHaveLength(4);
    expect(found).toContain(w.buffer);
    expect(found).toContain(b.buffer);
    expect(found).toContain(snap.resume.v.buffer);
    expect(found).toContain(snap.resume.perm.buffer);
    expect(found).not.toContain(big.buffer);
    expect(ownBuffers(null)).toEqual([]);
  });
});

describe('packedNetworkOf', () => {
  it('is what packNetwork(serialize()) gives, value for value', () => {
    const hidden = [
      { units: 5, activation: 'tanh' as const, keepProb: 1 },
      { units: 3, activation: 'relu' as const, keepProb: 0.8 },
    ];
    const t = new PlannedTrainer({
      spec: { inputs: 2, outputs: 1, output: 'sigmoid', hidden },
      task: 'binary',
      config: {
        hidden,
        init: 'he',
        optimizer: 'adam',
        learningRate: 0.01,
        batchSize: 4,
        epochs: 2,
        lambda: 0,
        seed: 5,
        beta1: 0.9,
        beta2: 0.999,
      },
      data: {
        train: {
          m: 8,
          x: Float32Array.from({ length: 16 }, (_, i) => Math.cos(i)),
          y: Float32Array.from({ length: 8 }, (_, i) => i % 2),
        },
      },
    });
    t.trainBatch();
    const packed = packedNetworkOf(t);
    expect(packed).toEqual(packNetwork(t.serialize()));
    expect(packed.params[0].W).toBeInstanceOf(Float64Array);
    expect(packed.params[0].W).toHaveLength(10);
  });
});
