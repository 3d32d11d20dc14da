import { describe, expect, it } from 'vitest';
import {
  createNetwork,
  deserialize,
  forwardBackward,
  gdStep,
  gradientCheck,
  matrix,
  predict,
  serialize,
  type Matrix,
} from './network.ts';
import { createRng } from './rng.ts';
import { initParams } from './activations.ts';
import type { Activation, NetworkSpec, OutputActivation } from './types.ts';

function randomData(spec: NetworkSpec, m: number, seed: number): { X: Matrix; Y: Matrix } {
  const r = createRng(seed);
  const X = matrix(spec.inputs, m);
  for (let i = 0; i < X.data.length; i++) X.data[i] = r.gaussian();
  const Y = matrix(spec.outputs, m);
  for (let j = 0; j < m; j++) {
    if (spec.output === 'softmax') Y.data[r.int(spec.outputs) * m + j] = 1;
    else
      for (let i = 0; i < spec.outputs; i++)
        Y.data[i * m + j] = spec.output === 'sigmoid' ? (r.uniform() < 0.5 ? 0 : 1) : r.gaussian();
  }
  return { X, Y };
}

function masksFor(spec: NetworkSpec, m: number, seed: number): (Matrix | null)[] {
  const r = createRng(seed);
  return [
    null,
    ...spec.hidden.map((h) => {
      if (h.keepProb >= 1) return null;
      const d = matrix(h.units, m);
      for (let i = 0; i < d.data.length; i++) d.data[i] = r.uniform() < h.keepProb ? 1 : 0;
      return d;
    }),
    null,
  ];
}

const ACTIVATIONS: Activation[] = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear'];
const OUTPUTS: [OutputActivation, number][] = [
  ['sigmoid', 1],
  ['softmax', 3],
  ['linear', 2],
];

describe('gradient check (float64 central differences)', () => {
  for (const g of ACTIVATIONS)
    for (const [out, ny] of OUTPUTS)
      for (const lambda of [0, 0.7])
        for (const dropout of [false, true]) {
          it(`${g} hidden, ${out} output, lambda ${lambda}, ${dropout ? 'with' : 'without'} dropout: relative difference < 1e-7`, () => {
            const spec: NetworkSpec = {
              inputs: 4,
              outputs: ny,
              output: out,
              hidden: [
                { units: 5, activation: g, keepProb: dropout ? 0.7 : 1 },
                { units: 3, activation: g, keepProb: dropout ? 0.8 : 1 },
              ],
            };
            const params = initParams(spec, 'xavier', createRng(3));
            const { X, Y } = randomData(spec, 6, 11);
            const res = gradientCheck(spec, params, X, Y, {
              lambda,
              masks: dropout ? masksFor(spec, 6, 5) : undefined,
            });
            expect(res.perLayer).toHaveLength(3);
            for (const p of res.perLayer) expect(p.relativeDifference).toBeLessThan(1e-7);
            expect(res.overall).toBeLessThan(1e-7);
          });
        }

  it('fails on a deliberately wrong gradient', () => {
    const spec: NetworkSpec = {
      inputs: 3,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 4, activation: 'tanh', keepProb: 1 }],
    };
    const params = initParams(spec, 'xavier', createRng(2));
    const { X, Y } = randomData(spec, 5, 1);
    const good = forwardBackward(createNetwork(spec, params), X, Y);
    // The classic bug: forgetting the 1/m in db[1].
    good.db[1].data.forEach((v, i, a) => {
      a[i] = v * 5;
    });
    const res = gradientCheck(spec, params, X, Y, { analytic: good });
    expect(res.perLayer[0].relativeDifference).toBeGreaterThan(1e-3);
    expect(res.perLayer[1].relativeDifference).toBeLessThan(1e-7);
    expect(res.overall).toBeGreaterThan(1e-3);
  });

  it('checks a spread subset of a big layer (maxPerLayer) and still catches a wrong gradient', () => {
    const spec: NetworkSpec = {
      inputs: 30,
      outputs: 3,
      output: 'softmax',
      hidden: [{ units: 20, activation: 'relu', keepProb: 1 }],
    };
    const params = initParams(spec, 'he', createRng(8));
    const { X, Y } = randomData(spec, 4, 2);
    const ok = gradientCheck(spec, params, X, Y, { lambda: 0.2, maxPerLayer: 25 });
    expect(ok.overall).toBeLessThan(1e-7);
    const bad = forwardBackward(createNetwork(spec, params), X, Y, { lambda: 0.2 });
    bad.dW[1].data.forEach((v, i, a) => {
      a[i] = -v;
    }); // a sign error in dW[1]
    const res = gradientCheck(spec, params, X, Y, { lambda: 0.2, maxPerLayer: 25, analytic: bad });
    expect(res.perLayer[0].relativeDifference).toBeGreaterThan(0.5);
    expect(res.perLayer[1].relativeDifference).toBeLessThan(1e-7);
  });

  it('refuses dropout without fixed masks', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 2, activation: 'relu', keepProb: 0.5 }],
    };
    const { X, Y } = randomData(spec, 3, 1);
    expect(() => gradientCheck(spec, initParams(spec, 'he', createRng(1)), X, Y)).toThrow(
      /fixed masks/,
    );
  });
});

