import { describe, expect, it } from 'vitest';
import { createArena, LayoutBuilder } from './arena.ts';
import { createElementwise } from './elementwise.ts';
import { createRng } from './rng.ts';
import { sigmoid } from './activations.ts';

describe('WebAssembly SIMD bias + sigmoid / tanh', () => {
  it('matches Math.exp / Math.tanh to float32 precision, for any row length, NaN kept', () => {
    const rows = 5,
      cols = 13;
    const lb = new LayoutBuilder();
    lb.add('Z', rows, cols);
    lb.add('A', rows, cols);
    lb.add('b', rows, 1);
    const arena = createArena(lb.finish());
    const ew = createElementwise(arena.memory);
    expect(ew).not.toBeNull();
    const r = createRng(3);
    for (const act of [0, 1] as const) {
      const Z = arena.f32('Z'),
        A = arena.f32('A'),
        b = arena.f32('b');
      for (let i = 0; i < Z.length; i++) Z[i] = r.gaussian() * (i % 7 === 0 ? 60 : 4);
      for (let i = 0; i < rows; i++) b[i] = r.gaussian();
      Z[cols - 1] = NaN;
      Z[2 * cols] = 1e30;
      const z0 = Z.slice();
      ew!.biasAct(arena.at('Z'), arena.at('A'), arena.at('b'), rows, cols, act);
      let worst = 0;
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) {
          const v = Math.fround(z0[i * cols + j] + b[i]);
          const k = i * cols + j;
          if (Number.isNaN(v)) {
            expect(Number.isNaN(Z[k]) && Number.isNaN(A[k])).toBe(true);
            continue;
          }
          expect(Z[k]).toBe(v);
          const want = act === 0 ? sigmoid(v) : Math.tanh(v);
          worst = Math.max(worst, Math.abs(A[k] - want));
        }
      expect(worst).toBeLessThan(act === 0 ? 1e-7 : 3e-7);
    }
  });

  it('is not offered on a non-shared memory', () => {
    const lb = new LayoutBuilder();
    lb.add('Z', 1, 4);
    expect(createElementwise(createArena(lb.finish(), { shared: false }).memory)).toBeNull();
  });
});
