// What a message may hand over instead of copying: the array buffers a value owns outright (a typed
// array that covers its whole, non-shared buffer), found anywhere in it. A checkpoint of a big network
// holds tens of megabytes (parameters, the optimizer's moments, the rollback copy): handed over, the
// page receives it at once instead of decoding a copy in one long task.
import type { PlannedTrainer } from '../core/train.ts';
import type { PackedNetwork } from '../core/packed.ts';

/** The distinct ArrayBuffers that typed arrays in `x` cover whole (views into a bigger or shared
 *  buffer, such as the arena, are left out: they stay copied). */
export function ownBuffers(x: unknown, out: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  visit(x, out, 0);
  return [...out];
}

function visit(x: unknown, out: Set<ArrayBuffer>, depth: number): void {
  if (x === null || typeof x !== 'object' || depth > 8) return;
  if (ArrayBuffer.isView(x)) {
    const b = x.buffer;
    if (b instanceof ArrayBuffer && x.byteOffset === 0 && x.byteLength === b.byteLength) out.add(b);
    return;
  }
  if (Array.isArray(x)) {
    for (const v of x) visit(v, out, depth + 1);
    return;
  }
  for (const v of Object.values(x)) visit(v, out, depth + 1);
}

/** The trainer's network packed (Float64Array copies straight from the arena): what
 *  packNetwork(t.serialize()) gives, without a plain array of every parameter on the way (for a
 *  big network, hundreds of ms of a checkpoint that holds up a command). */
export function packedNetworkOf(t: PlannedTrainer): PackedNetwork {
  const { L, n } = t.plan;
  const h = t.heap,
    o = t.buf;
  const params: PackedNetwork['params'] = [];
  for (let l = 1; l <= L; l++) {
    params.push({
      W: new Float64Array(h.subarray(o.W[l], o.W[l] + n[l] * n[l - 1])),
      b: new Float64Array(h.subarray(o.b[l], o.b[l] + n[l])),
    });
  }
  const spec = { ...t.spec, hidden: t.spec.hidden.map((x) => ({ ...x })) };
  return { format: 'backprop-lab/network', version: 1, spec, params };
}
