// The points of a plane as a few shapes (one path per class and split, or per point for values),
// built once and filled and outlined on each picture: they stay put while a run trains (only the
// picture under them changes), and building hundreds of circles was most of a boundary frame on a
// slow device.
import type { Plane } from './boundary.ts';

/** One path, filled and then outlined. */
export interface Shape {
  path: Path2D;
  fill: string;
  stroke: string;
  lineWidth: number;
}

/** The shapes of the points of `plane` on a canvas `width` x `height` (`tag`: what else they
 *  depend on). */
export type ShapeBuilder = (plane: Plane, width: number, height: number, tag: number) => Shape[];

interface Layer {
  key: readonly unknown[];
  shapes: Shape[];
}

const layers = new WeakMap<Plane, Layer>();

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The plane's shapes: built again only when the builder, `tag`, the plane's points or ranges, or
 *  the canvas's size change. */
export function pointShapes(
  plane: Plane,
  width: number,
  height: number,
  build: ShapeBuilder,
  tag = 0,
): Shape[] {
  const key = [build, tag, plane.train, plane.dev, ...plane.xRange, ...plane.yRange, width, height];
  let layer = layers.get(plane);
  if (!layer || !same(layer.key, key)) {
    layer = { key, shapes: build(plane, width, height, tag) };
    layers.set(plane, layer);
  }
  return layer.shapes;
}

/** Paints the plane's shapes over what `ctx` shows. */
export function paintPointLayer(
  ctx: CanvasRenderingContext2D,
  plane: Plane,
  build: ShapeBuilder,
  tag = 0,
): void {
  const { width, height } = ctx.canvas;
  for (const s of pointShapes(plane, width, height, build, tag)) {
    ctx.fillStyle = s.fill;
    ctx.fill(s.path);
    ctx.lineWidth = s.lineWidth;
    ctx.strokeStyle = s.stroke;
    ctx.stroke(s.path);
  }
}
