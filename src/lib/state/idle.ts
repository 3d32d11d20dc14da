// Work that can wait until the page is idle: requestIdleCallback where the browser has it (at the
// latest after `timeout` ms), else a plain timeout.

/** Runs `fn` once the page is idle, or after `timeout` ms at the latest. */
export function onIdle(fn: () => void, timeout = 2000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn(), { timeout });
  else setTimeout(fn, 0);
}

/** Resolves once the page is idle, or after `timeout` ms at the latest. */
export function whenIdle(timeout = 2000): Promise<void> {
  return new Promise((resolve) => onIdle(resolve, timeout));
}
