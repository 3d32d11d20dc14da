import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../core/types.ts';
import { InspectSandbox } from './sandbox.ts';

const spec: NetworkSpec = {
  inputs: 3,
  hidden: [{ units: 4, activation: 'relu', keepProb: 1 }],
  outputs: 2,
  output: 'softmax',
};
const m = 10;
const x = Float32Array.from({ length: 3 * m }, (_, i) => Math.sin(i));
const y = new Float32Array(2 * m);
for (let j = 0; j < m; j++) y[(j % 2) * m + j] = 1;
const opts = {
  spec,
  task: 'multiclass' as const,
  init: 'xavier' as const,
  seed: 5,
  batchSize: 4,
  learningRate: 0.1,
  lambda: 0,
};

describe('InspectSandbox', () => {
  it('exposes W, b, Z, A, dZ, dW, db of the current mini-batch with the notes shapes', () => {
    const s = new InspectSandbox({ m, x, y }, opts);
    const ins = s.inspect();
    expect(ins.m).toBe(4);
    expect(ins.layers).toHaveLength(2);
    const l1 = ins.layers[0];
    expect([l1.rows, l1.cols]).toEqual([4, 3]);
    expect(l1.W).toHaveLength(12);
    expect(l1.Z).toHaveLength(16);
    expect(l1.dW).toHaveLength(12);
    expect(l1.A).toHaveLength(4 * ins.m);
    expect(l1.db).toHaveLength(4);
    // relu: A = max(0, Z)
    l1.Z.forEach((z, i) => expect(l1.A[i]).toBe(Math.max(0, z)));
    // softmax columns sum to 1 and dZ[L] = A[L] - Y
    const l2 = ins.layers[1];
    for (let j = 0; j < ins.m; j++) expect(l2.A[j] + l2.A[ins.m + j]).toBeCloseTo(1, 12);
    l2.dZ.forEach((d, i) => expect(d).toBeCloseTo(l2.A[i] - ins.Y[i], 12));
    // db = 1/m sum(dZ, axis=1)
    for (let r = 0; r < 2; r++)
      expect(l2.db[r]).toBeCloseTo(
        (l2.dZ[r * 4] + l2.dZ[r * 4 + 1] + l2.dZ[r * 4 + 2] + l2.dZ[r * 4 + 3]) / 4,
        12,
      );
  });

  it('stepping one batch applies W = W - alpha dW and moves to the next batch', () => {
    const s = new InspectSandbox({ m, x, y }, opts);
    const a = s.inspect();
    const b = s.step();
    expect(b.step).toBe(1);
    a.layers[0].W.forEach((w, i) =>
      expect(b.layers[0].W[i]).toBeCloseTo(w - 0.1 * a.layers[0].dW[i], 12),
    );
    s.step();
    expect(s.batchesPerEpoch).toBe(3);
    const d = s.step();
    expect(d.epoch).toBe(1);
    expect(d.step).toBe(0);
    expect(s.inspect().m).toBe(4);
  });

  it('refuses an empty split', () => {
    expect(
      () => new InspectSandbox({ m: 0, x: new Float32Array(0), y: new Float32Array(0) }, opts),
    ).toThrow(/labs.emptyTrain/);
  });
});

describe('dropout in the sandbox inspection', () => {
  it('exposes the mask D and applies it to A with the 1/keep_prob scale', () => {
    const dropSpec: NetworkSpec = {
      inputs: 3,
      hidden: [{ units: 6, activation: 'tanh', keepProb: 0.5 }],
      outputs: 1,
      output: 'sigmoid',
    };
    const yb = Float32Array.from({ length: m }, (_, j) => j % 2);
    const s = new InspectSandbox({ m, x, y: yb }, { ...opts, spec: dropSpec, task: 'binary' });
    const l1 = s.inspect().layers[0];
    expect(l1.D).toBeTruthy();
    const D = l1.D!;
    expect(new Set(Array.from(D))).toEqual(new Set([0, 1]));
    D.forEach((d, i) => expect(l1.A[i]).toBeCloseTo(d === 0 ? 0 : Math.tanh(l1.Z[i]) / 0.5, 12));
    expect(s.inspect().layers[1].D ?? null).toBeNull();
  });
});
