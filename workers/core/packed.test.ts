import { describe, expect, it } from 'vitest';
import { isFloats, pack, packNetwork, packResume, plainNetwork, plainResume } from './packed.ts';
import type { SerializedNetwork } from './types.ts';
import { f32, net, state } from './packed.test-support.ts';

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
