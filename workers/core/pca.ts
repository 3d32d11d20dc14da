// Principal component analysis onto two components, for a 2-D picture of data with many features.
// X is (n_x, m), features x examples, row-major. The data is centred (mean of each feature removed);
// the covariance is C = Xc Xc^T / (m - 1) (n_x x n_x), and the principal directions are its
// eigenvectors with the two largest eigenvalues. Bounded cost:
// - up to `exactUpTo` features: C is formed (n_x^2 m) and diagonalized by cyclic Jacobi rotations
//   (exact, n_x^3 per sweep on a small n_x);
// - more features: C is never formed; orthogonal (subspace) iteration with two vectors applies
//   C v = Xc (Xc^T v) / (m - 1) (4 n_x m per step) a fixed number of times from a seeded start, then
//   a Rayleigh-Ritz step (the 2 x 2 matrix Q^T C Q diagonalized) turns the subspace into the two
//   directions. No O(n_x^3) step on thousands of features.
// Signs are fixed (the largest entry of each direction is positive), so the picture does not flip.
import { createRng } from './rng.ts';

export interface Pca2 {
  /** Mean of each feature (n_x). */
  mean: Float64Array;
  /** The two principal directions, 2 x n_x row-major, unit length (a zero row when there is none). */
  components: Float64Array;
  /** Variance of the data along each direction (the covariance's eigenvalues). */
  variance: [number, number];
  /** Share of the total variance (trace of C) each direction explains; 0 when the data has none. */
  ratio: [number, number];
}

export interface PcaOptions {
  /** Largest n_x diagonalized exactly (covariance + Jacobi). */
  exactUpTo?: number;
  /** Subspace iteration steps for more features. */
  steps?: number;
  /** Seed of the starting vectors. */
  seed?: number;
}

const DEFAULTS: Required<PcaOptions> = { exactUpTo: 64, steps: 60, seed: 1 };

/** Eigenvalues (descending) and eigenvectors (row k = vector k) of a symmetric n x n matrix (copied),
 * by cyclic Jacobi rotations. */
export function symmetricEigen(
  c: ArrayLike<number>,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  if (c.length < n * n)
    throw new Error(`A ${n} x ${n} matrix needs ${n * n} values, got ${c.length}.`);
  const a = Float64Array.from({ length: n * n }, (_, i) => c[i]);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let scale = 0;
    for (let p = 0; p < n; p++)
      for (let q = 0; q < n; q++) {
        if (p !== q) off += a[p * n + q] ** 2;
        else scale += a[p * n + q] ** 2;
      }
    if (off <= 1e-24 * Math.max(scale, 1e-300)) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // The rotation (c, s) in the plane (p, q) that zeroes a[p][q].
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = cs * akp - sn * akq;
          a[k * n + q] = sn * akp + cs * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = cs * apk - sn * aqk;
          a[q * n + k] = sn * apk + cs * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = cs * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + cs * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((col, k) => {
    for (let r = 0; r < n; r++) vectors[k * n + r] = v[r * n + col];
  });
  return { values, vectors };
}

/** The largest-magnitude entry positive (a direction's sign is arbitrary; this fixes it). */
function fixSign(v: Float64Array, at: number, n: number): void {
  let big = 0;
  for (let i = 0; i < n; i++) if (Math.abs(v[at + i]) > Math.abs(v[at + big])) big = i;
  if (v[at + big] < 0) for (let i = 0; i < n; i++) v[at + i] = -v[at + i];
}

/** Makes q1 orthogonal to q0 and both unit length (Gram-Schmidt); a vanishing one becomes zero. */
function orthonormalize(q: Float64Array, n: number): void {
  const norm = (at: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += q[at + i] ** 2;
    const r = Math.sqrt(s);
    for (let i = 0; i < n; i++) q[at + i] = r > 1e-300 ? q[at + i] / r : 0;
  };
  norm(0);
  let d = 0;
  for (let i = 0; i < n; i++) d += q[i] * q[n + i];
  for (let i = 0; i < n; i++) q[n + i] -= d * q[i];
  norm(n);
}

/** out (2 x n) = C q for the two rows of q, with C = Xc Xc^T / (m - 1) applied as two products. */
function applyCovariance(
  xc: Float64Array,
  n: number,
  m: number,
  q: Float64Array,
  out: Float64Array,
  t: Float64Array,
): void {
  const denom = Math.max(1, m - 1);
  for (let k = 0; k < 2; k++) {
    t.fill(0); // t = Xc^T q_k (m)
    for (let f = 0; f < n; f++) {
      const w = q[k * n + f];
      if (w === 0) continue;
      const row = f * m;
      for (let i = 0; i < m; i++) t[i] += xc[row + i] * w;
    }
    for (let f = 0; f < n; f++) {
      let s = 0;
      const row = f * m;
      for (let i = 0; i < m; i++) s += xc[row + i] * t[i];
      out[k * n + f] = s / denom;
    }
  }
}

