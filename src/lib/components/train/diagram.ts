// Layout of the network diagram: one column per layer, at most `maxPerLayer` neurons drawn per column
// (the rest summarized as "+k more"), links between the drawn neurons, styled by the live weights.

export interface DiagramNode {
  /** Layer index: 0 = input, 1..L. */
  layer: number;
  /** Neuron index inside the layer. */
  unit: number;
  x: number;
  y: number;
}

export interface DiagramLink {
  /** Layer l of W[l] (1..L). */
  layer: number;
  /** Row of W[l] (neuron in layer l). */
  to: number;
  /** Column of W[l] (neuron in layer l-1). */
  from: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: DiagramNode[];
  links: DiagramLink[];
  /** Per layer: how many neurons are not drawn. */
  omitted: number[];
  columnX: number[];
}

/** Which neurons of a layer of n are drawn: all when n <= max, else the first max. */
export function shownUnits(n: number, max: number): number[] {
  return Array.from({ length: Math.min(n, max) }, (_, i) => i);
}

export function layoutNetwork(
  sizes: number[],
  width: number,
  height: number,
  maxPerLayer = 10,
): DiagramLayout {
  if (sizes.length < 2)
    throw new Error(
      `A network has at least an input and an output layer; got ${sizes.length} layer(s).`,
    );
  const padX = 28;
  const padY = 22;
  const cols = sizes.length;
  const columnX = sizes.map((_, l) => padX + ((width - 2 * padX) * l) / (cols - 1));
  const shown = sizes.map((n) => shownUnits(n, maxPerLayer));
  const nodes: DiagramNode[] = [];
  const pos: { x: number; y: number }[][] = [];
  shown.forEach((units, l) => {
    const k = units.length;
    const usable = height - 2 * padY - (sizes[l] > k ? 16 : 0);
    const gap = k > 1 ? Math.min(usable / (k - 1), 48) : 0;
    const top = padY + (usable - gap * (k - 1)) / 2;
    pos.push([]);
    units.forEach((u, i) => {
      const p = { x: columnX[l], y: top + gap * i };
      pos[l][u] = p;
      nodes.push({ layer: l, unit: u, ...p });
    });
  });
  const links: DiagramLink[] = [];
  for (let l = 1; l < cols; l++)
    for (const to of shown[l])
      for (const from of shown[l - 1]) {
        const a = pos[l - 1][from];
        const b = pos[l][to];
        links.push({ layer: l, to, from, x1: a.x, y1: a.y, x2: b.x, y2: b.y });
      }
  return {
    width,
    height,
    nodes,
    links,
    omitted: sizes.map((n, l) => n - shown[l].length),
    columnX,
  };
}

/** Stroke width and sign class of a weight, relative to the largest |w| of its layer. */
export function linkStyle(
  w: number,
  maxAbs: number,
): { width: number; positive: boolean; opacity: number } {
  const t = maxAbs > 0 && Number.isFinite(w) ? Math.min(1, Math.abs(w) / maxAbs) : 0;
  return { width: 0.5 + 4.5 * t, positive: w >= 0, opacity: 0.25 + 0.75 * t };
}
