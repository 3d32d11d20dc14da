// Comlink callbacks that came through a worker API: each holds a MessagePort until released.
import * as Comlink from 'comlink';

/** Releases a callback that came through Comlink (a plain function is left as it is). */
export function release(callback: unknown): void {
  const r = (callback as { [Comlink.releaseProxy]?: unknown } | undefined)?.[Comlink.releaseProxy];
  if (typeof r === 'function') r();
}
