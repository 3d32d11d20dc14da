import { describe, expect, it } from 'vitest';
import { isFloats, pack, packNetwork, packResume, plainNetwork, plainResume } from './packed.ts';
import type { ResumeState, SerializedNetwork } from './types.ts';

const f32 = (x: number) => Math.fround(x);
const net: SerializedNetwork = {
  format: 'backprop-lab/network',
  version: 1,
  spec: {
    inputs: 2,
    outputs: 1,
    output: 'sigmoid',
    hidden: [{ units: 2, activation: 'relu', keepProb: 1 }],
  },
  params: [
    { W: [f32(0.1), f32(-0.2), 1 / 3, 2 ** -1074], b: [0, -0] },
    { W: [f32(1.7), -1e300], b: [f32(0.3)] },
  ],
};
const state: ResumeState = {
  version: 1,
  optimizer: 'adam',
  epoch: 2,
  batch: 1,
  rng: [1, 2, 3, 4],
  perm: [2, 0, 1],
  v: [f32(0.5), 1e-30, 0, 1, 2, 3, 4, 5, 6],
  s: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  t: 7,
  sums: { loss: 1.5, correct: 2, sqErr: 0, seen: 3, ms: 4.5 },
  elapsedMs: 12,
  backup: [9, 8, 7, 6, 5, 4, 3, 2, 1],
  watch: {
    bestEpoch: 1,
    bestLoss: 0.25,
    bestParams: [f32(0.7), 1, 2, 3, 4, 5, 6, 7, 8],
    sinceBest: 1,
    minTrainLoss: 0.2,
    plateau: 0,
    stopped: false,
  },
};

describe('packed checkpoints', () => {
  it('pack then plain gives every float32 and float64 value back exactly (signed zero included)', () => {
    const back = plainNetwork(packNetwork(net));
    expect(back).toEqual(net);
    expect(Object.is(back.params[0].b[1], -0)).toBe(true);
    expect(plainResume(packResume(state))).toEqual(state);
  });

  it('packs into Float64Arrays that share no memory with their input', () => {
    const packed = packNetwork(net);
    expect(packed.params[0].W).toBeInstanceOf(Float64Array);
    const again = packNetwork(packed);
    (again.params[0].W as Float64Array)[0] = 42;
    expect(packed.params[0].W[0]).toBe(f32(0.1));
    const a = new Float64Array([1, 2]);
    const b = pack(a);
    b[0] = 5;
    expect(a[0]).toBe(1);
    const r = packResume(state);
    expect(
      [r.perm, r.v, r.s, r.backup, r.watch?.bestParams].every((x) => x instanceof Float64Array),
    ).toBe(true);
    r.rng[0] = 99;
    expect(state.rng[0]).toBe(1);
  });

  it('plain copies are plain arrays (JSON keeps them as lists)', () => {
    const json = JSON.parse(JSON.stringify(plainNetwork(packNetwork(net)))) as SerializedNetwork;
    expect(Array.isArray(json.params[1].W)).toBe(true);
    expect(isFloats(new Float64Array(1))).toBe(true);
    expect(isFloats({ 0: 1, length: 1 })).toBe(false);
  });
});
