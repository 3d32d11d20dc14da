// The control block shared by the kernel pool's calling thread and its helpers (workers/kernel.worker.ts).
// One slot of SLOT int32 per helper, then F64_SLOT float64 per helper: alpha, beta, and the helper's
// compute time so far. Each helper also counts the parts it computed (Ctl.Parts), so the pool can show
// that every helper really works.
import type { ScratchRegion, WasmVariant } from '../core/kernels/wasm.ts';

/** Words per helper in the control block. */
export const SLOT = 16;
/** Slot layout (Int32 indices from the slot base). */
export const Ctl = {
  Seq: 0,
  Done: 1,
  TransA: 2,
  TransB: 3,
  M: 4,
  N: 5,
  K: 6,
  A: 7,
  Lda: 8,
  B: 9,
  Ldb: 10,
  C: 11,
  Ldc: 12,
  Command: 13,
  Error: 14,
  /** Parts of products this helper computed (written by the helper only). */
  Parts: 15,
} as const;
/** Float64 per helper in the control block, and their layout. */
export const F64_SLOT = 3;
export const F64 = { Alpha: 0, Beta: 1, BusyMs: 2 } as const;
const SLOT_BYTES = SLOT * 4 + F64_SLOT * 8;
export const Command = { Gemm: 0, Exit: 1 } as const;

/** What the pool sends each helper once, before the first product. */
export interface KernelWorkerInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  index: number;
  scratch: ScratchRegion;
  variant: WasmVariant;
}

export type KernelWorkerReply = { ok: true; name: string } | { ok: false; error: string };

/** Bytes of control block for n helpers. */
export function controlBytes(helpers: number): number {
  return Math.max(1, helpers) * SLOT_BYTES;
}

/** The int32 slots and the float64 triples (alpha, beta, busy ms) of a control block. */
export function controlViews(control: SharedArrayBuffer): { ctl: Int32Array; f64: Float64Array } {
  const n = control.byteLength / SLOT_BYTES;
  return {
    ctl: new Int32Array(control, 0, n * SLOT),
    f64: new Float64Array(control, n * SLOT * 4, n * F64_SLOT),
  };
}
