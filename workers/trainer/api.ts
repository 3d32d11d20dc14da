// The trainer worker's API object. Every method is a command; progress lives in shared memory.

/** Isolation self-test: writes `value` at `index` of the shared buffer and reports the worker's isolation. */
function probe(shared: SharedArrayBuffer, index: number, value: number): { crossOriginIsolated: boolean } {
  const view = new Int32Array(shared);
  Atomics.store(view, index, value);
  Atomics.notify(view, index);
  return { crossOriginIsolated: globalThis.crossOriginIsolated === true };
}

export const api = {
  probe,
};
