import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';

describe('seeded generator', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRng(42),
      b = createRng(42),
      c = createRng(43);
    const sa = Array.from({ length: 100 }, () => a.nextU32());
    const sb = Array.from({ length: 100 }, () => b.nextU32());
    const sc = Array.from({ length: 100 }, () => c.nextU32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('restores a saved state', () => {
    const r = createRng(1);
    r.uniform();
    const s = r.getState();
    const x = [r.uniform(), r.gaussian(), r.int(10)];
    r.setState(s);
    expect([r.uniform(), r.gaussian(), r.int(10)]).toEqual(x);
  });

  it('has uniform mean 1/2 and gaussian mean 0, variance 1', () => {
    const r = createRng(9);
    const n = 200_000;
    let su = 0,
      sg = 0,
      sg2 = 0,
      outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      su += u;
      const g = r.gaussian();
      sg += g;
      sg2 += g * g;
    }
    expect(outside).toBe(0);
    expect(Math.abs(su / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sg / n)).toBeLessThan(0.01);
    expect(Math.abs(sg2 / n - 1)).toBeLessThan(0.02);
  });

  it('shuffles into a permutation, deterministically', () => {
    const a = Uint32Array.from({ length: 50 }, (_, i) => i);
    const b = a.slice();
    createRng(5).shuffle(a);
    createRng(5).shuffle(b);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
