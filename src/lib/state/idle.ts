// Work that can wait until the page is idle: requestIdleCallback where the browser has it (at the
// latest after `timeout` ms), else a short pause (300 ms) for the page's start-up to settle.

/** Runs `fn` once the page is idle, or after `timeout` ms at the latest. */
export function onIdle(fn: () => void, timeout = 2000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn(), { timeout });
  else setTimeout(fn, 300);
}

/** Resolves once the page is idle, or after `timeout` ms at the latest. */
export function whenIdle(timeout = 2000): Promise<void> {
  return new Promise((resolve) => onIdle(resolve, timeout));
}
