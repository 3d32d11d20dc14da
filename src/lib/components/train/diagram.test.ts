import { describe, expect, it } from 'vitest';
import { layoutNetwork, linkStyle, shownUnits } from './diagram.ts';

describe('network diagram layout', () => {
  it('draws every neuron and link of a small network', () => {
    const d = layoutNetwork([2, 8, 8, 1], 400, 300);
    expect(d.nodes).toHaveLength(2 + 8 + 8 + 1);
    expect(d.links).toHaveLength(2 * 8 + 8 * 8 + 8 * 1);
    expect(d.omitted).toEqual([0, 0, 0, 0]);
    // columns left to right, nodes inside the box
    expect(d.columnX[0]).toBeLessThan(d.columnX[3]);
    for (const n of d.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(400);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(300);
    }
    // a link of W[2] goes from a layer-1 neuron to a layer-2 neuron
    const l = d.links.find((k) => k.layer === 2 && k.to === 3 && k.from === 5);
    expect(l?.x1).toBe(d.columnX[1]);
    expect(l?.x2).toBe(d.columnX[2]);
  });
  it('caps a 784-128-64-10 network and says how many are left out', () => {
    const d = layoutNetwork([784, 128, 64, 10], 400, 300, 10);
    expect(d.omitted).toEqual([774, 118, 54, 0]);
    expect(d.links).toHaveLength(300);
    expect(shownUnits(3, 10)).toEqual([0, 1, 2]);
  });
  it('refuses a network without layers', () => {
    expect(() => layoutNetwork([2], 100, 100)).toThrow(/at least an input and an output/);
  });
  it('styles weights by sign and magnitude', () => {
    expect(linkStyle(-1, 1)).toMatchObject({ width: 5, positive: false, opacity: 1 });
    expect(linkStyle(0.5, 1).positive).toBe(true);
    expect(linkStyle(0.5, 1).width).toBeCloseTo(2.75, 12);
    expect(linkStyle(Number.NaN, 1).width).toBe(0.5);
    expect(linkStyle(1, 0).width).toBe(0.5);
  });
});
