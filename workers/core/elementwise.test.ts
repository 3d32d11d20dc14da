import { describe, expect, it } from 'vitest';
import { createArena, LayoutBuilder } from './arena.ts';
import { createElementwise } from './elementwise.ts';
import { createRng } from './rng.ts';
import { sigmoid } from './activations.ts';
import { Optimizer } from './optimizer.ts';
import type { TrainConfig } from './types.ts';

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

describe('WebAssembly SIMD optimizer steps', () => {
  it('give the JavaScript steps’ bits, for SGD, momentum and Adam, any length, over several steps', () => {
    for (const n of [1, 3, 4, 7, 64, 1001]) {
      for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
        // Two identical arenas: one stepped by the JavaScript loops, one by WebAssembly.
        const make = () => {
          const lb = new LayoutBuilder();
          for (const name of ['p', 'g', 'v', 's']) lb.add(name, n, 1);
          const arena = createArena(lb.finish());
          const at = {
            params: arena.at('p'),
            grads: arena.at('g'),
            v: arena.at('v'),
            s: arena.at('s'),
          };
          return { arena, at };
        };
        const js = make(),
          simd = make();
        const ew = createElementwise(simd.arena.memory);
        expect(ew).not.toBeNull();
        const config = {
          optimizer,
          learningRate: 0.0123,
          beta1: 0.9,
          beta2: 0.999,
        } as TrainConfig;
        const a = new Optimizer(js.arena.heap, config, n, js.at);
        const b = new Optimizer(simd.arena.heap, config, n, simd.at, ew);
        const r = createRng(n);
        for (let i = 0; i < n; i++) {
          const w = r.gaussian();
          js.arena.f32('p')[i] = w;
          simd.arena.f32('p')[i] = w;
        }
        const initial = Array.from(simd.arena.f32('p'));
        for (let step = 0; step < 3; step++) {
          for (let i = 0; i < n; i++) {
            // Gradients of every size, zero and tiny ones too.
            const g = i % 11 === 5 ? 0 : r.gaussian() * 10 ** ((i % 9) - 4);
            js.arena.f32('g')[i] = g;
            simd.arena.f32('g')[i] = g;
          }
          a.step();
          b.step();
          for (const name of ['p', 'v', 's']) {
            const x = new Uint32Array(js.arena.f32(name).slice().buffer);
            const y = new Uint32Array(simd.arena.f32(name).slice().buffer);
            expect(y, `${optimizer} n=${n} ${name} step ${step}`).toEqual(x);
          }
        }
        // The steps moved the parameters (steps that did nothing would compare equal too).
        expect(Array.from(simd.arena.f32('p'))).not.toEqual(initial);
      }
    }
  });
});
