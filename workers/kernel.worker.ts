// A kernel pool thread: instantiates the WebAssembly kernels on the shared arena, then loops forever
// on its control slot (spin briefly, then Atomics.wait), running its part of each matrix product.
import { createWasmKernels } from './core/kernels/wasm.ts';
import { Command, Ctl, SLOT, controlViews, type KernelWorkerInit, type KernelWorkerReply } from './trainer/pool-protocol.ts';

/** Atomics.load polls before sleeping: products usually come in quick succession during training. */
const SPIN = 20_000;

function reply(message: KernelWorkerReply): void {
  postMessage(message);
}

function serve(init: KernelWorkerInit): void {
  const kernels = createWasmKernels(init.memory, init.scratch, { relaxed: init.variant === 'wasm-relaxed' });
  if (!kernels || kernels.name !== init.variant) {
    reply({ ok: false, error: `WebAssembly kernels (${init.variant}) unavailable in this thread.` });
    return;
  }
  reply({ ok: true, name: kernels.name });
  const { ctl, f64 } = controlViews(init.control);
  const base = init.index * SLOT;
  const gemm = kernels.gemm;
  let seen = Atomics.load(ctl, base + Ctl.Seq);
  for (;;) {
    let s = Atomics.load(ctl, base + Ctl.Seq);
    for (let i = 0; s === seen && i < SPIN; i++) s = Atomics.load(ctl, base + Ctl.Seq);
    if (s === seen) {
      Atomics.wait(ctl, base + Ctl.Seq, seen);
      continue;
    }
    seen = s;
    if (ctl[base + Ctl.Command] === Command.Exit) break;
    try {
      gemm(
        ctl[base + Ctl.TransA] !== 0, ctl[base + Ctl.TransB] !== 0,
        ctl[base + Ctl.M], ctl[base + Ctl.N], ctl[base + Ctl.K], f64[init.index * 2],
        ctl[base + Ctl.A], ctl[base + Ctl.Lda], ctl[base + Ctl.B], ctl[base + Ctl.Ldb],
        f64[init.index * 2 + 1], ctl[base + Ctl.C], ctl[base + Ctl.Ldc],
      );
    } catch {
      ctl[base + Ctl.Error] = 1;
    }
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