describe('known answers', () => {
  // 2-2-1: relu hidden, linear output (MSE, 1/2 convention), one example, computed by hand.
  const spec: NetworkSpec = {
    inputs: 2,
    outputs: 1,
    output: 'linear',
    hidden: [{ units: 2, activation: 'relu', keepProb: 1 }],
  };
  const params = [
    { W: [0.1, 0.2, 0.3, -0.1], b: [0, 0.1] },
    { W: [1, -1], b: [0] },
  ];
  const X = matrix(2, 1, [1, 2]);
  const Y = matrix(1, 1, [1]);

  it('forward: Z[1] = W[1]X + b[1], A[1] = relu, Z[2], and the cost', () => {
    const r = forwardBackward(createNetwork(spec, params), X, Y, { lambda: 1 });
    expect(Array.from(r.Z[1].data)).toEqual([expect.closeTo(0.5, 12), expect.closeTo(0.2, 12)]);
    expect(r.A[2].data[0]).toBeCloseTo(0.3, 12);
    expect(r.cost.crossEntropy).toBeCloseTo(0.245, 12); // 1/2 (0.3 - 1)^2
    expect(r.cost.l2).toBeCloseTo(1.075, 12); // 1/(2*1) (0.01 + 0.04 + 0.09 + 0.01 + 1 + 1)
    expect(r.cost.total).toBeCloseTo(1.32, 12);
  });

  it('backward and one gradient-descent step', () => {
    const net = createNetwork(spec, params);
    const r = forwardBackward(net, X, Y);
    expect(Array.from(r.dW[2].data)).toEqual([
      expect.closeTo(-0.35, 12),
      expect.closeTo(-0.14, 12),
    ]);
    expect(r.db[2].data[0]).toBeCloseTo(-0.7, 12);
    expect(Array.from(r.dW[1].data).map((v) => +v.toFixed(12))).toEqual([-0.7, -1.4, 0.7, 1.4]);
    expect(Array.from(r.db[1].data).map((v) => +v.toFixed(12))).toEqual([-0.7, 0.7]);
    gdStep(net, r, 0.1);
    expect(Array.from(net.W[1].data).map((v) => +v.toFixed(12))).toEqual([0.17, 0.34, 0.23, -0.24]);
    expect(Array.from(net.b[1].data).map((v) => +v.toFixed(12))).toEqual([0.07, 0.03]);
    expect(Array.from(net.W[2].data).map((v) => +v.toFixed(12))).toEqual([1.035, -0.986]);
    expect(net.b[2].data[0]).toBeCloseTo(0.07, 12);
  });

  it('L2 adds (lambda/m) W to dW but nothing to db', () => {
    const a = forwardBackward(createNetwork(spec, params), X, Y);
    const b = forwardBackward(createNetwork(spec, params), X, Y, { lambda: 0.5 });
    expect(b.dW[2].data[0] - a.dW[2].data[0]).toBeCloseTo(0.5 * 1, 12);
    expect(b.dW[1].data[3] - a.dW[1].data[3]).toBeCloseTo(0.5 * -0.1, 12);
    expect(Array.from(b.db[1].data)).toEqual(Array.from(a.db[1].data));
  });

  it('binary cross-entropy of a 0.5 prediction is log 2; softmax of [0, ln 3] is [1/4, 3/4]', () => {
    const lr: NetworkSpec = { inputs: 1, outputs: 1, output: 'sigmoid', hidden: [] };
    const r = forwardBackward(
      createNetwork(lr, [{ W: [0], b: [0] }]),
      matrix(1, 1, [3]),
      matrix(1, 1, [1]),
    );
    expect(r.cost.crossEntropy).toBeCloseTo(Math.LN2, 12);
    expect(r.dW[1].data[0]).toBeCloseTo(-0.5 * 3, 12); // (a - y) x
    const sm: NetworkSpec = { inputs: 1, outputs: 2, output: 'softmax', hidden: [] };
    const p = predict(createNetwork(sm, [{ W: [0, 0], b: [0, Math.log(3)] }]), matrix(1, 1, [7]));
    expect(p.data[0]).toBeCloseTo(0.25, 12);
    expect(p.data[1]).toBeCloseTo(0.75, 12);
  });

  it('inverted dropout: A = A * D / keep_prob with the given mask', () => {
    const ds: NetworkSpec = { ...spec, hidden: [{ units: 2, activation: 'relu', keepProb: 0.5 }] };
    const r = forwardBackward(createNetwork(ds, params), X, Y, {
      masks: [null, matrix(2, 1, [1, 0])],
    });
    expect(r.A[1].data[0]).toBeCloseTo(1.0, 12); // 0.5 / 0.5
    expect(r.A[1].data[1]).toBe(0);
    expect(r.dZ[1].data[1]).toBe(0);
  });

  it('stays finite for huge logits (no log(0))', () => {
    const lr: NetworkSpec = { inputs: 1, outputs: 1, output: 'sigmoid', hidden: [] };
    const r = forwardBackward(
      createNetwork(lr, [{ W: [1000], b: [0] }]),
      matrix(1, 2, [1, -1]),
      matrix(1, 2, [0, 1]),
    );
    expect(r.cost.crossEntropy).toBeCloseTo(1000, 6);
    const sm: NetworkSpec = { inputs: 1, outputs: 2, output: 'softmax', hidden: [] };
    const s = forwardBackward(
      createNetwork(sm, [{ W: [800, -800], b: [0, 0] }]),
      matrix(1, 1, [1]),
      matrix(2, 1, [0, 1]),
    );
    expect(s.cost.crossEntropy).toBeCloseTo(1600, 6);
  });
});

