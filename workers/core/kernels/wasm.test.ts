import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { createTsKernels } from './ts.ts';
import {
  WASM_SCRATCH_BYTES,
  WASM_SCRATCH_MIN_BYTES,
  bestWasmVariant,
  createWasmKernels,
  type WasmKernels,
} from './wasm.ts';

const PAGE = 65536;

/** An arena-like shared memory: [scratch | A | B | C (wasm) | C (reference)], float32 offsets. */
function setup(pages = 64, scratchBytes = WASM_SCRATCH_BYTES) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 4096, shared: true });
  const heap = new Float32Array(memory.buffer);
  const k = createWasmKernels(memory, { offset: 0, bytes: scratchBytes });
  if (!k) throw new Error('WebAssembly SIMD unavailable in this Node');
  const ts = createTsKernels(heap);
  return { memory, heap, k, ts, base: Math.ceil(scratchBytes / 4 / 16) * 16 };
}

type Rand = () => number;

function randomRandom(seed: number): Rand {
  const rng = createRng(seed);
  return () => rng.uniform() * 2 - 1;
}

/** float64 reference: C = alpha op(A) op(B) + beta C, on copies. */
function reference(
  heap: Float32Array,
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  beta: number,
  c: number,
  ldc: number,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(M * N);
  const scale = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < K; p++) {
        const av = heap[tA ? a + p * lda + i : a + i * lda + p];
        const bv = heap[tB ? b + j * ldb + p : b + p * ldb + j];
        s += av * bv;
        t += Math.abs(av * bv);
      }
      const old = beta === 0 ? 0 : heap[c + i * ldc + j];
      value[i * N + j] = alpha * s + beta * old;
      scale[i * N + j] = Math.abs(alpha) * t + Math.abs(beta * old);
    }
  }
  return { value, scale };
}

interface Case {
  tA: boolean;
  tB: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
  padA?: number;
  padB?: number;
  padC?: number;
}

/** Runs one case on fresh random data and checks every element of C and the padding around it. */
function check(env: ReturnType<typeof setup>, cs: Case, rand: Rand): void {
  const { heap, k, base } = env;
  const { tA, tB, M, N, K, alpha, beta } = cs;
  const rowsA = tA ? K : M,
    colsA = tA ? M : K;
  const rowsB = tB ? N : K,
    colsB = tB ? K : N;
  const lda = colsA + (cs.padA ?? 0);
  const ldb = colsB + (cs.padB ?? 0);
  const ldc = N + (cs.padC ?? 0);
  const a = base;
  const b = a + rowsA * lda + 7;
  const c = b + rowsB * ldb + 5;
  const end = c + M * ldc + 16;
  if (end > heap.length) throw new Error('test arena too small');
  for (let i = a; i < end; i++) heap[i] = rand();
  // beta = 0 must ignore C entirely, NaN included.
  if (beta === 0) for (let i = 0; i < M; i++) heap[c + i * ldc] = Number.NaN;
  const before = heap.slice(c, end);
  const ref = reference(heap, tA, tB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
  k.gemm(tA, tB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = heap[c + i * ldc + j];
      if (j >= N) {
        if (!Object.is(got, before[i * ldc + j])) {
          throw new Error(`${JSON.stringify(cs)}: padding C[${i},${j}] was overwritten`);
        }
        continue;
      }
      const want = ref.value[i * N + j];
      const tol = 2e-6 * (ref.scale[i * N + j] + 1e-30) * Math.sqrt(K + 1) + 1e-30;
      if (!(Math.abs(got - want) <= tol)) {
        throw new Error(
          `${JSON.stringify(cs)}: C[${i},${j}] = ${got}, expected ${want} (tol ${tol})`,
        );
      }
    }
  }
  for (let i = c + M * ldc; i < end; i++) {
    if (!Object.is(heap[i], before[i - c])) throw new Error(`${JSON.stringify(cs)}: wrote past C`);
  }
}

const FLAGS: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

