// The boundary's points in Chromium: one filled and outlined path per class and split, in the class
// colours (dev points ringed); the paths are built once and painted again on each picture, and built
// again when the plane's points, ranges or the canvas's size change.
import { afterEach, describe, expect, it } from 'vitest';
import { classColor, paintPoints, type Plane } from './boundary.ts';
import { paintPointLayer } from './point-layer.ts';
import type { Points } from './points.ts';

function points(n: number, shift: number): Points {
  return {
    x: Float32Array.from({ length: n }, (_, i) => (i * 7) % 11),
    y: Float32Array.from({ length: n }, (_, i) => ((i * 5 + shift) % 9) - 4),
    label: Uint8Array.from({ length: n }, (_, i) => (i + shift) % 3),
    value: new Float32Array(n),
    count: n,
  };
}

/** A plane whose points and ranges change (as a projection's do). */
type Mutable = { -readonly [K in keyof Plane]: Plane[K] };

function plane(): Mutable {
  return {
    xRange: [0, 10],
    yRange: [-4, 4],
    train: points(40, 0),
    dev: points(12, 3),
    data: { task: 'multiclass' },
  } as unknown as Mutable;
}

const canvases: HTMLCanvasElement[] = [];
function canvas(width = 160, height = 120): CanvasRenderingContext2D {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  document.body.append(c);
  canvases.push(c);
  return c.getContext('2d')!;
}
afterEach(() => {
  for (const c of canvases.splice(0)) c.remove();
});

/** The arcs added to paths and the fills (with their colour) made while `fn` runs. */
function record(fn: () => void): { arcs: number; fills: string[] } {
  const out = { arcs: 0, fills: [] as string[] };
  const arc = Path2D.prototype.arc;
  const proto = CanvasRenderingContext2D.prototype;
  const saved = proto.fill;
  const fill = saved as (this: CanvasRenderingContext2D, ...a: unknown[]) => void;
  Path2D.prototype.arc = function (this: Path2D, ...a: Parameters<typeof arc>) {
    out.arcs++;
    return arc.apply(this, a);
  };
  proto.fill = function (this: CanvasRenderingContext2D, ...a: unknown[]) {
    out.fills.push(String(this.fillStyle));
    fill.apply(this, a);
  } as typeof saved;
  try {
    fn();
  } finally {
    Path2D.prototype.arc = arc;
    proto.fill = saved;
  }
  return out;
}

function pixels(ctx: CanvasRenderingContext2D): Uint8ClampedArray {
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height).data;
}

const hex = (k: number) =>
  '#' +
  classColor(k)
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('');

describe('paintPoints', () => {
  it('fills one path per class and split, built once and painted again on each picture', () => {
    const p = plane();
    const ctx = canvas();
    const first = record(() => paintPoints(ctx, p));
    expect(first.arcs).toBe(52);
    // Training points in their class colours, in class order; dev points white, ringed in colour.
    expect(first.fills).toEqual([hex(0), hex(1), hex(2), '#ffffff', '#ffffff', '#ffffff']);
    const drawn = pixels(ctx);
    expect(drawn.some((v) => v > 0)).toBe(true);

    ctx.clearRect(0, 0, 160, 120);
    const again = record(() => paintPoints(ctx, p));
    expect(again.arcs).toBe(0);
    expect(again.fills).toEqual(first.fills);
    expect(pixels(ctx)).toEqual(drawn);
  });

  it('builds them again for new ranges, new points or another size', () => {
    const p = plane();
    const ctx = canvas();
    paintPoints(ctx, p);
    const before = pixels(ctx);
    p.xRange = [0, 20];
    ctx.clearRect(0, 0, 160, 120);
    expect(record(() => paintPoints(ctx, p)).arcs).toBe(52);
    expect(pixels(ctx)).not.toEqual(before);
    p.train = points(30, 1);
    expect(record(() => paintPoints(ctx, p)).arcs).toBe(42);
    expect(record(() => paintPoints(canvas(200, 100), p)).arcs).toBe(42);
    expect(record(() => paintPoints(ctx, p)).arcs).toBe(42);
    expect(record(() => paintPoints(ctx, p)).arcs).toBe(0);
  });

  it('keys the shapes on the builder and its tag', () => {
    const p = plane();
    const ctx = canvas();
    const tags: number[] = [];
    const build = (_: Plane, __: number, ___: number, tag: number) => (tags.push(tag), []);
    paintPointLayer(ctx, p, build, 1);
    paintPointLayer(ctx, p, build, 1);
    paintPointLayer(ctx, p, build, 2);
    expect(tags).toEqual([1, 2]);
  });
});