/** The first two principal components of X (n_x x m). */
export function pca2(x: ArrayLike<number>, nx: number, m: number, options: PcaOptions = {}): Pca2 {
  const opts = { ...DEFAULTS, ...options };
  if (x.length < nx * m)
    throw new Error(`X should be ${nx} x ${m} (${nx * m} values) but has ${x.length}.`);
  const mean = new Float64Array(nx);
  const components = new Float64Array(2 * nx);
  if (nx === 0 || m === 0) return { mean, components, variance: [0, 0], ratio: [0, 0] };
  const xc = new Float64Array(nx * m);
  let total = 0;
  const denom = Math.max(1, m - 1);
  for (let f = 0; f < nx; f++) {
    const row = f * m;
    let s = 0;
    for (let i = 0; i < m; i++) s += x[row + i];
    mean[f] = s / m;
    for (let i = 0; i < m; i++) {
      const d = x[row + i] - mean[f];
      xc[row + i] = Number.isFinite(d) ? d : 0;
      total += xc[row + i] ** 2;
    }
  }
  total /= denom;
  const variance: [number, number] = [0, 0];
  if (nx <= opts.exactUpTo) {
    const c = new Float64Array(nx * nx);
    for (let p = 0; p < nx; p++)
      for (let q = p; q < nx; q++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += xc[p * m + i] * xc[q * m + i];
        c[p * nx + q] = c[q * nx + p] = s / denom;
      }
    const { values, vectors } = symmetricEigen(c, nx);
    for (let k = 0; k < Math.min(2, nx); k++) {
      variance[k] = Math.max(0, values[k]);
      if (variance[k] > 0) components.set(vectors.subarray(k * nx, (k + 1) * nx), k * nx);
    }
  } else {
    const rng = createRng(opts.seed);
    const q = Float64Array.from({ length: 2 * nx }, () => rng.gaussian());
    const z = new Float64Array(2 * nx);
    const t = new Float64Array(m);
    orthonormalize(q, nx);
    for (let s = 0; s < opts.steps; s++) {
      applyCovariance(xc, nx, m, q, z, t);
      q.set(z);
      orthonormalize(q, nx);
    }
    // Rayleigh-Ritz: T = Q^T C Q (2 x 2), its eigenvectors rotate Q onto the two directions.
    applyCovariance(xc, nx, m, q, z, t);
    const T = [0, 0, 0, 0];
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++) {
        let s = 0;
        for (let f = 0; f < nx; f++) s += q[a * nx + f] * z[b * nx + f];
        T[a * 2 + b] = s;
      }
    T[1] = T[2] = (T[1] + T[2]) / 2;
    const { values, vectors } = symmetricEigen(T, 2);
    for (let k = 0; k < 2; k++) {
      variance[k] = Math.max(0, values[k]);
      if (variance[k] <= 0) continue;
      for (let f = 0; f < nx; f++)
        components[k * nx + f] = vectors[k * 2] * q[f] + vectors[k * 2 + 1] * q[nx + f];
    }
  }
  for (let k = 0; k < 2; k++) fixSign(components, k * nx, nx);
  const ratio: [number, number] = total > 0 ? [variance[0] / total, variance[1] / total] : [0, 0];
  return { mean, components, variance, ratio };
}

/** The examples of X (n_x x m) in the plane of the components: out (2 x m), row 0 = PC1, row 1 = PC2. */
export function projectOnto(
  pca: Pca2,
  x: ArrayLike<number>,
  nx: number,
  m: number,
  out: Float32Array = new Float32Array(2 * m),
): Float32Array {
  if (pca.mean.length !== nx)
    throw new Error(`The components have ${pca.mean.length} features but X has ${nx}.`);
  out.fill(0, 0, 2 * m);
  for (let f = 0; f < nx; f++) {
    const w0 = pca.components[f];
    const w1 = pca.components[nx + f];
    const mu = pca.mean[f];
    const row = f * m;
    for (let i = 0; i < m; i++) {
      const d = x[row + i] - mu;
      if (!Number.isFinite(d)) continue;
      out[i] += d * w0;
      out[m + i] += d * w1;
    }
  }
  return out;
}