describe('WebAssembly SIMD gemm', () => {
  it('is available in Node with shared memory and reports its variant', () => {
    const env = setup(16);
    expect(['wasm-simd', 'wasm-relaxed']).toContain(env.k.name);
    expect(env.k.name).toBe(bestWasmVariant());
    expect(env.k.blockColumns).toBe(512);
  });

  it('matches the float64 product for every size 1..24 and every transpose combination', () => {
    const env = setup(16);
    const rand = randomRandom(1);
    for (const [tA, tB] of FLAGS) {
      for (let M = 1; M <= 24; M += 1) {
        for (const N of [1, 2, 7, 8, 9, 15, 16, 17]) {
          for (const K of [1, 3, 8, 13]) check(env, { tA, tB, M, N, K, alpha: 1, beta: 0 }, rand);
        }
      }
    }
  });

  it('matches for odd and large shapes up to 130 with alpha, beta and padded strides', () => {
    const env = setup(64);
    const rand = randomRandom(2);
    const shapes: Array<[number, number, number]> = [
      [130, 130, 130],
      [127, 1, 129],
      [1, 127, 130],
      [121, 65, 33],
      [6, 8, 257],
      [61, 97, 300],
      [128, 64, 784],
      [10, 64, 128],
      [64, 784, 128],
      [129, 9, 1],
    ];
    const scalars: Array<[number, number]> = [
      [1, 0],
      [0.5, 1],
      [-1.25, 0.75],
      [1 / 64, 0],
    ];
    let n = 0;
    for (const [M, N, K] of shapes) {
      for (const [tA, tB] of FLAGS) {
        const [alpha, beta] = scalars[n++ % scalars.length];
        check(
          env,
          { tA, tB, M, N, K, alpha, beta, padA: n % 3, padB: (n + 1) % 3, padC: n % 4 },
          rand,
        );
      }
    }
  });

  it('crosses the column block when the scratch is small (N > block columns)', () => {
    const env = setup(32, WASM_SCRATCH_MIN_BYTES + 4 * 256 * 16);
    expect(env.k.blockColumns).toBe(24);
    const rand = randomRandom(3);
    for (const [tA, tB] of FLAGS) {
      check(env, { tA, tB, M: 13, N: 77, K: 300, alpha: 0.75, beta: -0.5, padC: 3 }, rand);
    }
  });

  it('agrees with the TypeScript reference kernel on a training-sized product', () => {
    const env = setup(64);
    const rand = randomRandom(4);
    const { heap, k, ts, base } = env;
    const M = 64,
      N = 96,
      K = 70;
    const a = base,
      b = a + M * K,
      c1 = b + K * N,
      c2 = c1 + M * N;
    for (let i = a; i < c2 + M * N; i++) heap[i] = rand();
    heap.copyWithin(c2, c1, c1 + M * N);
    k.gemm(false, true, M, N, K, 0.3, a, K, b, K, 0.9, c1, N);
    ts.gemm(false, true, M, N, K, 0.3, a, K, b, K, 0.9, c2, N);
    for (let i = 0; i < M * N; i++) expect(heap[c1 + i]).toBeCloseTo(heap[c2 + i], 4);
  });

  it('scales C by beta when K = 0 or alpha = 0, and ignores empty products', () => {
    const env = setup(16);
    const { heap, k, base } = env;
    const c = base;
    heap.fill(2, c, c + 12);
    k.gemm(false, false, 3, 4, 0, 1, 0, 1, 0, 1, 0.5, c, 4);
    expect(Array.from(heap.subarray(c, c + 12))).toEqual(new Array(12).fill(1));
    heap[c] = Number.NaN;
    k.gemm(false, false, 3, 4, 5, 0, base, 5, base, 4, 0, c, 4);
    expect(Array.from(heap.subarray(c, c + 12))).toEqual(new Array(12).fill(0));
    heap.fill(3, c, c + 12);
    k.gemm(false, false, 0, 4, 5, 1, base, 5, base, 4, 0, c, 4);
    k.gemm(false, false, 3, 0, 5, 1, base, 5, base, 4, 0, c, 4);
    expect(Array.from(heap.subarray(c, c + 12))).toEqual(new Array(12).fill(3));
  });

  it('grows the memory for its scratch when none is given, and refuses a too-small scratch', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 64, shared: true });
    const k = createWasmKernels(memory) as WasmKernels;
    expect(k.scratch).toEqual({ offset: 2 * PAGE, bytes: WASM_SCRATCH_BYTES });
    expect(memory.buffer.byteLength).toBe(2 * PAGE + WASM_SCRATCH_BYTES);
    expect(() => createWasmKernels(memory, { offset: 0, bytes: 1000 })).toThrow(/at least/);
    expect(() =>
      createWasmKernels(memory, { offset: 64 * PAGE, bytes: WASM_SCRATCH_BYTES }),
    ).toThrow(/outside/);
  });

  it('returns null on a memory that is not shared', () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 64 });
    expect(createWasmKernels(memory, { offset: 0, bytes: WASM_SCRATCH_MIN_BYTES })).toBeNull();
  });

  it('keeps the relaxed-SIMD source identical to the plain one except for fused multiply-adds', () => {
    const dir = new URL('.', import.meta.url);
    const plain = readFileSync(new URL('gemm-simd.wat', dir), 'utf8');
    const relaxed = readFileSync(new URL('gemm-relaxed.wat', dir), 'utf8');
    const fused = plain.replace(
      /\(f32x4\.add \(local\.get (\$\w+)\) \(f32x4\.mul \(local\.get (\$\w+)\) \(local\.get (\$\w+)\)\)\)/g,
      '(f32x4.relaxed_madd (local.get $2) (local.get $3) (local.get $1))',
    );
    expect(fused).not.toBe(plain);
    expect(relaxed).toBe(fused);
    expect(relaxed.match(/f32x4\.relaxed_madd/g)?.length).toBe(13); // 12 in the loop + the header comment
  });
});
