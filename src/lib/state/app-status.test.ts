import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppStatus, isolationAction, refreshStorage } from './app-status.svelte.ts';

describe('isolationAction: one automatic reload for isolation, never a loop', () => {
  it('does nothing once the page is isolated, whatever else holds', () => {
    for (const controlled of [true, false])
      for (const alreadyReloaded of [true, false])
        expect(isolationAction({ isolated: true, controlled, alreadyReloaded })).toBe('ok');
  });
  it('waits while no service worker controls the page (it cannot add headers yet)', () => {
    expect(isolationAction({ isolated: false, controlled: false, alreadyReloaded: false })).toBe(
      'wait',
    );
    expect(isolationAction({ isolated: false, controlled: false, alreadyReloaded: true })).toBe(
      'wait',
    );
  });
  it('reloads once when controlled but not isolated, then gives up', () => {
    expect(isolationAction({ isolated: false, controlled: true, alreadyReloaded: false })).toBe(
      'reload',
    );
    expect(isolationAction({ isolated: false, controlled: true, alreadyReloaded: true })).toBe(
      'failed',
    );
  });
});

describe('refreshStorage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the estimate once the page is idle, one read for a burst of writes', async () => {
    const idle: Array<() => void> = [];
    vi.stubGlobal('requestIdleCallback', (fn: () => void) => idle.push(fn));
    const estimate = vi.fn(async () => ({ usage: 1000, quota: 5000 }));
    vi.stubGlobal('navigator', { storage: { estimate, persisted: async () => true } });
    const status = new AppStatus();

    const first = refreshStorage();
    expect(refreshStorage()).toBe(first);
    expect(refreshStorage()).toBe(first);
    expect(idle).toHaveLength(1);
    expect(estimate).not.toHaveBeenCalled();
    idle.shift()!();
    await first;
    expect(estimate).toHaveBeenCalledTimes(1);
    expect(status.storage).toEqual({ usage: 1000, quota: 5000, persisted: true });

    // A write after the read asks again.
    const next = refreshStorage();
    expect(next).not.toBe(first);
    idle.shift()!();
    await next;
    expect(estimate).toHaveBeenCalledTimes(2);
  });
});
