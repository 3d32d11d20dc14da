// WebAssembly SIMD matrix product working in place on the shared arena.
//
// The module (gemm-simd.wat, or gemm-relaxed.wat with fused multiply-add where the engine has relaxed
// SIMD) IMPORTS the arena's shared WebAssembly.Memory, so `a`, `b`, `c` offsets are the same float32
// indices the JavaScript views use: no copy in, no copy out. Packing of the operands goes to a scratch
// region of that memory; each instance (one per thread) needs its own.
//
// workers/core compiles without DOM or WebAssembly typings, so the few WebAssembly calls go through a
// small structural type taken from globalThis.
import type { Kernels } from './types.ts';
import simdBytes from './gemm-simd.wat';
import relaxedBytes from './gemm-relaxed.wat';

/** What this file needs of a WebAssembly.Memory (a real one is passed through untouched). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(deltaPages: number): number;
}

/** A region of the memory, in bytes, reserved for one kernel instance's packed panels. */
export interface ScratchRegion {
  offset: number;
  bytes: number;
}

export type WasmVariant = 'wasm-relaxed' | 'wasm-simd';

export interface WasmKernels extends Kernels {
  readonly name: WasmVariant;
  /** The scratch region this instance packs into (given, or grown at the end of the memory). */
  readonly scratch: ScratchRegion;
  /** Columns of op(B) packed per block (the scratch size decides it, at most 512). */
  readonly blockColumns: number;
}

export interface WasmKernelOptions {
  /** Force the plain SIMD module even where relaxed SIMD validates (benchmarks, tests). */
  relaxed?: boolean;
}

/** Scratch that gives the full packing block (NC = 512): 10 pages of 64 KiB. */
export const WASM_SCRATCH_BYTES = 10 * 65536;
/** Smallest scratch accepted (NC = 8): tile + A block (120 x 256) + one B panel (256 x 8), aligned. */
export const WASM_SCRATCH_MIN_BYTES = 272 + 4 * 256 * (120 + 8);

const PAGE = 65536;

interface WasmExports {
  gemm(
    transA: number,
    transB: number,
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
  ): void;
  setScratch(offset: number, bytes: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: unknown };
}

function wasmApi(): WasmApi | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return api ?? null;
}

const compiled = new Map<WasmVariant, object>();
const valid = new Map<WasmVariant, boolean>();

/** Whether this engine can run the given variant (SIMD + shared memory; relaxed SIMD for 'wasm-relaxed'). */
export function wasmVariantSupported(variant: WasmVariant): boolean {
  let ok = valid.get(variant);
  if (ok === undefined) {
    const api = wasmApi();
    ok = false;
    if (api && typeof SharedArrayBuffer !== 'undefined') {
      try {
        ok = api.validate(variant === 'wasm-relaxed' ? relaxedBytes : simdBytes);
      } catch {
        ok = false;
      }
    }
    valid.set(variant, ok);
  }
  return ok;
}

/** The best variant this engine runs, or null when WebAssembly SIMD or shared memory is missing. */
export function bestWasmVariant(options: WasmKernelOptions = {}): WasmVariant | null {
  if (options.relaxed !== false && wasmVariantSupported('wasm-relaxed')) return 'wasm-relaxed';
  if (wasmVariantSupported('wasm-simd')) return 'wasm-simd';
  return null;
}

function moduleFor(api: WasmApi, variant: WasmVariant): object {
  let m = compiled.get(variant);
  if (!m) {
    m = new api.Module(variant === 'wasm-relaxed' ? relaxedBytes : simdBytes);
    compiled.set(variant, m);
  }
  return m;
}

/**
 * Matrix-product kernels in WebAssembly SIMD on `memory` (a shared WebAssembly.Memory: the arena).
 * `scratch` is a byte region of that memory for packed panels (WASM_SCRATCH_BYTES gives full speed,
 * at least WASM_SCRATCH_MIN_BYTES); without it the memory is grown by WASM_SCRATCH_BYTES and the new
 * tail is used. Returns null when SIMD or shared memory is unsupported (use the TypeScript kernels).
 */
export function createWasmKernels(
  memory: WasmMemory,
  scratch?: ScratchRegion,
  options: WasmKernelOptions = {},
): WasmKernels | null {
  const api = wasmApi();
  const variant = bestWasmVariant(options);
  if (!api || !variant) return null;
  if (typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer))
    return null;

  let region = scratch;
  if (!region) {
    const pages = Math.ceil(WASM_SCRATCH_BYTES / PAGE);
    const old = memory.grow(pages);
    region = { offset: old * PAGE, bytes: pages * PAGE };
  }
  if (region.bytes < WASM_SCRATCH_MIN_BYTES) {
    throw new RangeError(
      `WebAssembly kernel scratch is ${region.bytes} bytes; it needs at least ${WASM_SCRATCH_MIN_BYTES} ` +
        `(${WASM_SCRATCH_BYTES} for full speed).`,
    );
  }
  if (region.offset < 0 || region.offset + region.bytes > memory.buffer.byteLength) {
    throw new RangeError(
      `WebAssembly kernel scratch [${region.offset}, ${region.offset + region.bytes}) lies outside the ` +
        `memory (${memory.buffer.byteLength} bytes).`,
    );
  }

  const instance = new api.Instance(moduleFor(api, variant), { env: { memory } });
  const ex = instance.exports as WasmExports;
  const blockColumns = ex.setScratch(region.offset, region.bytes);
  if (blockColumns <= 0) throw new RangeError('WebAssembly kernel scratch region is too small.');
  const wasmGemm = ex.gemm;

  function gemm(
    transA: boolean,
    transB: boolean,
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
  ): void {
    wasmGemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
  }

  return { name: variant, scratch: { ...region }, blockColumns, gemm };
}
