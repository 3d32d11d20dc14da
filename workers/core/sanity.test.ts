import { describe, expect, it } from 'vitest';
import bytes from './kernels/probe.wat';

describe('WebAssembly text build', () => {
  it('compiles .wat sources with SIMD into a module Node can run', async () => {
    const { instance } = await WebAssembly.instantiate(bytes);
    const add = instance.exports.add4 as (a: number, b: number) => number;
    expect(add(2, 3)).toBe(20);
  });
});