describe('shapes and errors', () => {
  const spec: NetworkSpec = {
    inputs: 3,
    outputs: 2,
    output: 'softmax',
    hidden: [{ units: 4, activation: 'tanh', keepProb: 1 }],
  };
  const net = createNetwork(spec, { init: 'he', seed: 1 });
  it('names both shapes when X does not fit W[1]', () => {
    expect(() => predict(net, matrix(5, 8))).toThrow('W[1] is 4 x 3 but A[0] (X) is 5 x 8');
  });
  it('names both shapes when Y does not fit A[L]', () => {
    expect(() => forwardBackward(net, matrix(3, 8), matrix(2, 7))).toThrow(
      'Y is 2 x 7 but A[2] is 2 x 8',
    );
  });
  it('rejects parameters of the wrong size and masks of the wrong shape', () => {
    expect(() =>
      createNetwork(spec, [
        { W: [1, 2], b: [0, 0, 0, 0] },
        { W: new Array<number>(8).fill(0), b: [0, 0] },
      ]),
    ).toThrow('W[1] must be 4 x 3');
    const ds = { ...spec, hidden: [{ units: 4, activation: 'tanh' as const, keepProb: 0.5 }] };
    expect(() =>
      forwardBackward(createNetwork(ds), matrix(3, 2), matrix(2, 2), {
        masks: [null, matrix(4, 3)],
      }),
    ).toThrow('D[1] is 4 x 3 but A[1] is 4 x 2');
  });
  it('rejects an invalid spec with a clear message', () => {
    expect(() =>
      createNetwork({ ...spec, hidden: [{ units: 0, activation: 'tanh', keepProb: 1 }] }),
    ).toThrow(/hidden layer 1 needs a whole number of units/);
    expect(() =>
      createNetwork({ ...spec, hidden: [{ units: 3, activation: 'tanh', keepProb: 0 }] }),
    ).toThrow(/keep probability/);
  });
  it('gives NaN out for NaN in, and refuses empty X', () => {
    const p = predict(net, matrix(3, 1, [NaN, 0, 0]));
    expect(Number.isNaN(p.data[0])).toBe(true);
    expect(() => predict(net, matrix(3, 0))).toThrow(/no examples/);
  });
});

describe('serialize', () => {
  it('round-trips to plain JSON and back with identical predictions', () => {
    const spec: NetworkSpec = {
      inputs: 2,
      outputs: 3,
      output: 'softmax',
      hidden: [{ units: 5, activation: 'leaky_relu', keepProb: 0.9 }],
    };
    const net = createNetwork(spec, { init: 'he', seed: 4 });
    const s = JSON.parse(JSON.stringify(serialize(net)));
    const back = deserialize(s);
    const X = matrix(2, 3, [1, 2, 3, -1, 0, 4]);
    expect(Array.from(predict(back, X).data)).toEqual(Array.from(predict(net, X).data));
    expect(back.spec).toEqual(spec);
    expect(() => deserialize({ ...s, format: 'other' })).toThrow(/trainer\.network\.notOurs/);
  });
});

describe('zero initialization (the symmetry problem)', () => {
  it('keeps every hidden unit identical after training', () => {
    // sigmoid hidden units: A[1] = 0.5 at the start, so the weights do move (tanh would stay at 0).
    const spec: NetworkSpec = {
      inputs: 3,
      outputs: 1,
      output: 'sigmoid',
      hidden: [{ units: 4, activation: 'sigmoid', keepProb: 1 }],
    };
    const net = createNetwork(spec, { init: 'zeros', seed: 1 });
    const { X, Y } = randomData(spec, 20, 8);
    for (let it = 0; it < 50; it++) gdStep(net, forwardBackward(net, X, Y), 0.5);
    const W1 = net.W[1].data;
    expect(W1.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    for (let i = 1; i < 4; i++) for (let k = 0; k < 3; k++) expect(W1[i * 3 + k]).toBe(W1[k]);
    for (let i = 1; i < 4; i++) expect(net.W[2].data[i]).toBe(net.W[2].data[0]);
    for (let i = 1; i < 4; i++) expect(net.b[1].data[i]).toBe(net.b[1].data[0]);
  });
});
