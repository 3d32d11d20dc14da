// What a batch changes before its optimizer step besides scratch buffers: the seeded generator (the
// epoch's shuffle, the dropout masks) and, in the first batch of an epoch, the order of the examples.
// Marked when a batch begins and put back when a command abandons it, so the batch runs again later
// exactly as it would have run (a checkpoint taken meanwhile holds the state from before it).
import type { Rng } from './rng.ts';
import { INTERRUPTED, type InterruptibleKernels } from './kernels/interruptible.ts';
import { batchPasses, type LayerContext } from './layers.ts';
import { writeEpochMetrics, type EvalContext } from './evaluate.ts';

export class BatchMark {
  private readonly rng = new Uint32Array(4);
  private readonly perm: Uint32Array;
  private permKept = false;

  /** `examples`: the length of the shuffled order (0 when the trainer does not shuffle). */
  constructor(examples: number) {
    this.perm = new Uint32Array(examples);
  }

  /** Marks the generator's state, and the order too when `keepOrder` (it is about to be shuffled). */
  take(rng: Rng, perm: Uint32Array, keepOrder: boolean): void {
    rng.stateInto(this.rng);
    this.permKept = keepOrder && perm.length === this.perm.length;
    if (this.permKept) this.perm.set(perm);
  }

  /** Puts back what take() marked. */
  undo(rng: Rng, perm: Uint32Array): void {
    rng.setState(this.rng);
    if (this.permKept) perm.set(this.perm);
  }
}

/** A batch's passes (layers.ts batchPasses) on the gathered batch Xb, Yb with the products armed:
 *  false when a command abandoned them, the generator and the order put back as `mark` found them. */
export function guardedPasses(
  t: LayerContext & { readonly kernels: InterruptibleKernels },
  mark: BatchMark,
  c: number,
  lambda: number,
  rng: Rng,
  perm: Uint32Array,
): boolean {
  t.kernels.armed = true;
  try {
    batchPasses(t, c, t.buf.Xb, t.buf.Yb, lambda, rng);
    return true;
  } catch (e) {
    if (e !== INTERRUPTED) throw e;
    mark.undo(rng, perm);
    return false;
  } finally {
    t.kernels.armed = false;
  }
}

/** The epoch's metrics (evaluate.ts writeEpochMetrics: its dev pass is a long product too) with the
 *  products armed: false when a command abandoned them (nothing but the row's cells changed). */
export function guardedMetrics(
  t: EvalContext & { readonly kernels: InterruptibleKernels },
  hist: Float64Array,
  row: number,
  epoch: number,
  sums: { loss: number; correct: number; sqErr: number; seen: number },
): boolean {
  t.kernels.armed = true;
  try {
    writeEpochMetrics(t, hist, row, epoch, sums);
    return true;
  } catch (e) {
    if (e !== INTERRUPTED) throw e;
    return false;
  } finally {
    t.kernels.armed = false;
  }
}

/** Runs `finish` (an abandoned epoch end) with no command able to abandon it again. */
export function unguarded(kernels: InterruptibleKernels, finish: () => void): void {
  const check = kernels.check;
  kernels.check = null;
  try {
    finish();
  } finally {
    kernels.check = check;
  }
}
