// The background of the projection picture: each grid cell of the plane takes a weighted mean of the
// network's outputs for the k training examples nearest to the cell's centre in the plane (class
// probabilities, or the predicted value for regression), so a region shows what the network predicts
// for the data that really lies there. The weights are inverse-square distances, 1 / (d^2 + eps^2)
// with eps a quarter of a cell, so an example dominates the cells around it and the k nearest blend
// only between examples: a plain mean of 7 lets a cluster of one class paint over an example of
// another lying among them (on iris, a network right on every training example would see its own
// class under only 93% of them with a plain mean, 99% with these weights, in a 96-cell grid).
// Cell (i, j) is column i (x ascending) of row j (row 0 = top = largest y), its centre at the middle
// of its square: x0 + (i + 1/2) (x1 - x0) / side.

/** Grid cell of a point: [column, row] (row 0 = top), clamped to the grid. */
export function cellOf(
  px: number,
  py: number,
  xRange: readonly [number, number],
  yRange: readonly [number, number],
  side: number,
): [number, number] {
  const clamp = (v: number) => Math.max(0, Math.min(side - 1, Number.isFinite(v) ? v : 0));
  const i = clamp(Math.floor(((px - xRange[0]) / (xRange[1] - xRange[0])) * side));
  const up = clamp(Math.floor(((py - yRange[0]) / (yRange[1] - yRange[0])) * side));
  return [i, side - 1 - up];
}

/**
 * The neighbourhood grid: `coords` (2 x n: row 0 across, row 1 up) places n examples, `outputs`
 * (per x n, row-major: A[L] as predict gives it) are the network's outputs for them. Writes per
 * values per cell into `out` (cell j * side + i, values of one cell contiguous), each the mean over
 * the k nearest examples (k at most n) weighted by 1 / (d^2 + eps^2)^(power / 2), eps = `soften`
 * times a cell's side (root mean square of its width and height); power 0: the plain mean.
 */
export function neighbourhoodGrid(
  coords: ArrayLike<number>,
  outputs: ArrayLike<number>,
  per: number,
  n: number,
  xRange: readonly [number, number],
  yRange: readonly [number, number],
  side: number,
  k: number,
  out: Float32Array,
  power = 2,
  soften = 0.25,
): void {
  if (coords.length < 2 * n)
    throw new Error(`The plane holds ${coords.length / 2} points, not ${n}.`);
  if (outputs.length < per * n)
    throw new Error(`Expected ${per} x ${n} outputs, got ${outputs.length}.`);
  if (out.length < per * side * side)
    throw new Error(`The grid buffer holds ${out.length} values; ${per * side * side} are needed.`);
  const kk = Math.min(Math.max(1, Math.floor(k)), n);
  if (n === 0) {
    out.fill(Number.NaN, 0, per * side * side);
    return;
  }
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  const dx = (xRange[1] - xRange[0]) / side;
  const dy = (yRange[1] - yRange[0]) / side;
  const weight = new Float64Array(kk);
  const eps2 = (soften * soften * (dx * dx + dy * dy)) / 2;
  // The examples sorted across (x): a cell's search walks out from its centre's x both ways and stops
  // once the x gap alone is farther than the k-th nearest so far (a sweep, not n per cell).
  const order = Int32Array.from({ length: n }, (_, p) => p).sort(
    (a, b) => coords[a] - coords[b] || a - b,
  );
  const sx = Float64Array.from(order, (p) => coords[p]);
  const sy = Float64Array.from(order, (p) => coords[n + p]);
  const consider = (q: number, d: number, have: number): number => {
    if (have === kk && d >= bestD[kk - 1]) return have;
    let at = have < kk ? have++ : kk - 1;
    while (at > 0 && bestD[at - 1] > d) {
      bestD[at] = bestD[at - 1];
      bestI[at] = bestI[at - 1];
      at--;
    }
    bestD[at] = d;
    bestI[at] = order[q];
    return have;
  };
  for (let j = 0; j < side; j++) {
    const cy = yRange[1] - (j + 0.5) * dy;
    let start = 0;
    for (let i = 0; i < side; i++) {
      const cx = xRange[0] + (i + 0.5) * dx;
      while (start < n && sx[start] < cx) start++;
      // The kk nearest so far, sorted by distance (insertion into a short list).
      let have = 0;
      let lo = start - 1;
      let hi = start;
      while (lo >= 0 || hi < n) {
        const gl = lo >= 0 ? cx - sx[lo] : Infinity;
        const gh = hi < n ? sx[hi] - cx : Infinity;
        const q = gl <= gh ? lo-- : hi++;
        const gx = gl <= gh ? gl : gh;
        if (have === kk && gx * gx >= bestD[kk - 1]) break;
        const ey = sy[q] - cy;
        have = consider(q, gx * gx + ey * ey, have);
      }
      const cell = (j * side + i) * per;
      let wsum = 0;
      for (let q = 0; q < kk; q++) {
        weight[q] = power > 0 ? 1 / (bestD[q] + eps2) ** (power / 2) : 1;
        wsum += weight[q];
      }
      for (let r = 0; r < per; r++) {
        let s = 0;
        for (let q = 0; q < kk; q++) s += weight[q] * outputs[r * n + bestI[q]];
        out[cell + r] = s / wsum;
      }
    }
  }
}

/** The class of per values at `offset` (one value: threshold 0.5; more: the largest). */
function classAt(v: ArrayLike<number>, offset: number, stride: number, per: number): number {
  if (per === 1) return v[offset] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let r = 1; r < per; r++) if (v[offset + r * stride] > v[offset + best * stride]) best = r;
  return best;
}

/** Share of the n examples whose cell's class (in `grid`, as neighbourhoodGrid writes it) is the class
 * the network predicts for the example itself (`outputs`, per x n). */
export function agreement(
  coords: ArrayLike<number>,
  outputs: ArrayLike<number>,
  per: number,
  n: number,
  grid: ArrayLike<number>,
  xRange: readonly [number, number],
  yRange: readonly [number, number],
  side: number,
): number {
  if (n === 0) return Number.NaN;
  let same = 0;
  for (let p = 0; p < n; p++) {
    const [i, j] = cellOf(coords[p], coords[n + p], xRange, yRange, side);
    if (classAt(grid, (j * side + i) * per, 1, per) === classAt(outputs, p, n, per)) same++;
  }
  return same / n;
}
