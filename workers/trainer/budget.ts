// A run's memory, decided before anything is allocated: the bytes of the arena the trainer would plan
// (the same planSession inputs, so the figure is the arena's real size), refused above the device's
// budget with a message that says what to change; and an allocation that still fails becomes a
// message too, never a RangeError in front of the user.
import { planSession } from '../core/plan.ts';
import { PAGE_BYTES } from '../core/arena.ts';
import { layerSizes, type NetworkSpec, type TrainConfig } from '../core/types.ts';
import { MessageError, msg } from '../messages/index.ts';

/** Scratch regions a run plans: one per kernel thread when its biggest product reaches the pool. */
export function scratchRegionsFor(
  spec: NetworkSpec,
  batch: number,
  helpers: number,
  poolThresholdFlops: number,
): number {
  const n = layerSizes(spec);
  let maxFlops = 0;
  for (let l = 1; l < n.length; l++) maxFlops = Math.max(maxFlops, 2 * n[l] * n[l - 1] * batch);
  return helpers > 0 && maxFlops >= poolThresholdFlops ? helpers + 1 : 1;
}

/** Bytes of the arena a run allocates (whole 64 KiB pages), from the plan the trainer makes. */
export function arenaBytesFor(
  spec: NetworkSpec,
  config: TrainConfig,
  m: { train: number; dev: number; test: number },
  scratchRegions: number,
  startEpoch = 0,
): number {
  const plan = planSession({
    spec,
    optimizer: config.optimizer,
    batchSize: config.batchSize,
    epochs: config.epochs - startEpoch,
    m,
    scratchRegions,
  });
  return Math.max(1, Math.ceil(plan.layout.bytes / PAGE_BYTES)) * PAGE_BYTES;
}

/** Megabytes (1 MB = 1024 KB) with one decimal, as the messages show them. */
export const megabytes = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Refuses a run whose arena is over the budget, naming both and what to change. */
export function assertFits(bytes: number, budgetBytes: number): void {
  if (bytes > budgetBytes)
    throw new MessageError(
      msg('trainer.memory.overBudget', {
        needMb: megabytes(bytes),
        budgetMb: megabytes(budgetBytes),
      }),
    );
}

/** Runs `allocate`; a failed allocation (RangeError: the browser has no such memory) becomes a
 *  message naming the size and what to change. */
export function allocating<T>(bytes: number, allocate: () => T): T {
  try {
    return allocate();
  } catch (e) {
    if (e instanceof RangeError || (e instanceof Error && /memory/i.test(e.message)))
      throw new MessageError(msg('trainer.memory.allocationFailed', { needMb: megabytes(bytes) }));
    throw e;
  }
}
