import { describe, expect, it } from 'vitest';
import { ownBuffers } from './transfer.ts';

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
