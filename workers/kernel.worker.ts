// A kernel pool thread: instantiates the WebAssembly kernels on the shared arena, then loops forever
// on its control slot (spin briefly, then Atomics.wait), running its part of each matrix product and
// counting its parts and compute time in the slot (the pool's stats()).
import { createWasmKernels } from './core/kernels/wasm.ts';
import {
  Command,
  Ctl,
  F64,
  F64_SLOT,
  SLOT,
  controlViews,
  type KernelWorkerInit,
  type KernelWorkerReply,
} from './trainer/pool-protocol.ts';

/** How long a helper polls after its last part before sleeping (ms): during training products come
 * in quick succession, and a futex wake-up costs tens of microseconds. */
const SPIN_MS = 1;

function reply(message: KernelWorkerReply): void {
  postMessage(message);
}

function serve(init: KernelWorkerInit): void {
  const kernels = createWasmKernels(init.memory, init.scratch, {
    relaxed: init.variant === 'wasm-relaxed',
  });
  if (!kernels || kernels.name !== init.variant) {
    reply({
      ok: false,
      error: `WebAssembly kernels (${init.variant}) unavailable in this thread.`,
    });
    return;
  }
  reply({ ok: true, name: kernels.name });
  const { ctl, f64 } = controlViews(init.control);
  const base = init.index * SLOT;
  const fbase = init.index * F64_SLOT;
  const gemm = kernels.gemm;
  // The pool's counter starts at 0 and may already have moved on by the time this line runs.
  let seen = 0;
  for (;;) {
    let s = Atomics.load(ctl, base + Ctl.Seq);
    if (s === seen) {
      const until = performance.now() + SPIN_MS;
      for (let i = 1; s === seen; i++) {
        if ((i & 255) === 0 && performance.now() > until) break;
        s = Atomics.load(ctl, base + Ctl.Seq);
      }
    }
    if (s === seen) {
      Atomics.wait(ctl, base + Ctl.Seq, seen);
      continue;
    }
    seen = s;
    if (ctl[base + Ctl.Command] === Command.Exit) {
      reply({ ok: true, name: 'exit' });
      break;
    }
    const t0 = performance.now();
    try {
      gemm(
        ctl[base + Ctl.TransA] !== 0,
        ctl[base + Ctl.TransB] !== 0,
        ctl[base + Ctl.M],
        ctl[base + Ctl.N],
        ctl[base + Ctl.K],
        f64[fbase + F64.Alpha],
        ctl[base + Ctl.A],
        ctl[base + Ctl.Lda],
        ctl[base + Ctl.B],
        ctl[base + Ctl.Ldb],
        f64[fbase + F64.Beta],
        ctl[base + Ctl.C],
        ctl[base + Ctl.Ldc],
      );
    } catch {
      ctl[base + Ctl.Error] = 1;
    }
    f64[fbase + F64.BusyMs] += performance.now() - t0;
    Atomics.add(ctl, base + Ctl.Parts, 1);
    Atomics.store(ctl, base + Ctl.Done, seen);
    Atomics.notify(ctl, base + Ctl.Done);
  }
  close();
}

self.onmessage = (e: MessageEvent<KernelWorkerInit>) => {
  self.onmessage = null;
  try {
    serve(e.data);
  } catch (err) {
    reply({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
